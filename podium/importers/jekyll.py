"""Reading an academicpages/Jekyll seminar page (like PriSec-ML's `_pages/about.md`).

The page is read as a person reads it: front matter, an intro, sections by heading, and
talks as list items that start with a date, each with a photo above it, speakers in bold,
a title, labelled links and a `<details>` block with the abstract and bio.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from podium.importers.dates import DateProblem, parse_date_line
from podium.importers.markup import html_to_markdown, inline_text, strip_comments
from podium.importers.parsed import ParsedOrganizer, ParsedPage
from podium.importers.reading import repair_lines
from podium.importers.speakers import split_honorific
from podium.importers.talk_block import read_talk_block
from podium.seminars.text import markdown_to_text

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*[-*]\s+(.*)$")
_IMAGE = re.compile(r"<img\s[^>]*src=[\"']([^\"']+)[\"']", re.IGNORECASE)
_MONTH_OR_YEAR = re.compile(
    r"\b(20\d\d|19\d\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE
)
_SLOT = re.compile(
    r"(Mondays|Tuesdays|Wednesdays|Thursdays|Fridays|Saturdays|Sundays)\s+(?:at\s+)?"
    r"(\d{1,2})(?:[:.](\d{2}))?\s*([ap]m)?",
    re.IGNORECASE,
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_SHORT_NAME = re.compile(r"\(([A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)+)\)")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")

NOT_TALK_SECTIONS = {"intro", "involved", "organizers", "contact"}
# Sections whose text has no place in a series (a contact address, a researcher's "Personal"):
# left out, with a warning when there is text to lose.
LEFT_OUT_SECTIONS = {"contact", "other"}
# A heading that reads as a sentence is news, not a section ("New! We are planning a reboot
# of this seminar series! Stay tuned!"); section names end in a word or a colon.
_HEADLINE = re.compile(r"[.!?]\s*$")


def section_kind(heading: str) -> str:
    """What a section holds, from its heading."""
    words = heading.lower()
    if "organi" in words:
        return "organizers"
    if "get involved" in words or "mailing list" in words or "youtube" in words:
        return "involved"
    if "contact" in words:
        return "contact"
    if "previous iteration" in words:
        return "previous"
    if "upcoming" in words:
        return "upcoming"
    if "past" in words or "seminar" in words or "talk" in words:
        return "past"
    return "other"


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """Simple `key: value` front matter and the index of the first body line."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    values: dict[str, str] = {}
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return values, index + 1
        key, _, value = lines[index].partition(":")
        values[key.strip()] = value.strip().strip("\"'")
    return {}, 0


def _starts_talk(line: str, section: str) -> tuple[bool, bool]:
    """(is a talk, has a readable date) for a list item in a section that may hold talks."""
    item = _ITEM.match(line)
    if item is None or section in NOT_TALK_SECTIONS:
        return False, False
    try:
        parse_date_line(item.group(1))
    except DateProblem:
        looks_dated = bool(_MONTH_OR_YEAR.search(item.group(1))) and bool(
            re.search(r"\d", item.group(1))
        )
        return looks_dated and section in (
            "upcoming",
            "past",
            "previous",
        ), False
    return True, True


def parse_page(text: str, file: str, zone: str) -> ParsedPage:
    """Everything a seminar page says, with warnings naming file and line.

    `zone` is the series' IANA zone: times the page gives without a zone label are read in it.
    """
    page = ParsedPage(file=file, zone=zone)
    text = repair_lines(text, file, page.warnings)
    text, unclosed = strip_comments(text)
    if unclosed:
        page.warn(
            "unclosed_comment",
            unclosed,
            "an HTML comment opens here and never closes; the rest of the page is hidden, "
            "as a browser would hide it.",
        )
    lines = text.split("\n")
    front, body_start = _front_matter(lines)
    page.title = front.get("title", "")
    section = "intro"
    prose: dict[str, list[str]] = {"intro": [], "previous": []}
    involved: list[tuple[str, str]] = []
    organizers: list[ParsedOrganizer] = []
    has_involved = has_organizers = False
    photo = ""
    left_out: list[tuple[int, str]] = []
    index = body_start
    while index < len(lines):
        line = lines[index]
        heading = _HEADING.match(line)
        if heading:
            title = heading.group(2)
            if section == "intro" and _HEADLINE.search(title):
                # News above the page's first section stays with its introduction.
                prose["intro"] += ["", f"**{title}**", ""]
                index += 1
                continue
            section = section_kind(title)
            if section in LEFT_OUT_SECTIONS and _has_text(lines, index + 1):
                left_out.append((index + 1, title))
            has_involved |= section == "involved"
            has_organizers |= section == "organizers"
            photo = ""
            index += 1
            continue
        image = _IMAGE.search(line)
        if image and not line.lstrip().startswith(("-", "*")):
            photo = image.group(1).rsplit("/", 1)[-1]
            index += 1
            continue
        is_talk, readable = _starts_talk(line, section)
        if is_talk:
            end = _block_end(lines, index)
            if readable:
                read_talk_block(page, lines[index:end], index + 1, section, photo)
            else:
                item = inline_text(_ITEM.match(line).group(1))
                try:
                    parse_date_line(_ITEM.match(line).group(1))
                except DateProblem as problem:
                    page.warn("unknown_date", index + 1, f"{problem} Talk “{item}” skipped.")
            photo = ""
            index = end
            continue
        if section in prose:
            prose[section].append(line)
        elif section == "involved":
            link = _involved_link(line)
            if link:
                involved.append(link)
        elif section == "organizers":
            organizer = _organizer(line)
            if organizer:
                organizers.append(organizer)
        index += 1
    page.description = html_to_markdown("\n".join(prose["intro"]))
    page.earlier_iterations = _without_lead_in(html_to_markdown("\n".join(prose["previous"])))
    page.links = involved if has_involved else None
    page.organizers = organizers if has_organizers else None
    _read_slot(page)
    short = _SHORT_NAME.search(page.description)
    page.short_name = short.group(1) if short else ""
    if not page.talks:
        page.warn("no_talks", None, "no talks found on this page; nothing of it was imported.")
    for line, title in left_out if page.talks else ():
        page.warn(
            "left_out",
            line,
            f"the section “{title}” was not imported: a series keeps its page's introduction, "
            "links, organizers, talks and earlier iterations; add what you need of it to "
            "the series' description.",
        )
    _warn_same_slot(page)
    return page


def _block_end(lines: list[str], start: int) -> int:
    """The line after a talk's block: its next talk, list item, heading, photo or blank line
    (a blank line inside an open `<details>` does not end it)."""
    details_open = lines[start].lower().count("<details") - lines[start].lower().count("</details")
    index = start + 1
    while index < len(lines):
        line = lines[index]
        lowered = line.lower()
        if _HEADING.match(line) or _ITEM.match(line):
            break
        if _IMAGE.search(line) and details_open <= 0 and _next_starts_talk(lines, index + 1):
            break  # the next talk's photo
        if not line.strip() and details_open <= 0:
            break
        if not line.strip() and index + 1 < len(lines) and _IMAGE.search(lines[index + 1]):
            break  # a truncated <details>: the next talk's photo ends it
        details_open += lowered.count("<details") - lowered.count("</details")
        index += 1
    return index


def _has_text(lines: list[str], index: int) -> bool:
    """Whether the section that starts at `index` holds anything before the next heading."""
    for line in lines[index:]:
        if _HEADING.match(line):
            return False
        if line.strip():
            return True
    return False


def _next_starts_talk(lines: list[str], index: int) -> bool:
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index >= len(lines) or bool(_ITEM.match(lines[index]) or _HEADING.match(lines[index]))


# A last sentence that ends in a colon ("Here are the talks in that series:").
_LEAD_IN = re.compile(r"(?:(?<=[.!?])\s+|^)[^.!?\n]*:\s*$")


def _without_lead_in(note: str) -> str:
    # The earlier iterations' note introduced the page's list of their talks; the talks are
    # read as talks (the archive shows them), so the sentence that led into the list goes.
    return _LEAD_IN.sub("", note)


def _involved_link(line: str) -> tuple[str, str] | None:
    item = _ITEM.match(line)
    if item is None:
        return None
    links = [(label, url) for label, url in _LINK.findall(item.group(1)) if "://" in url]
    links = [(label, url) for label, url in links if "calendar.google.com" not in url]
    if not links:
        return None
    # The item's text with each link's label in its place, its Markdown read (a label is
    # shown as plain text: "Join our **Slack**" is "Join our Slack").
    label = _LINK.sub(lambda m: m.group(1), item.group(1))
    label = inline_text(markdown_to_text(label)).strip(" .")
    return label[:100], links[-1][1]


def _organizer(line: str) -> ParsedOrganizer | None:
    item = _ITEM.match(line)
    if item is None:
        return None
    content = item.group(1).strip()
    homepage = ""
    link = re.match(r"\[([^\]]+)\]\(([^)\s]+)\)\s*,?\s*(.*)$", content)
    if link:
        name, homepage, affiliation = link.group(1), link.group(2), link.group(3)
    else:
        bold = re.match(r"\*\*(.+?)\*\*\s*,?\s*(.*)$", content)
        if bold is None:
            return None
        name, affiliation = bold.group(1), bold.group(2)
    affiliation = inline_text(affiliation).strip(" ,")
    if affiliation.startswith("(") and affiliation.endswith(")"):
        affiliation = ""  # "(until August 2022)" is a note, not a place
    if "://" not in homepage:
        homepage = ""
    return ParsedOrganizer(name=inline_text(name), affiliation=affiliation, homepage=homepage)


def _read_slot(page: ParsedPage) -> None:
    """The usual slot from the intro ("tentatively Wednesdays 1pm (London Time)")."""
    match = _SLOT.search(page.description)
    if match is None:
        return
    hour, minute = int(match.group(2)), int(match.group(3) or 0)
    meridiem = (match.group(4) or "").lower()
    if meridiem:
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        return
    page.default_weekday = _WEEKDAYS.index(match.group(1).lower()[:-1])
    page.default_start_time = time(hour, minute)
    sentence = re.search(r"[^.]*" + re.escape(match.group(0)) + r"[^.]*", page.description)
    page.slot_text = (
        inline_text(sentence.group(0)).strip(" ,.").removeprefix("For the time being, it features ")
    )
    page.slot_text = page.slot_text[:1].upper() + page.slot_text[1:200]


def _warn_same_slot(page: ParsedPage) -> None:
    seen: dict[datetime, int] = {}
    for talk in page.talks:
        if talk.start is None:
            continue
        if talk.start in seen:
            page.warn(
                "same_slot",
                talk.line,
                f"this talk and the one on line {seen[talk.start]} both claim "
                f"{talk.start:%Y-%m-%d %H:%M} UTC; both were kept.",
            )
        else:
            seen[talk.start] = talk.line


__all__ = ["parse_page", "section_kind", "split_honorific"]
