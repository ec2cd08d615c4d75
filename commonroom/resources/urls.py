from django.urls import path

from commonroom.resources import authoring_views, views

app_name = "resources"
urlpatterns = [
    path("", views.resource_list, name="list"),
    path("new/", authoring_views.resource_create, name="create"),
    path("mine/", views.my_resources, name="mine"),
    path("<id:resource_id>-<slug:slug>/", views.resource_detail, name="detail"),
    path("<id:resource_id>/", views.resource_detail, name="detail_short"),
    path("<id:resource_id>/edit/", authoring_views.resource_edit, name="edit"),
    path("<id:resource_id>/licence/", authoring_views.resource_licence, name="licence"),
    path("<id:resource_id>/submit/", authoring_views.resource_submit, name="submit"),
    path("<id:resource_id>/withdraw/", authoring_views.resource_withdraw, name="withdraw"),
    path("<id:resource_id>/delete/", authoring_views.resource_delete, name="delete"),
    path("<id:resource_id>/stats/", views.resource_stats, name="stats"),
    path("<id:resource_id>/history/", views.resource_history, name="history"),
    path("<id:resource_id>/download.zip", views.resource_zip, name="zip"),
    path(
        "<id:resource_id>/files/<id:file_id>/thumbnail.png",
        views.resource_thumbnail,
        name="thumbnail",
    ),
    path(
        "<id:resource_id>/files/<id:file_id>/thumbnail-<id:width>.webp",
        views.resource_thumbnail,
        name="thumbnail_sized",
    ),
    path("<id:resource_id>/files/<id:file_id>/<str:name>", views.resource_file, name="file"),
    path(
        "<id:resource_id>/adapt-from/<id:source_id>/",
        authoring_views.resource_declare_adaptation,
        name="declare_adaptation",
    ),
]
