from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "commonroom.core"
    label = "core"

    def ready(self) -> None:
        # Before any URLconf is loaded: every app's urls write ids as <id:...>.
        from commonroom.core import converters

        converters.register()
