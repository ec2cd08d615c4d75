from django.urls import path

from commonroom.legal import views

app_name = "legal"
urlpatterns = [
    path("terms/", views.terms, name="terms"),
    path("privacy/", views.privacy, name="privacy"),
    path("copyright/", views.copyright_in_education, name="copyright"),
    path("legal/<str:kind>/<str:version>/", views.document_version, name="version"),
    path("terms/accept/", views.terms_accept, name="terms_accept"),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact_sent"),
    path("staff/maintenance/", views.maintenance, name="maintenance"),
]
