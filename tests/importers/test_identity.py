"""Who is who and which talk is which: the matching rules, directly."""

from datetime import date

import pytest

from podium.importers.identity import (
    KnownPerson,
    PeopleIndex,
    TalkFacts,
    affiliations_agree,
    match_talks,
    names_close,
    normalise_name,
    titles_similar,
)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Prof. Konrad Rieck", "konrad rieck"),
        ("Dr. Sara  Hooker", "sara hooker"),
        ("Florian Tramèr", "florian tramer"),
        ("Ana-Maria Cretu", "ana maria cretu"),
        ("Ben Y. Zhao", "ben y zhao"),
    ],
)
def test_names_are_compared_without_honorifics_accents_case_or_punctuation(name, key):
    assert normalise_name(name) == key


@pytest.mark.parametrize(
    ("first", "second", "close"),
    [
        ("reza shorki", "reza shokri", True),
        ("kumal talwar", "kunal talwar", True),
        ("nicolas carlini", "nicholas carlini", True),
        ("nicolas papernot", "nicholas carlini", False),
        ("yang zhang", "yang zhong", True),  # close, so matching needs more evidence
        ("gang wang", "tianhao wang", False),
        ("binghui wang", "gang wang", False),
        ("speaker 13", "speaker 27", False),
        ("li xiong", "lu xiong", False),
        ("ada lovelave", "ada lovelace", True),
    ],
)
def test_names_close(first, second, close):
    assert names_close(first, second) is close


@pytest.mark.parametrize(
    ("first", "second", "agree"),
    [
        ("TU Braunschweig", "Technische Universität Braunschweig", True),
        ("UCSD", "UC San Diego", True),
        ("Google Brain", "Google Brain & ETH", True),
        ("CISPA", "Fudan University", False),
        ("", "UCL", None),
    ],
)
def test_affiliations_agree(first, second, agree):
    assert affiliations_agree(first, second) is agree


def index(*people):
    return PeopleIndex(KnownPerson(i, *fields) for i, fields in enumerate(people, start=1))


def test_exact_name_is_the_same_person_whatever_the_honorific():
    people = index(("Konrad Rieck", "TU Braunschweig"))
    assert people.find("Prof. Konrad Rieck", "Technische Universität Braunschweig").id == 1


def test_a_typo_with_the_same_affiliation_is_the_same_person():
    people = index(("Reza Shorki", "National University of Singapore"))
    assert people.find("Reza Shokri", "National University of Singapore").id == 1


def test_a_typo_alone_is_not_enough():
    people = index(("Yang Zhang", "CISPA"))
    assert people.find("Yang Zhong", "Fudan University") is None
    assert people.find("Yang Zhong") is None


def test_a_typo_in_the_same_talk_is_the_same_person():
    people = index(("Kumal Talwar", ""))
    assert people.find("Kunal Talwar", "Apple") is None
    assert people.find("Kunal Talwar", "Apple", context=[1]).id == 1


def test_same_homepage_supports_a_typo():
    people = index(("Nicolas Carlini", "Google Brain", "https://nicholas.carlini.com/"))
    assert people.find("Nicholas Carlini", "Google DeepMind", "https://nicholas.carlini.com").id


def test_two_people_with_the_same_name_are_told_apart_by_affiliation():
    people = index(("Yang Zhang", "CISPA"), ("Yang Zhang", "University of Somewhere"))
    assert people.find("Yang Zhang", "CISPA Helmholtz Center").id == 1
    assert people.find("Yang Zhang", "Somewhere University").id == 2


def test_titles_similar_ignores_typos_but_never_matches_tba():
    assert titles_similar(
        "Private Measurement of Nonlinear Correlations in a Distributed Detting",
        "Private Measurement of Nonlinear Correlations in a Distributed Setting",
    )
    assert not titles_similar("TBA", "TBA")
    assert not titles_similar("Blind Backdoors in Deep Learning", "Secure Self-supervised Learning")


def facts(key, day, speakers, title="TBA", moved_from=None, names=()):
    return TalkFacts(key, day, frozenset(speakers), title, tuple(names), moved_from)


D = date


def test_same_day_and_speaker_is_the_same_talk_even_with_a_new_title():
    page = [facts(0, D(2021, 11, 17), {2}, "Advanced Membership Inference Attacks")]
    known = [facts(10, D(2021, 11, 17), {2}, "Privacy Auditing in Machine Learning")]
    assert match_talks(page, known) == {0: (10, "same day and speaker")}


def test_a_marked_move_follows_the_struck_date():
    page = [facts(0, D(2021, 11, 17), {2}, "New title", moved_from=D(2021, 10, 27))]
    known = [facts(10, D(2021, 10, 27), {2}, "Privacy Auditing in Machine Learning")]
    assert match_talks(page, known)[0][0] == 10


def test_same_speakers_and_title_on_another_day_is_a_reschedule():
    page = [facts(0, D(2022, 7, 12), {5, 6}, "Unlocking High-Accuracy DP Image Classification")]
    known = [facts(10, D(2022, 6, 28), {5, 6}, "Unlocking High-Accuracy DP Image Classification")]
    assert match_talks(page, known)[0] == (
        10,
        "same speakers and title on another day (rescheduled)",
    )


def test_an_unmarked_move_of_an_untitled_talk_is_recognised_only_when_the_old_day_is_gone():
    known = [facts(10, D(2023, 4, 5), {7})]
    assert match_talks([facts(0, D(2023, 4, 19), {7})], known)[0][0] == 10
    both = [facts(0, D(2023, 4, 5), {7}), facts(1, D(2023, 4, 19), {7})]
    assert match_talks(both, known) == {0: (10, "same day and speaker")}


def test_two_talks_on_one_day_stay_two_talks():
    page = [facts(0, D(2021, 1, 27), {1}, "A"), facts(1, D(2021, 1, 27), {2}, "B")]
    known = [facts(10, D(2021, 1, 27), {1}, "A"), facts(11, D(2021, 1, 27), {2}, "B")]
    assert {k: v[0] for k, v in match_talks(page, known).items()} == {0: 10, 1: 11}


def test_a_speakers_second_talk_months_later_is_a_new_talk():
    page = [
        facts(0, D(2022, 3, 9), {3}, "What Does it Mean for a Language Model to Preserve Privacy?")
    ]
    known = [facts(10, D(2021, 6, 2), {3}, "Low Overhead Techniques for Privacy and Fairness")]
    assert match_talks(page, known) == {}


def test_a_renamed_speaker_on_the_same_day_is_matched_by_name_closeness():
    page = [facts(0, D(2021, 7, 28), set(), "Private SCO", names=("Kunal Talwar",))]
    known = [facts(10, D(2021, 7, 28), {4}, "Private SCO", names=("Kumal Talwar",))]
    assert match_talks(page, known)[0][0] == 10
