"""Reading speaker lines: "**Prof. Konrad Rieck (TU Braunschweig)**", "**A**, **B**, and **C**"."""

from __future__ import annotations

import re

from podium.importers.markup import inline_text
from podium.importers.parsed import ParsedSpeaker

HONORIFIC = re.compile(
    r"^(Prof\.?|Professor|Dr\.?|Mr\.?|Ms\.?|Mrs\.?|Sir|Dame)\s+(?=\S)", re.IGNORECASE
)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC_AFFILIATION = re.compile(r"\*\s*\(([^)]*)\)\s*\*")
_NAME_SEPARATORS = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")


def split_honorific(name: str) -> tuple[str, str]:
    """("Prof.", "Konrad Rieck") from "Prof. Konrad Rieck"; honorifics get their dot."""
    match = HONORIFIC.match(name)
    if match is None:
        return "", name.strip()
    honorific = match.group(1).rstrip(".").capitalize()
    honorific = {"Professor": "Prof"}.get(honorific, honorific)
    if honorific not in ("Sir", "Dame"):
        honorific += "."
    return honorific, name[match.end() :].strip()


def _split_affiliation(text: str) -> tuple[str, str]:
    """(names, affiliation) from "A and B (DeepMind)" or "Li Xiong, Emory University"."""
    text = text.strip().rstrip(".,;: ")
    if text.endswith(")") and "(" in text:
        depth, index = 0, len(text) - 1
        for index in range(len(text) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(text[index], 0)
            if depth == 0:
                break
        return text[:index].strip(), text[index + 1 : -1].strip()
    if "," in text and " and " not in text:
        names, affiliation = text.split(",", 1)
        return names.strip(), affiliation.strip()
    return text, ""


def _people(names: str, affiliation: str) -> list[ParsedSpeaker]:
    speakers = []
    for raw in _NAME_SEPARATORS.split(names):
        raw = inline_text(raw).strip(" .,")
        if not raw or raw.lower() in {"and", "tba", "tbd"}:
            continue
        honorific, name = split_honorific(raw)
        speakers.append(ParsedSpeaker(name=name, honorific=honorific, affiliation=affiliation))
    return speakers


def parse_speaker_line(line: str) -> list[ParsedSpeaker]:
    """The speakers a bold line names, each with an honorific and affiliation if given."""
    italic = _ITALIC_AFFILIATION.search(line)
    trailing_affiliation = inline_text(italic.group(1)) if italic else ""
    if italic:
        line = line[: italic.start()] + line[italic.end() :]
    bold = [inline_text(part) for part in _BOLD.findall(line)]
    if len(bold) > 1:  # "**A**, **B**, and **C**": one name per bold part
        speakers = []
        for part in bold:
            names, affiliation = _split_affiliation(part)
            speakers.extend(_people(names, affiliation or trailing_affiliation))
        return speakers
    text = bold[0] if bold else inline_text(line.replace("**", ""))
    after = inline_text(_BOLD.sub("", line)).strip(" .,")
    if not trailing_affiliation and after.startswith("(") and after.endswith(")"):
        trailing_affiliation = after[1:-1].strip()
    names, affiliation = _split_affiliation(text)
    return _people(names, affiliation or trailing_affiliation)


def is_affiliation_line(line: str) -> str | None:
    """The affiliation of a line that is only "**(Meta AI)**", else None."""
    text = inline_text(line.replace("**", "")).strip()
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        return text[1:-1].strip()
    return None


def parse_one_line_speaker(text: str) -> tuple[list[ParsedSpeaker], str]:
    """Speakers and title of the early one-line form "Prof. X, Affiliation, *Title*"."""
    title_match = re.search(r"\*([^*]+)\*", text)
    title = inline_text(title_match.group(1)) if title_match else ""
    before = text[: title_match.start()] if title_match else text
    names, affiliation = _split_affiliation(inline_text(before).strip(" ,"))
    return _people(names, affiliation), title
