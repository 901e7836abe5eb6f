"""Loading a feed's talks in chunks: the same talks, speakers and links as a talk page reads."""

import pytest

from podium.feeds.window import calendar_talks, feed_window, in_chunks
from podium.seminars.models import Series
from podium.seminars.talks import ordered_speakers, save_talk, talk_links
from tests.factories import PersonFactory, SeriesFactory, TalkFactory

pytestmark = pytest.mark.django_db


def make_talks(series, count):
    talks = []
    for number in range(count):
        speakers = [PersonFactory(name=f"Speaker {number}.{n}") for n in range(number % 3 + 1)]
        talk = TalkFactory(series=series, speakers=speakers[::-1])
        if number % 2:
            save_talk(talk, links=[(f"Link {n}", f"https://example.org/{n}") for n in (2, 1)])
        talks.append(talk)
    return talks


@pytest.mark.parametrize("size", [1, 2, 5, 500])
def test_chunks_hold_every_talk_with_its_speakers_and_links_in_order(frozen, size):
    series = SeriesFactory()
    make_talks(series, 5)
    talks = calendar_talks(series, feed_window())
    expected = [
        (
            talk.pk,
            [p.pk for p in ordered_speakers(talk)],
            [(x.label, x.url) for x in talk.links.all()],
        )
        for talk in talks
    ]
    loaded = [
        (
            talk.pk,
            [p.pk for p in ordered_speakers(talk)],
            [(x.label, x.url) for x in talk_links(talk)],
        )
        for talk in in_chunks(talks, size)
    ]
    assert loaded == expected
    assert [len(speakers) for _, speakers, _ in loaded] == [1, 2, 3, 1, 2]
    assert [len(links) for _, _, links in loaded] == [0, 2, 0, 2, 0]


def test_each_chunk_costs_three_queries_and_shares_its_series(frozen, django_assert_num_queries):
    series, other = SeriesFactory(), SeriesFactory()
    make_talks(series, 4)
    make_talks(other, 1)
    talks = calendar_talks(Series.objects.all(), feed_window())
    # One query for the talks, then series, speakers and links for each of the three chunks.
    with django_assert_num_queries(1 + 3 * 3):
        items = list(in_chunks(talks, 2))
    with django_assert_num_queries(0):
        names = {talk.series.name for talk in items}
        assert all(person.display_name for talk in items for person in ordered_speakers(talk))
        assert all(isinstance(talk_links(talk), list) for talk in items)
    assert names == {series.name, other.name}
    first, second = (talk.series for talk in items[:2])
    assert first is second
