"""What the JSON API returns: one schema per public thing, documented in the OpenAPI file."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from podium.feeds import links
from podium.seminars.models import Series, Talk
from podium.seminars.talks import ordered_speakers, talk_links
from podium.seminars.timezones import to_local


class LinkOut(Schema):
    label: str
    url: str


class OrganizerOut(Schema):
    name: str
    affiliation: str
    homepage: str


class SeriesOut(Schema):
    slug: str
    name: str
    short_name: str
    time_zone: str = Field(description="IANA time zone the series runs in.")
    slot_text: str = Field(description="The usual slot in words.")
    description: str = Field(description="Markdown, as the organizers wrote it.")
    description_html: str = Field(description="The description as sanitized HTML.")
    url: str = Field(description="The series' home page.")
    calendar_url: str = Field(description="The iCalendar feed to subscribe to.")
    atom_url: str
    links: list[LinkOut]
    organizers: list[OrganizerOut]

    @staticmethod
    def resolve_url(series: Series) -> str:
        return links.series_page_url(series)

    @staticmethod
    def resolve_calendar_url(series: Series) -> str:
        return links.series_feed_url(series)

    @staticmethod
    def resolve_atom_url(series: Series) -> str:
        return links.series_atom_url(series)

    @staticmethod
    def resolve_links(series: Series) -> list[dict]:
        return [{"label": link.label, "url": link.url} for link in series.links.all()]

    @staticmethod
    def resolve_organizers(series: Series) -> list[dict]:
        return [
            {"name": o.name, "affiliation": o.affiliation, "homepage": o.homepage}
            for o in series.organizers.all()
        ]


class SpeakerOut(Schema):
    name: str
    honorific: str
    affiliation: str
    homepage: str


class TalkOut(Schema):
    uid: UUID = Field(description="Stable identity of the talk; also its calendar UID.")
    series: str = Field(description="The series' slug.")
    slug: str = Field(description="The talk's address within the series; may change.")
    title: str
    has_title: bool = Field(description="False while the title is still to be announced.")
    abstract: str = Field(description="Markdown, as written.")
    abstract_html: str = Field(description="The abstract as sanitized HTML.")
    start: datetime = Field(description="Start in UTC, ISO 8601 with offset.")
    end: datetime = Field(description="End in UTC, ISO 8601 with offset.")
    local_start: datetime = Field(description="Start in the series' zone, with its offset.")
    time_zone: str = Field(description="The series' IANA time zone.")
    duration: int = Field(description="Minutes.")
    status: Literal["scheduled", "cancelled", "postponed"]
    status_note: str
    sequence: int = Field(description="Goes up with every public change.")
    updated: datetime = Field(description="The last public change.")
    url: str = Field(description="The talk's page.")
    calendar_url: str = Field(description="The talk as an iCalendar file.")
    registration_url: str
    livestream_url: str
    recording_url: str
    slides_url: str
    speakers: list[SpeakerOut]
    links: list[LinkOut]

    @staticmethod
    def resolve_series(talk: Talk) -> str:
        return talk.series.slug

    @staticmethod
    def resolve_local_start(talk: Talk) -> datetime:
        return to_local(talk.start, talk.series.time_zone)

    @staticmethod
    def resolve_time_zone(talk: Talk) -> str:
        return talk.series.time_zone

    @staticmethod
    def resolve_updated(talk: Talk) -> datetime:
        return talk.changed_at

    @staticmethod
    def resolve_url(talk: Talk) -> str:
        return links.talk_page_url(talk)

    @staticmethod
    def resolve_calendar_url(talk: Talk) -> str:
        return links.talk_calendar_url(talk)

    @staticmethod
    def resolve_speakers(talk: Talk) -> list[dict]:
        return [
            {
                "name": p.name,
                "honorific": p.honorific,
                "affiliation": p.affiliation,
                "homepage": p.homepage,
            }
            for p in ordered_speakers(talk)
        ]

    @staticmethod
    def resolve_links(talk: Talk) -> list[dict]:
        return [{"label": link.label, "url": link.url} for link in talk_links(talk)]


class Page(Schema):
    count: int = Field(description="How many items match, over all pages.")
    limit: int
    offset: int


class SeriesPage(Page):
    items: list[SeriesOut]


class TalkPage(Page):
    items: list[TalkOut]


class ErrorOut(Schema):
    detail: str


class ValidationProblem(Schema):
    type: str
    loc: list[str | int] = Field(description='Where: e.g. ["query", "limit"].')
    msg: str


class ValidationErrorOut(Schema):
    detail: list[ValidationProblem]
