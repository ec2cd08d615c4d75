from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffroomConfig(AppConfig):
    name = "commonroom.staffroom"
    verbose_name = _("Staffroom")
