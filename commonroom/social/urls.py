from django.urls import path

from commonroom.social import views

app_name = "social"
urlpatterns = [
    path("feed/", views.feed, name="feed"),
    path("resources/<id:resource_id>/reactions/", views.reaction_post, name="reaction_post"),
    path("resources/<id:resource_id>/rating/", views.rate, name="rate"),
    path("resources/<id:resource_id>/used-in-class/", views.classroom_use, name="classroom_use"),
    path("reactions/<id:reaction_id>/edit/", views.reaction_edit, name="reaction_edit"),
    path("reactions/<id:reaction_id>/delete/", views.reaction_delete, name="reaction_delete"),
    path("reactions/<id:reaction_id>/hide/", views.reaction_hide, name="reaction_hide"),
    path("reactions/<id:reaction_id>/moderate/", views.reaction_moderate, name="reaction_moderate"),
    path("reactions/<id:reaction_id>/release/", views.reaction_release, name="reaction_release"),
    path("reactions/<id:reaction_id>/reject/", views.reaction_reject, name="reaction_reject"),
    path("reactions/held/", views.held_reactions, name="held_reactions"),
]
