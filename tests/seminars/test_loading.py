"""Instances built straight from rows (podium/seminars/loading.py) are Django's instances."""

import pytest
from django.db import models
from django.db.models.signals import post_init

from podium.seminars.models import Person, Talk, TalkLink, TalkSpeaker
from tests.factories import PersonFactory, TalkFactory

pytestmark = pytest.mark.django_db


def _as_django_loads(queryset, *loaded_models):
    """The same rows, the instances of `loaded_models` built by Django's `Model.from_db`."""
    originals = {model: model.from_db for model in loaded_models}
    for model in loaded_models:
        model.from_db = classmethod(models.Model.from_db.__func__)
    try:
        return list(queryset)
    finally:
        for model, original in originals.items():
            model.from_db = original


def _attributes(instance) -> dict:
    return {name: value for name, value in vars(instance).items() if name != "_state"}


@pytest.mark.parametrize("deferred", [(), ("abstract", "created_at")])
def test_a_loaded_talk_has_exactly_what_django_would_give_it(deferred):
    talk = TalkFactory(title="Membership inference", abstract="*Some* text.")
    TalkLink.objects.create(talk=talk, label="Paper", url="https://example.org/paper")
    queryset = Talk.objects.filter(pk=talk.pk).defer(*deferred)
    [ours], [django] = list(queryset), _as_django_loads(queryset, Talk)
    assert _attributes(ours) == _attributes(django)
    assert set(ours.get_deferred_fields()) == set(deferred) == set(django.get_deferred_fields())
    assert (ours._state.adding, ours._state.db) == (False, "default")
    # Deferred columns load on access, and the instance saves as an update, as Django's.
    if deferred:
        assert ours.abstract == "*Some* text."
    ours.title = "Renamed"
    ours.save()
    assert Talk.objects.filter(title="Renamed").count() == 1 and Talk.objects.count() == 1


def test_rows_joined_in_one_query_build_both_instances():
    person = PersonFactory(name="Ada", affiliation="Somewhere")
    talk = TalkFactory()
    TalkSpeaker.objects.create(talk=talk, person=person, position=0)
    queryset = TalkSpeaker.objects.select_related("person").filter(talk=talk, person=person)
    [ours], [django] = list(queryset), _as_django_loads(queryset, TalkSpeaker, Person)
    assert _attributes(ours) == _attributes(django)
    assert _attributes(ours.person) == _attributes(django.person)
    assert ours.person.photo.name == django.person.photo.name


def test_a_model_with_init_listeners_is_built_by_django():
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance.pk)

    talk = TalkFactory()
    post_init.connect(listener, sender=Talk)
    try:
        loaded = Talk.objects.get(pk=talk.pk)
    finally:
        post_init.disconnect(listener, sender=Talk)
    assert seen == [loaded.pk]
