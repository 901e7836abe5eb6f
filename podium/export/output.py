"""The export folder: what Podium wrote there, and replacing it without breaking it.

Every file of a new export is first written to a staging folder beside the export folder
(same file system). Only when the whole site has been rendered are the changed files moved
in (a rename each), the files of pages that are gone deleted, and the manifest
`.podium-export.json` replaced. A failure before that (a full disk, a rendering error)
leaves the previous export exactly as it was. Files Podium did not write are never touched.
"""

import errno
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from podium.export.collection import keeping_records

MANIFEST = ".podium-export.json"
# 3: one line a file, each line made where the file was (in the rendering processes, in
# parallel) and kept as read, so that writing the manifest is joining lines. Formats 2 (links
# as places in a shared list, which only the whole could work out) and 1 are still read.
MANIFEST_FORMAT = 3
_HEAD, _TAIL = f'{{"format":{MANIFEST_FORMAT},"files":[\n', "\n]}\n"
DIGEST_HEX = 32  # digits of a digest kept: 128 bits tell changed content apart


class ExportError(Exception):
    """An export that cannot go ahead; the message says why and what to do."""


@dataclass(slots=True)
class Entry:
    """One file of an export, as recorded in the manifest."""

    sha256: str  # the first `DIGEST_HEX` digits of its content's SHA-256
    size: int
    fingerprint: str = ""  # the inputs it was rendered from, when known
    links: list[str] = field(default_factory=list)  # the site paths it refers to
    in_sitemap: bool = False  # a page (not a redirect, a feed or an asset)
    # Its line of the manifest (`manifest_row`), when made already: by the process that
    # rendered the file, or as read from the last manifest.
    row: str = field(default="", compare=False, repr=False)


@dataclass
class Summary:
    """What an export did to the folder."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    rendered: int = 0  # pages rendered; the others' inputs had not changed
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0  # how long the export took (from the start of `export_site`)
    directory: Path | None = None  # where it went (set by the command, for its report)


_ENCODE = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode


def manifest_row(
    name: str, sha256: str, size: int, fingerprint: str, links: list[str], in_sitemap: bool
) -> str:
    """One file's line of the manifest: name, digest, size, fingerprint, links, and a 1 for
    a page (JSON writes no line break inside it)."""
    if in_sitemap:
        return _ENCODE([name, sha256, size, fingerprint, links, 1])
    return _ENCODE([name, sha256, size, fingerprint, links])


def manifest_bytes(entries: dict[str, Entry]) -> bytes:
    """The manifest: a JSON object with one line a file, sorted by name (the same entries
    give the same bytes). Most lines come made (`Entry.row`): for a first export of 20,000
    files, encoding them here at the end took 0.06 to 0.13 s with the renderers idle."""
    rows = [
        entry.row
        or manifest_row(
            name, entry.sha256, entry.size, entry.fingerprint, entry.links, entry.in_sitemap
        )
        for name, entry in sorted(entries.items())
    ]
    return (_HEAD + ",\n".join(rows) + _TAIL).encode()


def read_manifest(text: str) -> dict[str, Entry]:
    """The entries of a manifest (any format); ValueError, KeyError or TypeError when it
    is not one. Each line of a format 3 manifest is kept as its entry's row."""
    data = json.loads(text)
    version = data.get("format")
    if version == MANIFEST_FORMAT:
        files = data["files"]
        lines = text.split("\n")[1:-2]  # between the head and the tail: a file each
        if len(lines) != len(files):  # not as Podium wrote it: rows are made again
            lines = [""] * len(files)
        return {
            row[0]: Entry(row[1], row[2], row[3], row[4], bool(row[5:]), _kept(line, row))
            for line, row in zip(lines, files, strict=True)
        }
    if version == 2:  # as Podium wrote it from December 2026 until format 3
        links = data["links"]
        return {
            row[0]: Entry(row[1], row[2], row[3], [links[x] for x in row[4]], bool(row[5:]))
            for row in data["files"]
        }
    if version == 1:  # as Podium wrote it before December 2026
        return {
            name: Entry(**(entry | {"sha256": entry["sha256"][:DIGEST_HEX]}))
            for name, entry in data["files"].items()
        }
    raise ValueError("unknown format")


def _kept(line: str, row: list) -> str:
    # The line, when it is this very row (one array that starts with the row's name and
    # digest, as `manifest_row` writes them; a line an editor ended with CR LF counts too);
    # else "" and the row is made again when written.
    line = line.rstrip().removesuffix(",")
    if line.startswith(f'["{row[0]}","{row[1]}",') and line.endswith("]"):
        return line
    return ""


# The manifest this process wrote last in each export folder, with its entries.
# With `again`, its bytes too (an export compares the manifest it makes with the one there).
_WRITTEN: dict[str, tuple[tuple[int, int, int], dict[str, Entry], bytes | None]] = {}


def _signature(path: Path) -> tuple[int, int, int]:
    # Which file it is, when it was last written and how long: a manifest replaced or
    # edited since has another.
    status = os.stat(path)
    return status.st_ino, status.st_mtime_ns, status.st_size


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:DIGEST_HEX]


def disk_error_message(error: OSError, directory: Path) -> str:
    """A plain message for a failed write, saying the previous export is intact."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        reason = "the disk is full (or the file size limit was reached)"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = f"permission denied ({error.filename})"
    else:
        reason = str(error)
    return f"Could not write the export: {reason}. The previous export in {directory} is unchanged."


class OutputFolder:
    """An export folder and its staging folder, for one export run.

    Exports beside each other (in one parent folder) take turns: each holds a lock on the
    parent folder from start to finish, so two runs never stage or commit at once, and a
    staging folder found there belongs to a run that died (it is removed).
    """

    def __init__(
        self,
        directory: Path,
        allow_nonempty: bool = False,
        on_wait: Callable[[str], None] | None = None,
        again: bool = False,
        check_files: bool = True,
    ) -> None:
        """`again`: this process will export here again (`podium export --watch`): keep the
        manifest's rows for the next one. Without `check_files`, the files this process
        wrote last time are taken to be there as it wrote them (the watcher checks every
        file at least once a minute)."""
        self.directory = directory
        self._directory = str(directory)
        self._prefix = os.path.join(self._directory, "")  # the folder's path and a slash
        self.again, self._check_files = again, check_files
        self._trusted = False  # whether `previous` is what this process wrote last
        self._manifest_there: bytes | None = None  # the manifest in place, when known
        self._lock = self._take_turn(on_wait)
        try:
            self._prepare(allow_nonempty)
        except BaseException:
            self._release()
            raise

    def _take_turn(self, on_wait: Callable[[str], None] | None) -> int:
        try:
            self.directory.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.directory.parent, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as error:
            raise ExportError(disk_error_message(error, self.directory)) from error
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait(f"Another export is writing in {self.directory.parent}; waiting for it.")
            fcntl.flock(fd, fcntl.LOCK_EX)
        return fd

    def _release(self) -> None:
        if self._lock >= 0:
            os.close(self._lock)  # closing the descriptor releases the lock
            self._lock = -1

    def _prepare(self, allow_nonempty: bool) -> None:
        directory = self.directory
        self.previous = self._read_manifest()
        if self.previous is None:
            self.previous = {}
            foreign = sorted(p.name for p in directory.iterdir()) if directory.is_dir() else []
            if foreign and not allow_nonempty:
                shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
                raise ExportError(
                    f"{directory} already holds files Podium did not write ({shown}). "
                    "Export into an empty or new folder, or pass --allow-nonempty to add the "
                    "site beside them (Podium never changes or deletes files it did not write)."
                )
        self.staging = directory.parent / f".{directory.name}.podium-staging-{os.getpid()}"
        self._staging = str(self.staging)
        self._made: set[str] = set()
        try:
            # Holding the turn, any staging folder of this export is left by a run that died.
            for stale in directory.parent.glob(f".{directory.name}.podium-staging-*"):
                shutil.rmtree(stale, ignore_errors=True)
            self.staging.mkdir(parents=True)
        except OSError as error:
            raise ExportError(disk_error_message(error, directory)) from error

    def _read_manifest(self) -> dict[str, Entry] | None:
        path = self.directory / MANIFEST
        try:
            signature = _signature(path)
        except OSError:
            return None
        written = _WRITTEN.get(self._directory)
        if written and written[0] == signature:
            self._trusted = not self._check_files
            self._manifest_there = written[2]
            return written[1]  # what this process wrote last, still there untouched
        try:
            with keeping_records():  # 20,000 entries and their lists, no cycles
                return read_manifest(path.read_text())
        except (ValueError, KeyError, TypeError, IndexError) as error:
            raise ExportError(
                f"{path} is damaged ({error}); delete the folder's contents and export again."
            ) from error

    def is_current(self, relative: str, sha256: str) -> bool:
        """Whether the folder already holds exactly this content at this place."""
        old = self.previous.get(relative)
        return old is not None and old.sha256 == sha256 and self.intact(relative, old)

    def reusable(self, relative: str, fingerprint: str) -> Entry | None:
        """The previous entry when it was rendered from the same inputs and is still there."""
        old = self.previous.get(relative)
        if old and fingerprint and old.fingerprint == fingerprint and self.intact(relative, old):
            return old
        return None

    def intact(self, relative: str, entry: Entry) -> bool:
        # os.stat on a string put together by hand: an export after a small change checks
        # every file (`relative` is a plain relative path, as `file_for` makes them).
        if self._trusted:
            return True
        try:
            return os.stat(self._prefix + relative).st_size == entry.size
        except OSError:
            return False

    def read_back(self, relative: str, entry: Entry) -> bytes | None:
        """The file of the last export, when it still holds exactly what the entry says."""
        # Plain os calls, as `stage` makes them: the feeds read back thousands of files.
        try:
            descriptor = os.open(self._prefix + relative, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return None
        try:
            data = os.read(descriptor, entry.size + 1)  # one byte more shows a longer file
        except OSError:
            return None
        finally:
            os.close(descriptor)
        return data if len(data) == entry.size and digest(data) == entry.sha256 else None

    def stage(self, relative: str, data: bytes) -> None:
        """Write one file's new content into the staging folder."""
        # Plain os calls on strings (no buffered file object, no existence checks): a first
        # export writes tens of thousands of files, and each system call counts.
        folder = relative.rpartition("/")[0]
        if folder not in self._made:
            try:
                os.mkdir(os.path.join(self._staging, folder))
            except FileNotFoundError:
                os.makedirs(os.path.join(self._staging, folder), exist_ok=True)
            except FileExistsError:
                pass
            self._made.add(folder)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC
        descriptor = os.open(os.path.join(self._staging, relative), flags, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
        finally:
            os.close(descriptor)

    def commit(self, entries: dict[str, Entry], staged: list[str], summary: Summary) -> None:
        """Move the `staged` files in, delete what is gone, write the manifest; clean up.

        The renderers report what they staged, so a first export of twenty thousand files
        does not walk the staging folder to find them.
        """
        staged = sorted(staged)
        manifest = manifest_bytes(entries)
        self.stage(MANIFEST, manifest)
        if not self.previous and self._is_empty():
            # A first export: the staging folder is the whole site; one rename puts it in place.
            if self.directory.exists():
                self.directory.rmdir()
            os.rename(self.staging, self.directory)
            summary.written, summary.unchanged = staged, 0
            self._remember(entries, manifest)
            self._release()
            return
        clashes = [
            name
            for name in staged
            if name not in self.previous and (self.directory / name).exists()
        ]
        if clashes:
            raise ExportError(
                f"{self.directory} holds {', '.join(clashes[:5])}, which Podium did not write "
                "but the export needs; move them away and export again."
            )
        # Folders first: the only step here that may still need space can fail harmlessly.
        for name in staged:
            (self.directory / name).parent.mkdir(parents=True, exist_ok=True)
        for name in staged:
            os.replace(self.staging / name, self.directory / name)
        for name in sorted(self.previous.keys() - entries.keys()):
            (self.directory / name).unlink(missing_ok=True)
            self._prune(self.directory / name)
            summary.removed.append(name)
        current = self.directory / MANIFEST
        there = self._manifest_there
        if there is None and current.is_file():
            there = current.read_bytes()
        if there != manifest:
            os.replace(self.staging / MANIFEST, current)
        summary.written = staged
        summary.unchanged = len(entries) - len(staged)
        self._remember(entries, manifest)
        self.discard()

    def _remember(self, entries: dict[str, Entry], manifest: bytes) -> None:
        # A process that exports again (`podium export --watch`) need not read back the
        # manifest it wrote: 20,000 entries cost 50 ms to read.
        kept = manifest if self.again else None
        _WRITTEN[self._directory] = (_signature(self.directory / MANIFEST), entries, kept)

    def _is_empty(self) -> bool:
        return not self.directory.exists() or not any(self.directory.iterdir())

    def _prune(self, path: Path) -> None:
        # Leave no empty folder behind a deleted page, and never go above the export folder.
        folder = path.parent
        while folder != self.directory and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent

    def discard(self) -> None:
        """Remove the staging folder (after a commit or a failure) and end this turn."""
        shutil.rmtree(self.staging, ignore_errors=True)
        self._release()
