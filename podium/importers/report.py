"""What an import did, file by file: added, updated, unchanged, kept; and its warnings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from podium.importers.parsed import PageWarning


@dataclass
class FileReport:
    file: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # known talks this file does not show
    people_added: list[str] = field(default_factory=list)
    people_updated: list[str] = field(default_factory=list)
    series_changes: list[str] = field(default_factory=list)
    warnings: list[PageWarning] = field(default_factory=list)
    error: str = ""
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            self.added
            or self.updated
            or self.people_added
            or self.people_updated
            or self.series_changes
        )

    def summary(self) -> str:
        """One line: "about.md: 3 added, 1 updated, 40 unchanged, 2 kept, 5 warnings"."""
        if self.error:
            return f"{self.file}: NOT IMPORTED: {self.error}"
        verb = "would be " if self.dry_run else ""
        parts = [
            f"{len(self.added)} {verb}added",
            f"{len(self.updated)} {verb}updated",
            f"{len(self.unchanged)} unchanged",
        ]
        if self.kept:
            parts.append(f"{len(self.kept)} kept (not on this page)")
        if self.people_added:
            parts.append(f"{len(self.people_added)} new people")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warnings")
        if not self.changed:
            total = len(self.unchanged)
            rest = [p for p in parts[3:]]
            return f"{self.file}: unchanged ({total} talks)" + "".join(f", {p}" for p in rest)
        return f"{self.file}: " + ", ".join(parts)


def warning_counts(reports: list[FileReport]) -> Counter[str]:
    """How many warnings of each kind a run gave."""
    return Counter(w.kind for report in reports for w in report.warnings)
