from django.urls import path

from commonroom.search import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("suggest/", views.suggest, name="suggest"),
    path("saved/", views.saved_list, name="saved"),
    path("saved/new/", views.saved_create, name="saved_create"),
    path("saved/<id:saved_search_id>/", views.saved_edit, name="saved_edit"),
    path("saved/<id:saved_search_id>/delete/", views.saved_delete, name="saved_delete"),
    path("insight/", views.insight, name="insight"),
]
