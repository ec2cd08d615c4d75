from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo and benchmark data: they fill every app, so they sit above them."""

    name = "commonroom.demo"
    label = "demo"
    verbose_name = _("Demo data")
