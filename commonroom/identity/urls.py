from django.urls import path

from commonroom.identity import views

app_name = "identity"
urlpatterns = [
    path("", views.granted_apps, name="granted_apps"),
    path("<id:application_id>/revoke/", views.app_revoke, name="app_revoke"),
]
