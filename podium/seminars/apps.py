from django.apps import AppConfig


class SeminarsConfig(AppConfig):
    name = "podium.seminars"
    label = "seminars"
    verbose_name = "Seminars"

    def ready(self) -> None:
        from podium.seminars import signals  # noqa: F401
