from django.urls import path

from commonroom.moderation import suspension_views as views

app_name = "staff"
urlpatterns = [
    path("members/", views.staff_members, name="members"),
    path("members/<id:member_id>/suspend/", views.staff_suspend, name="suspend"),
    path("suspensions/<id:suspension_id>/lift/", views.staff_suspension_lift, name="lift"),
]
