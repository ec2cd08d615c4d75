from django.urls import path

from commonroom.people import views

app_name = "people"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("<id:member_id>/", views.profile, name="profile"),
    path("<id:member_id>/follow/", views.member_follow, name="follow"),
    path("<id:member_id>/unfollow/", views.member_unfollow, name="unfollow"),
    path("<id:member_id>/verify/", views.verify, name="verify"),
    path("<id:member_id>/unverify/", views.unverify, name="unverify"),
    path("tutors/", views.tutors, name="tutors"),
    path("tutors/me/", views.tutor_me, name="tutor_me"),
    path("following/", views.following, name="following"),
    path("subjects/", views.subjects, name="subjects"),
    path("subjects/<slug:slug>/follow/", views.subject_follow, name="subject_follow"),
    path("subjects/<slug:slug>/unfollow/", views.subject_unfollow, name="subject_unfollow"),
]
