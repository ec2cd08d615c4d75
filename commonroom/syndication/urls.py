"""/robots.txt, /sitemap.xml and its sections, /oembed, and /feeds/<route>
of every feed a content app declares (its ``feeds.py``)."""

from django.urls import URLPattern, path

from commonroom.syndication import registry, views

app_name = "syndication"


def _feed_patterns() -> list[URLPattern]:
    return [path(f"feeds/{r.route}", r.feed, name=r.name) for r in registry.feed_routes()]


urlpatterns = [
    path("robots.txt", views.robots, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
    path("oembed", views.oembed, name="oembed"),
    *_feed_patterns(),
]
