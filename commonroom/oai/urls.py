from django.urls import path

from commonroom.oai import views

app_name = "oai"

urlpatterns = [
    path("", views.endpoint, name="endpoint"),
]
