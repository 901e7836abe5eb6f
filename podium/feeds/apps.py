from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "podium.feeds"
    label = "feeds"
    verbose_name = "Calendars and feeds"
