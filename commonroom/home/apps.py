from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The home page: it shows what several apps offer, so it sits above them."""

    name = "commonroom.home"
    label = "home"
    verbose_name = _("Home page")
