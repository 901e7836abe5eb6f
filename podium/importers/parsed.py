"""What an importer reads from a page or a calendar, before it touches the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time


@dataclass
class PageWarning:
    """Something in the input a person should look at; the import goes on."""

    kind: str
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class ImportRefused(Exception):
    """Input that cannot be imported at all; nothing of its file is written."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        self.file, self.line, self.message = file, line, message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")


@dataclass
class ParsedSpeaker:
    name: str
    honorific: str = ""
    affiliation: str = ""
    homepage: str = ""
    bio: str = ""


@dataclass
class ParsedTalk:
    """One talk as the page shows it; `start` is None when only a date is known."""

    line: int
    day: date
    start: datetime | None = None  # aware UTC, when the page gives a time
    zone: str = ""
    duration: int | None = None  # minutes, when the input says (calendar files do)
    moved_from: date | None = None  # "~~27 October~~ 17 November": the date it had before
    speakers: list[ParsedSpeaker] = field(default_factory=list)
    title: str = ""
    abstract: str = ""
    registration_url: str = ""
    livestream_url: str = ""
    recording_url: str = ""
    slides_url: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    photo: str = ""  # file name of the photo the page shows next to the talk
    cancelled: bool = False
    section: str = ""


@dataclass
class ParsedOrganizer:
    name: str
    affiliation: str = ""
    homepage: str = ""


@dataclass
class ParsedPage:
    """A whole page: the series' own texts and links, its organizers and its talks."""

    file: str
    title: str = ""
    short_name: str = ""
    description: str = ""
    earlier_iterations: str = ""
    slot_text: str = ""
    default_weekday: int | None = None
    default_start_time: time | None = None
    zone: str = ""
    links: list[tuple[str, str]] | None = None  # None: the page has no such section
    organizers: list[ParsedOrganizer] | None = None
    talks: list[ParsedTalk] = field(default_factory=list)
    warnings: list[PageWarning] = field(default_factory=list)

    def warn(self, kind: str, line: int | None, message: str) -> None:
        self.warnings.append(PageWarning(kind, self.file, line, message))
