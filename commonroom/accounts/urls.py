from django.urls import path

from commonroom.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("my-data/", views.data_export, name="data_export"),
    path("delete/", views.account_delete, name="delete"),
    path("photos/<id:member_id>/<slug:token>.jpg", views.profile_photo, name="profile_photo"),
]
