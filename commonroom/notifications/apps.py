from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """What the platform tells a member: in the app, by e-mail or in a daily
    digest. The kinds are registered by the apps that own them
    (``<app>/notifications.py``), so this app knows no content app."""

    name = "commonroom.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
