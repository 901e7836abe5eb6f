from django.apps import AppConfig


class ExportConfig(AppConfig):
    name = "podium.export"
    label = "export"
    verbose_name = "Static export"
