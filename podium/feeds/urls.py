from django.urls import path

from podium.feeds import views

app_name = "feeds"

urlpatterns = [
    path("calendar.ics", views.site_calendar, name="site_calendar"),
    path("<slug:series_slug>/calendar.ics", views.series_calendar, name="series_calendar"),
    path("<slug:series_slug>/feed.atom", views.series_atom, name="series_atom"),
    path("<slug:series_slug>/embed/", views.embed, name="embed"),
    path(
        "<slug:series_slug>/talks/<slug:talk_slug>/calendar.ics",
        views.talk_calendar,
        name="talk_calendar",
    ),
]
