"""Checks on what `podium export` is told: the base URL, the series and the folder."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError

from podium.seminars.models import Series
from podium.seminars.visibility import public_series, readable_series


class ExportForm(forms.Form):
    """The options of one export; `cleaned_data` holds a Path, a URL and a Series list."""

    directory = forms.CharField()
    base_url = forms.CharField()
    series = forms.CharField(required=False)  # space-separated slugs; empty means all public

    def clean_directory(self) -> Path:
        path = Path(self.cleaned_data["directory"]).expanduser().absolute()
        if path.exists() and not path.is_dir():
            raise ValidationError(f"{path} exists and is not a folder.")
        # The export is built next to the folder and swapped in, so the parent must be writable.
        parent = path.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not os.access(parent, os.W_OK | os.X_OK):
            raise ValidationError(f"Podium cannot write in {parent}: check its permissions.")
        if path.exists() and not os.access(path, os.W_OK | os.X_OK):
            raise ValidationError(f"Podium cannot write in {path}: check its permissions.")
        return path

    def clean_base_url(self) -> str:
        url = self.cleaned_data["base_url"].strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationError(
                f"“{url}” is not a web address. Give the address the site will have, "
                "e.g. https://user.github.io/repo/."
            )
        if parts.query or parts.fragment:
            raise ValidationError(f"“{url}” has a query or fragment; give the bare address.")
        try:
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            raise ValidationError(f"“{url}” has an invalid port.") from None
        if any(c.isspace() for c in url):
            raise ValidationError(f"“{url}” contains spaces.")
        return url

    def clean_series(self) -> list[Series]:
        slugs = self.cleaned_data["series"].split()
        if not slugs:
            return list(public_series())
        found = {s.slug: s for s in readable_series().filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            known = ", ".join(readable_series().order_by("slug").values_list("slug", flat=True))
            raise ValidationError(
                f"No public series called {', '.join(missing)}. "
                f"Series that can be exported: {known or 'none yet'}."
            )
        return [found[slug] for slug in dict.fromkeys(slugs)]
