from django.urls import path

from commonroom.staffroom import views

app_name = "staffroom"
urlpatterns = [
    path("", views.categories, name="categories"),
    path("c/<slug:slug>/", views.category, name="category"),
    path("c/<slug:slug>/new/", views.thread_new, name="thread_new"),
    path("c/<slug:slug>/follow/", views.category_follow, name="category_follow"),
    path("t/<id:thread_id>/", views.thread, name="thread"),
    path("t/<id:thread_id>/reply/", views.reply, name="reply"),
    path("t/<id:thread_id>/follow/", views.thread_follow, name="thread_follow"),
    path("t/<id:thread_id>/moderate/", views.thread_moderate, name="thread_moderate"),
    path("p/<id:post_id>/", views.post_link, name="post"),
    path("p/<id:post_id>/edit/", views.post_edit, name="post_edit"),
    path("p/<id:post_id>/answer/", views.post_answer, name="post_answer"),
    path("p/<id:post_id>/hide/", views.post_hide, name="post_hide"),
    path("p/<id:post_id>/moderate/", views.post_moderate, name="post_moderate"),
    path("p/<id:post_id>/history/", views.post_history, name="post_history"),
]
