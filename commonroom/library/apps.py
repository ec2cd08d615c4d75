from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "commonroom.library"
    label = "library"
    verbose_name = _("Saved resources and collections")
