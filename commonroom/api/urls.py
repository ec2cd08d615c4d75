from django.urls import path

from commonroom.api import views

app_name = "api"

urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<id:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("v1/docs", views.docs, name="docs"),
    # Any other address under /api/ is a JSON 404, not the site's page.
    path("<path:rest>", views.not_found, name="not_found"),
]
