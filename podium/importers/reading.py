"""Reading an input file safely: size limit, binary detection, encoding and mojibake repair."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import ftfy

from podium.importers.parsed import ImportRefused, PageWarning

MAX_INPUT_BYTES = 5 * 1024 * 1024  # the largest real page is 70 kB; a calendar export, a few MB
_SNIFF_BYTES = 8192
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")


def read_bytes(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The file's bytes; refuse a missing, empty, oversized or binary file with a clear reason.

    An oversized file is refused from its size on disk, before any of it is read.
    """
    name = str(path)
    if not path.is_file():
        raise ImportRefused(name, "no such file.")
    size = path.stat().st_size
    if size > limit:
        raise ImportRefused(
            name,
            f"the file is {size / 1024 / 1024:.1f} MB; the limit is {limit // 1024 // 1024} MB.",
        )
    with path.open("rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:  # grew while we looked
        raise ImportRefused(name, f"the file is over the {limit // 1024 // 1024} MB limit.")
    if not data.strip():
        raise ImportRefused(name, "the file is empty.")
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise ImportRefused(name, "this is a binary file, not a text page or calendar.")
    return data


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark is dropped); a file in another encoding is refused with
    the line of its first undecodable byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            name, f"byte {data[error.start]:#04x} is not UTF-8; save the file as UTF-8.", line
        ) from error
    controls = sum(1 for char in text[:_SNIFF_BYTES] if _is_binary_control(char))
    if controls > max(8, len(text[:_SNIFF_BYTES]) // 100):
        raise ImportRefused(name, "this is a binary file, not a text page or calendar.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_binary_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" and char not in "\n\r\t\f"


def repair_mojibake(text: str) -> str:
    """Undo text that was UTF-8 read in another encoding, as a person would read it.

    ftfy handles the Windows and Latin-1 cases; it leaves Mac Roman alone ("Universit√§t"),
    so runs of non-ASCII characters that are valid UTF-8 once put back into Mac Roman bytes,
    and then read as letters, are repaired here too.
    """
    fixed = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)
    return _NON_ASCII_RUN.sub(_mac_roman_run, fixed)


def _mac_roman_run(match: re.Match[str]) -> str:
    run = match.group(0)
    try:
        repaired = run.encode("mac_roman").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return run
    if all(unicodedata.category(char).startswith("L") for char in repaired):
        return repaired
    return run


def repair_lines(text: str, name: str, warnings: list[PageWarning]) -> str:
    """Repair mojibake line by line, with a warning naming each line that changed."""
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        repaired = repair_mojibake(line)
        if repaired != line:
            warnings.append(
                PageWarning(
                    "mojibake",
                    name,
                    number,
                    f"repaired garbled characters: {_changed(line, repaired)}",
                )
            )
            lines[number - 1] = repaired
    return "\n".join(lines)


def _changed(before: str, after: str) -> str:
    first = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), 0)
    start = max(0, first - 20)
    return f"“{before[start : first + 20]}…” now reads “{after[start : first + 20]}…”"
