from django.urls import path

from commonroom.social import views

app_name = "social"
urlpatterns = [
    path("", views.notifications, name="notifications"),
]
