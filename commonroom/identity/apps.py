from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "commonroom.identity"
    verbose_name = _("Sign-in both ways")

    def ready(self) -> None:
        # What staff need not see in the admin (registered by the libraries'
        # admin modules, all loaded by now): pending authorisation codes and ID
        # tokens are internal to the flow; external providers are configured in
        # the environment (OIDC_PROVIDERS), never in the database, and the
        # tokens they hand out stay hidden.
        from allauth.socialaccount.models import SocialApp, SocialToken
        from django.contrib import admin
        from oauth2_provider.models import Grant, IDToken

        for model in (Grant, IDToken, SocialApp, SocialToken):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
