from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "podium.importers"
    verbose_name = "Importers"
