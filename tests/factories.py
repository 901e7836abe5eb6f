"""Factories for real objects: tests build series, people and talks through these."""

from datetime import UTC, datetime, timedelta

import factory
from django.contrib.auth import get_user_model

from podium.seminars.models import Organizer, Person, Series, Talk, Visibility
from podium.seminars.talks import save_talk


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Seminar Series {n}")
    slug = factory.Sequence(lambda n: f"series-{n}")
    short_name = factory.Sequence(lambda n: f"S{n}")
    time_zone = "Europe/London"
    visibility = Visibility.PUBLIC
    description = "A series about **privacy** and security."


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Speaker {n}")
    affiliation = "University College London"
    bio = "Works on *machine learning* security."


class TalkFactory(factory.django.DjangoModelFactory):
    """A scheduled talk a week from now, with one speaker, saved by `save_talk`."""

    class Meta:
        model = Talk

    series = factory.SubFactory(SeriesFactory)
    title = factory.Sequence(lambda n: f"Attacks on Model Number {n}")
    abstract = "We show an *attack*."
    start = factory.LazyFunction(
        lambda: (datetime.now(UTC) + timedelta(days=7)).replace(second=0, microsecond=0)
    )
    registration_url = "https://example.org/register"
    livestream_url = "https://example.org/live"

    @classmethod
    def _create(cls, model_class, *args, speakers=None, **kwargs):
        talk = model_class(*args, **kwargs)
        return save_talk(talk, speakers=speakers if speakers is not None else [PersonFactory()])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.django.Password("correct horse battery")


def make_organizer(series: Series, **kwargs) -> object:
    """A staff user who organizes `series`."""
    user = UserFactory(**kwargs)
    Organizer.objects.create(series=series, name=user.username, user=user)
    return user
