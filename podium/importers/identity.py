"""Who is who and which talk is which, across versions of a page: the matching rules.

A person reading two versions of a seminar page side by side would say that:
- a speaker is the same person when the name is the same once honorifics, accents, case and
  punctuation are set aside ("Prof. Konrad Rieck" = "Konrad Rieck"), or when it differs by a
  typo (an edit or two: "Reza Shorki" = "Reza Shokri") AND something else agrees: the same
  affiliation, the same homepage, or the same talk (same series and day). A similar name
  alone is never enough: "Nicolas Papernot" and "Nicholas Carlini" stay two people;
- a talk is the same talk when it is on the same day with a speaker in common, or on the same
  day with the same title; when it says it moved ("~~27 October~~ 17 November") from a day the
  talk had; or when the same speakers give the same title on another day (rescheduled);
  or, last, when the same speakers appear on a new day within three months while their
  old talk, still untitled, is gone from the page (a move nobody marked).
Each talk of the page takes at most one existing talk and the other way round; the best
evidence is matched first.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from podium.importers.dates import edit_distance
from podium.importers.speakers import split_honorific
from podium.seminars.models import TBA_TITLES

GENERIC_AFFILIATION_WORDS = frozenset(
    {
        "university", "universitat", "universite", "universita", "of", "the", "and", "at",
        "for", "in", "de", "di", "institute", "institut", "college", "school", "research",
        "center", "centre", "lab", "labs", "laboratory", "technology", "technical",
        "technische", "inc", "ltd",
    }
)  # fmt: skip
UNMARKED_MOVE_DAYS = 92


def normalise_name(name: str) -> str:
    """ "konrad rieck" from "Prof. Konrad Rieck"; accents, case, dots and hyphens set aside."""
    _, bare = split_honorific(" ".join(name.split()))
    decomposed = unicodedata.normalize("NFKD", bare)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w\s]|_", " ", plain.lower()).split())


def _letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def affiliation_words(affiliation: str) -> set[str]:
    """The telling words of an affiliation: "braunschweig" of "TU Braunschweig"."""
    words = re.findall(r"\w+", _letters(affiliation))
    return {word for word in words if word not in GENERIC_AFFILIATION_WORDS and len(word) > 1}


def affiliations_agree(first: str, second: str) -> bool | None:
    """True when two affiliations name the same place ("UCSD" and "UC San Diego"), False when
    they plainly differ, None when one is unknown."""
    if not first.strip() or not second.strip():
        return None
    a, b = affiliation_words(first), affiliation_words(second)
    if a & b:
        return True
    return _acronym(first) in b or _acronym(second) in a


def _acronym(affiliation: str) -> str:
    words = re.findall(r"[A-Za-z]+", affiliation)
    letters = "".join(word[0] if not word.isupper() else word for word in words)
    return letters.lower()


def names_close(first: str, second: str) -> bool:
    """Whether two normalised names differ by no more than a typo in one of their words.

    The word must be a real word of four letters or more ("Shorki"/"Shokri", "Kumal"/"Kunal",
    "Nicolas"/"Nicholas"); numbers and short names ("Li", "De") are never typo-matched.
    """
    if first == second:
        return True
    words_a, words_b = first.split(), second.split()
    if len(words_a) != len(words_b):
        return False
    differing = [(a, b) for a, b in zip(words_a, words_b, strict=True) if a != b]
    if len(differing) != 1:
        return False
    a, b = differing[0]
    if not (a.isalpha() and b.isalpha()) or min(len(a), len(b)) < 4:
        return False
    return edit_distance(a, b) <= (1 if min(len(a), len(b)) < 7 else 2)


def titles_similar(first: str, second: str) -> bool:
    """Whether two (real, not TBA) titles are the same title, typos and case set aside."""
    if is_tba(first) or is_tba(second):
        return False
    a, b = normalise_name(first), normalise_name(second)
    return a == b or SequenceMatcher(None, a, b).ratio() >= 0.85


def is_tba(title: str) -> bool:
    return title.strip(" .").lower() in TBA_TITLES


@dataclass
class KnownPerson:
    """What matching needs to know of a person already in the database."""

    id: int
    name: str
    affiliation: str = ""
    homepage: str = ""
    key: str = field(init=False)

    def __post_init__(self) -> None:
        self.key = normalise_name(self.name)


class PeopleIndex:
    """Everyone known, indexed for matching a speaker line to a person."""

    def __init__(self, people: Iterable[KnownPerson]) -> None:
        self.by_key: dict[str, list[KnownPerson]] = defaultdict(list)
        self.by_last: dict[str, list[KnownPerson]] = defaultdict(list)
        for person in people:
            self.add(person)

    def add(self, person: KnownPerson) -> None:
        if person.key:
            self.by_key[person.key].append(person)
            self.by_last[person.key.split()[-1]].append(person)
            self.by_last[person.key.split()[0]].append(person)

    def find(
        self, name: str, affiliation: str = "", homepage: str = "", context: Iterable[int] = ()
    ) -> KnownPerson | None:
        """The known person a speaker is, or None for someone new (see the module rules)."""
        key = normalise_name(name)
        if not key:
            return None
        context = set(context)
        exact = self.by_key.get(key, [])
        if exact:
            return max(exact, key=lambda p: _evidence(p, affiliation, homepage, context))
        nearby = {p.id: p for part in (key.split()[0], key.split()[-1]) for p in self.by_last[part]}
        close = [p for p in nearby.values() if names_close(key, p.key)]
        supported = [p for p in close if _evidence(p, affiliation, homepage, context) > 0]
        if not supported:
            return None
        return max(supported, key=lambda p: _evidence(p, affiliation, homepage, context))


def _evidence(person: KnownPerson, affiliation: str, homepage: str, context: set[int]) -> int:
    score = 0
    if person.id in context:
        score += 4
    if homepage and person.homepage and homepage.rstrip("/") == person.homepage.rstrip("/"):
        score += 2
    if affiliations_agree(affiliation, person.affiliation):
        score += 1
    return score


@dataclass
class TalkFacts:
    """What matching compares of a talk: its local day, speakers and title."""

    key: int  # index in the page, or the id of a talk in the database
    day: date
    speakers: frozenset[int]  # ids of people known to be its speakers
    title: str
    speaker_names: tuple[str, ...] = ()
    moved_from: date | None = None
    # Its address (`talks.slug_base`); for a known talk, every address it has had too.
    addresses: frozenset[str] = frozenset()


def match_talks(page: list[TalkFacts], existing: list[TalkFacts]) -> dict[int, tuple[int, str]]:
    """{page key: (existing key, why)} for each talk of the page that is a known talk."""
    by_day: dict[date, list[TalkFacts]] = defaultdict(list)
    by_speaker: dict[int, list[TalkFacts]] = defaultdict(list)
    for talk in existing:
        by_day[talk.day].append(talk)
        for person in talk.speakers:
            by_speaker[person].append(talk)
    pairs = []
    for new in page:
        candidates = {t.key: t for t in by_day.get(new.day, [])}
        if new.moved_from:
            candidates.update({t.key: t for t in by_day.get(new.moved_from, [])})
        for person in new.speakers:
            candidates.update({t.key: t for t in by_speaker.get(person, [])})
        for old in candidates.values():
            score, why = _talk_evidence(new, old)
            if score:
                pairs.append((score, -abs((new.day - old.day).days), new.key, old.key, why))
    pairs.sort(reverse=True)
    matched: dict[int, tuple[int, str]] = {}
    taken: set[int] = set()
    for score, _, new_key, old_key, why in pairs:
        if new_key in matched or old_key in taken:
            continue
        if score == 1 and not _unmarked_move_allowed(new_key, old_key, page, existing):
            continue
        matched[new_key] = (old_key, why)
        taken.add(old_key)
    return matched


def _shares_speaker(new: TalkFacts, old: TalkFacts) -> bool:
    if new.speakers & old.speakers:
        return True
    keys_old = [normalise_name(n) for n in old.speaker_names]
    return any(
        names_close(normalise_name(name), key) for name in new.speaker_names for key in keys_old
    )


def _talk_evidence(new: TalkFacts, old: TalkFacts) -> tuple[int, str]:
    same_day = new.day == old.day
    shared = _shares_speaker(new, old)
    if same_day and shared:
        return 5, "same day and speaker"
    if new.moved_from == old.day and shared:
        return 4, "moved, as the page marks"
    if new.addresses & old.addresses:
        # An earlier version of the page, read after later ones (a history imported
        # again): the talk had this day and title then, and their address since.
        return 4, "an address the talk had"
    if same_day and titles_similar(new.title, old.title):
        return 3, "same day and title"
    if shared and titles_similar(new.title, old.title):
        return 2, "same speakers and title on another day (rescheduled)"
    if (
        shared
        and new.speakers == old.speakers
        and (is_tba(new.title) or is_tba(old.title))
        and abs((new.day - old.day).days) <= UNMARKED_MOVE_DAYS
    ):
        return 1, "same speakers, still untitled, on a nearby day (moved)"
    return 0, ""


def _unmarked_move_allowed(
    new_key: int, old_key: int, page: list[TalkFacts], existing: list[TalkFacts]
) -> bool:
    """An unmarked move only when the old talk's day is gone from the page for its speakers."""
    old = next(t for t in existing if t.key == old_key)
    return not any(t.day == old.day and t.speakers & old.speakers for t in page)
