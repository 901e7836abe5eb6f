"""The series' own texts, get-involved links and organizers, as the page gives them."""

from __future__ import annotations

from podium.importers.identity import normalise_name
from podium.importers.parsed import ParsedPage
from podium.seminars.models import Organizer, Series, SeriesLink
from podium.seminars.talks import touch_series


def sync_series(series: Series, page: ParsedPage) -> list[str]:
    """Bring the series' intro, slot, links and organizers in line with the page.

    The name is the organizer's (a page title only names a new series, or one still named
    after its slug: made by importing a page without a title); the usual slot is taken
    only when the series has none. Only what the page says is written: a page without
    an "Organizers" section leaves the organizers alone. Organizers linked to an account are
    never removed. Returns what changed.
    """
    changes = []
    wanted = {
        "description": page.description,
        "earlier_iterations": page.earlier_iterations,
        "slot_text": page.slot_text[:200],
    }
    if series.name == series.slug and page.title:
        wanted["name"] = page.title[:200]
    if series.short_name == series.slug and page.short_name:
        wanted["short_name"] = page.short_name[:40]
    if page.default_weekday is not None and series.default_weekday is None:
        wanted["default_weekday"] = page.default_weekday
        wanted["default_start_time"] = page.default_start_time
    for name, value in wanted.items():
        if value not in ("", None) and getattr(series, name) != value:
            setattr(series, name, value)
            changes.append(name)
    if changes:
        series.full_clean(exclude=["slug"])
        series.save()
    if page.links is not None and _sync_links(series, page.links):
        changes.append("links")
    if page.organizers is not None and _sync_organizers(series, page):
        changes.append("organizers")
    if changes:
        touch_series(series)
        series.refresh_from_db(fields=["revision"])
    return changes


def _sync_links(series: Series, links: list[tuple[str, str]]) -> bool:
    current = [(link.label, link.url) for link in series.links.all()]
    if current == links:
        return False
    series.links.all().delete()
    SeriesLink.objects.bulk_create(
        SeriesLink(series=series, label=label, url=url, position=i)
        for i, (label, url) in enumerate(links)
    )
    return True


def _sync_organizers(series: Series, page: ParsedPage) -> bool:
    existing = {normalise_name(o.name): o for o in series.organizers.all()}
    changed = False
    keep = set()
    for position, parsed in enumerate(page.organizers or []):
        key = normalise_name(parsed.name)
        organizer = existing.get(key) or Organizer(series=series)
        values = {
            "name": parsed.name,
            "affiliation": parsed.affiliation or organizer.affiliation,
            "homepage": parsed.homepage or organizer.homepage,
            "position": position,
        }
        if organizer.pk is None or any(getattr(organizer, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(organizer, name, value)
            organizer.save()
            changed = True
        keep.add(organizer.pk)
    gone = series.organizers.exclude(pk__in=keep).filter(user__isnull=True)
    if gone.exists():
        gone.delete()
        changed = True
    return changed
