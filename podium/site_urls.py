"""The public site's addresses: DESIGN.md's contract without the API and the organizers' side.

`podium/urls.py` serves these and those two. The static export renders against this
configuration alone, so exporting never loads the API (ninja and pydantic) and no address
of the organizers' side can be exported.
"""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve

from podium.seminars import views as seminar_views

handler404 = "podium.seminars.views.page_not_found"

urlpatterns = [
    # Photos are few and small; serving them here keeps one-command hosting possible.
    re_path(r"^media/(?P<path>.+)$", serve, {"document_root": settings.MEDIA_ROOT}),
    path("", seminar_views.index, name="index"),
    path("", include("podium.feeds.urls")),
    path("", include("podium.mailing.urls")),
    path("", include("podium.seminars.urls")),
]
