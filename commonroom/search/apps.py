from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "commonroom.search"
    label = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from commonroom.search import checks  # noqa: F401  (registers them)

        # Search copies the vocabularies; taxonomy knows nothing of search.
        from commonroom.search.tasks import search_follow_taxonomy
        from commonroom.taxonomy.signals import taxonomy_changed

        taxonomy_changed.connect(search_follow_taxonomy, dispatch_uid="search_follow_taxonomy")
