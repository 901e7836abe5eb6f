"""A small public site to export: two series, past and upcoming talks, a photo, a draft."""

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from podium.export.build import export_site
from podium.seminars.models import Person, Series, Talk, TalkStatus
from podium.seminars.photos import sanitize_photo
from tests.factories import PersonFactory, SeriesFactory, TalkFactory

BASE_URL = "https://user.github.io/repo/"


@dataclass
class Site:
    series: Series
    other: Series
    past: Talk
    upcoming: Talk
    draft: Talk
    speaker: Person


def photo_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 30, 30)).save(buffer, "PNG")
    return sanitize_photo(buffer.getvalue())


@pytest.fixture
def site(db) -> Site:
    series = SeriesFactory(slug="prisec-ml", name="PriSec-ML", short_name="PriSec-ML")
    other = SeriesFactory(slug="crypto-club", name="Crypto Club")
    speaker = PersonFactory(name="Ada Example", homepage="https://example.org/ada")
    speaker.photo.save("ada.jpg", ContentFile(photo_bytes()), save=True)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    past = TalkFactory(
        series=series,
        title="Adversarial Preprocessing",
        start=now - timedelta(days=30),
        speakers=[speaker],
        recording_url="https://example.org/recording",
    )
    TalkFactory(series=series, title="An Older Talk", start=now - timedelta(days=60))
    upcoming = TalkFactory(
        series=series, title="Membership Inference", start=now + timedelta(days=7)
    )
    draft = TalkFactory(
        series=series, title="Secret Draft", start=now + timedelta(days=14), status=TalkStatus.DRAFT
    )
    TalkFactory(series=other, title="Lattices for Everyone", start=now + timedelta(days=3))
    return Site(series, other, past, upcoming, draft, speaker)


@pytest.fixture
def export(site, tmp_path):
    """Export into a folder (default `tmp_path/site`) and return the summary."""

    def run(directory: Path | None = None, base_url: str = BASE_URL, **options):
        series = options.pop("series", None) or [site.series, site.other]
        return export_site(directory or tmp_path / "site", base_url, series, **options)

    return run


def tree(directory: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path, with its bytes."""
    return {
        str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*") if p.is_file()
    }
