"""Podium's URL contract (DESIGN.md): these addresses are forever.

The public site's own addresses are in `podium/site_urls.py` (what the static export
renders); this adds the health check, the organizers' side and the API in front of them.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from podium.feeds.api import api_urls
from podium.seminars.admin import organize_site
from podium.site_urls import handler404
from podium.site_urls import urlpatterns as site_urlpatterns

__all__ = ["handler404", "urlpatterns"]


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial answer through the whole middleware stack: for load balancers and benchmarks."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("organize/", organize_site.urls),
    path("api/v1/", api_urls()),
    *site_urlpatterns,
]
