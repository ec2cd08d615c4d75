from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from commonroom.api import site as api_site
from commonroom.core import health, metrics

urlpatterns = [
    path("", include("commonroom.home.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("commonroom.accounts.urls")),
    path("accounts/apps/", include("commonroom.identity.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("commonroom.legal.urls")),
    path("resources/", include("commonroom.resources.urls")),
    path("moderation/", include("commonroom.moderation.urls")),
    path("", include("commonroom.notifications.urls")),
    path("", include("commonroom.social.urls")),
    path("library/", include("commonroom.library.urls")),
    path("messages/", include("commonroom.messaging.urls")),
    path("people/", include("commonroom.people.urls")),
    path("organisations/", include("commonroom.organisations.urls")),
    path("search/", include("commonroom.search.urls")),
    path("staffroom/", include("commonroom.staffroom.urls")),
    path("staff/", include("commonroom.moderation.staff_urls")),
    path("oai", include("commonroom.oai.urls")),
    # The JSON API (its routers come from each app's api.py), then its pages.
    path("api/v1/", api_site.urls()),
    path("api/", include("commonroom.api.urls")),
    path("admin/", admin.site.urls),
    # robots.txt, sitemap.xml, oembed, feeds/
    path("", include("commonroom.syndication.urls")),
    # Commonroom as an OpenID Connect provider: /o/… and /.well-known/….
    path("", include("commonroom.identity.oauth_urls")),
    # Answered by HealthCheckMiddleware before any other; listed for reverse().
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
else:
    # Media is served by the application on a laptop; at scale, object storage
    # or nginx serves it (deploy/nginx.conf) and this route is never reached.
    from django.views.static import serve

    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

handler403 = "commonroom.core.views.forbidden"
handler404 = "commonroom.core.views.not_found"
handler500 = "commonroom.core.views.server_error"
