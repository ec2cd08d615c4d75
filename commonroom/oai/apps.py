from django.apps import AppConfig


class OaiConfig(AppConfig):
    name = "commonroom.oai"
    label = "oai"
    verbose_name = "OAI-PMH"
