from django.apps import AppConfig


class OaiConfig(AppConfig):
    name = "commonroom.oai"
    label = "oai"
    verbose_name = "OAI-PMH"

    def ready(self) -> None:
        from commonroom.oai import receivers

        receivers.connect()
