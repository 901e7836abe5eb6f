"""Words of the emails about a talk: announcement, reminder and correction, drafted from it."""

from __future__ import annotations

import re
from datetime import datetime

from podium.seminars.addresses import absolute
from podium.seminars.models import Talk, TalkStatus
from podium.seminars.talks import ordered_speakers
from podium.seminars.timezones import format_series_time, format_subject_time

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md_escape(text: str) -> str:
    """Text typed by organizers shown literally inside Markdown."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def one_line(text: str) -> str:
    """Collapse any run of whitespace (line breaks included) into one space."""
    return " ".join(text.split())


def speaker_names(talk: Talk) -> str:
    names = [person.display_name for person in ordered_speakers(talk)]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def talk_url(talk: Talk) -> str:
    return absolute(talk.get_absolute_url())


def announcement_subject(talk: Talk, prefix: str = "") -> str:
    """“[PriSec-ML] Wed 13 Oct, 13:00 UK: Konrad Rieck — Adversarial Preprocessing”."""
    when = format_subject_time(talk.start, talk.series.time_zone)
    speakers = speaker_names(talk)
    about = f"{speakers} — {talk.title}" if speakers else talk.title
    return one_line(f"[{talk.series.short_name}] {prefix}{when}: {about}")[:250]


def when_lines(start: datetime, zone: str) -> str:
    """The time in the series' zone and in UTC, as Markdown."""
    return (
        f"**When:** {format_series_time(start, zone)}  \n"
        f"(that is {format_series_time(start, 'UTC')})"
    )


def _links(talk: Talk) -> list[str]:
    lines = []
    if talk.registration_url:
        lines.append(f"- Register: <{talk.registration_url}>")
    if talk.livestream_url:
        lines.append(f"- Livestream: <{talk.livestream_url}>")
    lines.append(f"- Talk page: <{talk_url(talk)}>")
    return lines


def _speaker_line(talk: Talk) -> str:
    people = []
    for person in ordered_speakers(talk):
        who = md_escape(person.display_name)
        people.append(f"{who} ({md_escape(person.affiliation)})" if person.affiliation else who)
    return ", ".join(people)


def announcement_body(talk: Talk) -> str:
    """The announcement of a talk in Markdown: who, what, when (series zone and UTC), links,
    abstract and speakers' bios."""
    parts = [
        f"{talk.series.name} presents:",
        f"## {md_escape(one_line(talk.title))}",
    ]
    speakers = _speaker_line(talk)
    if speakers:
        parts.append(f"**Speaker{'s' if ',' in speakers else ''}:** {speakers}")
    parts.append(when_lines(talk.start, talk.series.time_zone))
    parts.append("\n".join(_links(talk)))
    if talk.abstract.strip():
        parts += ["### Abstract", talk.abstract.strip()]
    bios = [(p, p.bio.strip()) for p in ordered_speakers(talk) if p.bio.strip()]
    for person, bio in bios:
        parts += [f"### About {md_escape(person.display_name)}", bio]
    parts.append("A calendar entry for the talk is attached.")
    return "\n\n".join(parts) + "\n"


def reminder_subject(talk: Talk) -> str:
    return announcement_subject(talk, prefix="Reminder: ")


def reminder_body(talk: Talk) -> str:
    """A short reminder: what, when, where to join."""
    parts = [
        f"A reminder: {md_escape(speaker_names(talk)) or 'our next speaker'} speaks at "
        f"{talk.series.name} soon.",
        f"## {md_escape(one_line(talk.title))}",
        when_lines(talk.start, talk.series.time_zone),
        "\n".join(_links(talk)),
    ]
    return "\n\n".join(parts) + "\n"


def correction_subject(talk: Talk) -> str:
    if talk.status == TalkStatus.CANCELLED:
        return announcement_subject(talk, prefix="Cancelled: ")
    if talk.status == TalkStatus.POSTPONED:
        return announcement_subject(talk, prefix="Postponed: ")
    return announcement_subject(talk, prefix="New time: ")


def correction_body(talk: Talk, told_start: datetime) -> str:
    """What changed since subscribers were told: a new time, a cancellation, a postponement."""
    zone = talk.series.time_zone
    title = md_escape(one_line(talk.title))
    was = format_series_time(told_start, zone)
    if talk.status == TalkStatus.CANCELLED:
        head = f"The talk “{title}” planned for {was} is **cancelled**."
    elif talk.status == TalkStatus.POSTPONED:
        head = f"The talk “{title}” planned for {was} is **postponed**; a new date follows."
    else:
        head = f"The talk “{title}” has **moved**. It was announced for {was}."
        head += "\n\n" + when_lines(talk.start, zone)
    parts = [head]
    if talk.status_note:
        parts.append(md_escape(talk.status_note))
    parts.append("\n".join(_links(talk)))
    return "\n\n".join(parts) + "\n"
