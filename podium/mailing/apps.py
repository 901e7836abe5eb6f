from django.apps import AppConfig
from django.db.models.signals import post_save


class MailingConfig(AppConfig):
    name = "podium.mailing"
    label = "mailing"
    verbose_name = "Mailing lists"

    def ready(self) -> None:
        from podium.seminars.models import Series

        post_save.connect(_give_new_series_lists, sender=Series, dispatch_uid="mailing-lists")


def _give_new_series_lists(sender, instance, created, raw=False, **kwargs) -> None:
    # Every series starts with “Seminar announcements” and “Job announcements”.
    if created and not raw:
        from podium.mailing.announcements import ensure_mailing_setup

        ensure_mailing_setup(instance)
