"""Reading one talk's block of a Jekyll page into a ParsedTalk, with its warnings."""

from __future__ import annotations

import re
from datetime import datetime

from podium.importers.dates import DateLine, parse_date_line
from podium.importers.links import find_links, is_web_url, link_kind, url_passcode
from podium.importers.markup import inline_text, split_bio, split_details
from podium.importers.parsed import ParsedPage, ParsedSpeaker, ParsedTalk
from podium.importers.speakers import (
    is_affiliation_line,
    parse_one_line_speaker,
    parse_speaker_line,
)
from podium.seminars.timezones import (
    LocalTimeError,
    summer_abbreviation_differs,
    to_utc,
    zone_abbreviation,
)

_DETAILS = re.compile(r"<details>(.*?)(</details>|$)", re.IGNORECASE | re.DOTALL)
_SUMMARY = re.compile(r"<summary>.*?</summary>", re.IGNORECASE | re.DOTALL)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_IMAGE = re.compile(r"<img\s[^>]*src=[\"']([^\"']+)[\"'][^>]*>", re.IGNORECASE)
_FILLER = {"details to follow", "details tba", "talk details tba", "tba", "tbd", "tbc", ""}


def read_talk_block(
    page: ParsedPage, lines: list[str], first_line: int, section: str, photo: str
) -> None:
    """Add the talk that `lines` (starting at file line `first_line`) describe to `page`."""
    text = "\n".join(lines)
    details = ""
    found = _DETAILS.search(text)
    if found:
        details = _SUMMARY.sub("", found.group(1))
        if not found.group(2):
            page.warn(
                "unclosed_details",
                first_line + text[: found.start()].count("\n"),
                "a <details> block opens here and is never closed; its text up to the next "
                "talk was read as the abstract and bio.",
            )
        text = text[: found.start()] + "\n" + text[found.end() :]
    image = _IMAGE.search(text)
    if image:  # a photo placed inside the talk's lines
        photo = photo or image.group(1).rsplit("/", 1)[-1]
        text = _IMAGE.sub("", text)
    pieces = [piece.strip() for piece in _BREAK.sub("\n", text).split("\n")]
    head = re.sub(r"^\s*[-*]\s+", "", pieces[0])
    when = parse_date_line(head)
    for note in when.notes:
        page.warn("misspelt_date", first_line, f"{note}.")
    talk = ParsedTalk(line=first_line, day=when.day, section=section, photo=photo)
    talk.moved_from = when.moved_from
    _read_start(page, talk, when)
    for label, url in when.links:
        _add_link(page, talk, label, url, "", first_line)
    if when.rest:
        talk.speakers, talk.title = parse_one_line_speaker(when.rest)
    for offset, piece in enumerate(pieces[1:], start=1):
        _read_piece(page, talk, piece, first_line + min(offset, len(lines) - 1))
    abstract, bio = split_details(details)
    talk.abstract = abstract
    _give_bios(talk, bio)
    if talk.title.strip(" .").lower() in _FILLER:
        talk.title = ""
    if len(talk.speakers) != 1:
        talk.photo = ""  # a group picture is not one person's photo
    if not talk.speakers and not talk.title:
        page.warn("empty_talk", first_line, "a date with neither speaker nor title; skipped.")
        return
    page.talks.append(talk)


def _read_piece(page: ParsedPage, talk: ParsedTalk, piece: str, line: int) -> None:
    links, rest = find_links(piece)
    for label, url, passcode in links:
        _add_link(page, talk, label, url, passcode, line)
    rest = rest.strip()
    if rest.strip("[] .").lower() in _FILLER:
        return
    affiliation = is_affiliation_line(rest) if rest.startswith("**") else None
    if affiliation is not None and talk.speakers:
        for speaker in talk.speakers:
            speaker.affiliation = speaker.affiliation or affiliation
        return
    if rest.startswith("**") and not talk.speakers and not talk.title:
        talk.speakers = parse_speaker_line(rest)
        return
    if not talk.title:
        talk.title = inline_text(rest).strip()


def _add_link(
    page: ParsedPage, talk: ParsedTalk, label: str, url: str, passcode: str, line: int
) -> None:
    if not url:
        return  # an empty placeholder "[[Live Stream]()]": nothing to take
    if not is_web_url(url):
        page.warn("bad_link", line, f"the “{label}” link “{url}” is not a web address; skipped.")
        return
    kind = link_kind(label)
    passcode = passcode or url_passcode(url)
    if kind == "recording_url" and passcode:
        page.warn(
            "recording_passcode",
            line,
            f"the recording link carries its passcode in clear (“{passcode}”); the link was "
            "kept without it: share the passcode another way or publish the recording openly.",
        )
    if kind:
        setattr(talk, kind, url)
    elif (label, url) not in talk.links:
        talk.links.append((label[:100], url))


def _give_bios(talk: ParsedTalk, bio: str) -> None:
    """One speaker takes the whole bio; several take the paragraphs that name them."""
    if not bio or not talk.speakers:
        return
    if len(talk.speakers) == 1:
        speaker = talk.speakers[0]
        speaker.bio, speaker.homepage = split_bio(bio)
        return
    for paragraph in re.split(r"\n\n|\n- ", bio):
        paragraph = paragraph.strip().lstrip("- ").strip()
        for speaker in talk.speakers:
            if paragraph[: len(speaker.name) + 5].find(speaker.name) != -1:
                text, homepage = split_bio(paragraph)
                speaker.bio = f"{speaker.bio}\n\n{text}".strip()
                speaker.homepage = speaker.homepage or homepage


def _instant(local: datetime, zone: str, page: ParsedPage, line: int) -> datetime:
    try:
        return to_utc(local, zone)
    except LocalTimeError as error:
        page.warn("ambiguous_time", line, f"{error.message} Took the first.")
        return error.choices[0]


def _read_start(page: ParsedPage, talk: ParsedTalk, when: DateLine) -> None:
    """The talk's start from its text time and its timeanddate link, warning if they differ."""
    zone = when.zone or page.zone
    talk.zone = zone
    text_start = None
    if when.clock is not None:
        local = datetime.combine(when.day, when.clock)
        text_start = _instant(local, zone, page, talk.line)
        summer = summer_abbreviation_differs(when.zone_label, local, zone) if when.zone else None
        if summer:
            page.warn(
                "zone_label",
                talk.line,
                f"“{when.clock:%H:%M} ({when.zone_label})” on {when.day:%d %B %Y}: that day "
                f"{zone} is on {summer}; read as local time there, "
                f"{when.clock:%H:%M} {summer} = {text_start:%H:%M} UTC.",
            )
    link_start = None
    if when.link_local is not None:
        link_start = _instant(when.link_local, when.link_zone or zone, page, talk.line)
    if text_start and link_start and text_start != link_start:
        link_zone = when.link_zone or zone
        link_words = f"{when.link_local:%d %B %Y %H:%M} {zone_abbreviation(link_start, link_zone)}"
        if link_start.date() != text_start.date() or when.moved_from:
            reason = "the link is for another day (left over from before a move); kept the text"
            chosen = text_start
        else:
            reason = (
                "same day, so kept the link's time: the link is made for the exact time with "
                "timeanddate.com, and on this page it was the text that lagged behind"
            )
            chosen = link_start
        page.warn(
            "time_mismatch",
            talk.line,
            f"the text says {when.clock:%H:%M} but its timeanddate.com link says {link_words}; "
            f"{reason} ({chosen:%Y-%m-%d %H:%M} UTC).",
        )
        talk.start = chosen
        return
    talk.start = text_start or link_start


__all__ = ["ParsedSpeaker", "read_talk_block"]
