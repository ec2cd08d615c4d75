from django.urls import path

from commonroom.organisations import staff_views, training_views, views

app_name = "organisations"

urlpatterns = [
    path("propose/", views.propose, name="propose"),
    path("mine/", views.mine, name="mine"),
    path("<id:organisation_id>/", views.detail, name="detail_short"),
    path("<id:organisation_id>/edit/", views.edit, name="edit"),
    path("<id:organisation_id>/logo/<str:token>.jpg", views.logo, name="logo"),
    path("<id:organisation_id>/administrators/", views.administrators, name="administrators"),
    path(
        "<id:organisation_id>/administrators/<id:member_id>/remove/",
        views.administrator_remove,
        name="administrator_remove",
    ),
    path(
        "<id:organisation_id>/invitations/<id:invitation_id>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("invitations/<id:invitation_id>/", views.invitation, name="invitation"),
    path("<id:organisation_id>/follow/", views.follow, name="follow"),
    path("<id:organisation_id>/resources/add/", views.resource_link, name="resource_link"),
    path(
        "<id:organisation_id>/resources/<id:resource_id>/remove/",
        views.resource_unlink,
        name="resource_unlink",
    ),
    path(
        "resources/<id:resource_id>/release/",
        views.resource_release,
        name="resource_release",
    ),
    path("<id:organisation_id>/unfollow/", views.unfollow, name="unfollow"),
    path("<id:organisation_id>/offers/new/", training_views.offer_new, name="offer_new"),
    path("offers/<id:offer_id>/", training_views.offer, name="offer"),
    path("offers/<id:offer_id>/edit/", training_views.offer_edit, name="offer_edit"),
    path("offers/<id:offer_id>/delete/", training_views.offer_delete, name="offer_delete"),
    path("training/", training_views.directory, name="directory"),
    path("training/guide/", training_views.guide, name="guide"),
    path("training/guide/save/", training_views.guide_save, name="guide_save"),
    path(
        "training/guide/saved/<id:saved_id>/forget/",
        training_views.guide_forget,
        name="guide_forget",
    ),
    path("staff/", staff_views.queue, name="staff_queue"),
    path("staff/<id:organisation_id>/", staff_views.review, name="staff_review"),
    path("staff/<id:organisation_id>/verify/", staff_views.verify, name="staff_verify"),
    path("staff/<id:organisation_id>/reject/", staff_views.reject, name="staff_reject"),
    path("staff/<id:organisation_id>/exclude/", staff_views.exclude, name="staff_exclude"),
    # Last: a slug would match the words of the paths above.
    path("<id:organisation_id>/<slug:slug>/", views.detail, name="detail"),
]
