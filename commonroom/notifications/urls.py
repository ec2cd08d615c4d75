from django.urls import path

from commonroom.notifications import views

# The same paths as when these pages lived in social: links in mails already
# sent (unsubscribe above all) keep working.
app_name = "notifications"
urlpatterns = [
    path("notifications/", views.centre, name="centre"),
    path("notifications/settings/", views.preferences, name="preferences"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
