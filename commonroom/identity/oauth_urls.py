"""The OpenID Connect provider's endpoints, in django-oauth-toolkit's URL
namespace (its views reverse these names). Only what Commonroom offers:
authorization code with PKCE, token, revocation, userinfo, discovery, JWKS."""

from django.urls import path
from oauth2_provider import views as oauth_views

from commonroom.identity.views import ConsentView, RateLimitedTokenView

app_name = "oauth2_provider"
urlpatterns = [
    path("o/authorize/", ConsentView.as_view(), name="authorize"),
    path("o/token/", RateLimitedTokenView.as_view(), name="token"),
    path("o/revoke_token/", oauth_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("o/userinfo/", oauth_views.UserInfoView.as_view(), name="user-info"),
    path(
        ".well-known/openid-configuration",
        oauth_views.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", oauth_views.JwksInfoView.as_view(), name="jwks-info"),
]
