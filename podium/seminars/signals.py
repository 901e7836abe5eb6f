"""Keep series revisions right when talks disappear (deletion bypasses save_talk)."""

from django.db.models import F
from django.db.models.signals import post_delete
from django.dispatch import receiver

from podium.seminars.models import Series, Talk


@receiver(post_delete, sender=Talk)
def talk_deleted(sender, instance: Talk, **kwargs) -> None:
    """A deleted talk leaves its series' pages and feeds: rebuild them."""
    Series.objects.filter(pk=instance.series_id).update(revision=F("revision") + 1)
