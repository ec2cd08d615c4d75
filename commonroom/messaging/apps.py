from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "commonroom.messaging"
    label = "messaging"
    verbose_name = _("Private messages")
