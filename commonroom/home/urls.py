from django.urls import path

from commonroom.home import views

# No namespace: templates and settings name the home page plainly ('home').
urlpatterns = [
    path("", views.home, name="home"),
]
