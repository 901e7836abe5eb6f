"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """The site's name, for titles and headers."""
    return {"site_name": settings.PODIUM_SITE_NAME}
