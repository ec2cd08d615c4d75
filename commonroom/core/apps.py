from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "commonroom.core"
    label = "core"
