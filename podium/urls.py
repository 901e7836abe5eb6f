"""Podium's URL contract (DESIGN.md): these addresses are forever."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, re_path
from django.views.static import serve

from podium.feeds.api import api_urls
from podium.seminars import views as seminar_views
from podium.seminars.admin import organize_site

handler404 = "podium.seminars.views.page_not_found"


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial answer through the whole middleware stack: for load balancers and benchmarks."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("organize/", organize_site.urls),
    # Photos are few and small; serving them here keeps one-command hosting possible.
    re_path(r"^media/(?P<path>.+)$", serve, {"document_root": settings.MEDIA_ROOT}),
    path("", seminar_views.index, name="index"),
    path("api/v1/", api_urls()),
    path("", include("podium.feeds.urls")),
    path("", include("podium.mailing.urls")),
    path("", include("podium.seminars.urls")),
]
