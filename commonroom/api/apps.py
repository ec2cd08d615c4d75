from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The JSON API under /api/v1/ (issue 18): personal access tokens,
    authentication, errors, cursor pagination, budgets and the assembly of
    the routers each app provides in its own ``<app>/api.py`` (found by
    ``core.discovery.app_modules``), so this app knows no content app."""

    name = "commonroom.api"
    label = "api"
    verbose_name = _("API")
