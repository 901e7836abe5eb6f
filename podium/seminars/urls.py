from django.urls import path

from podium.seminars import views

app_name = "seminars"

urlpatterns = [
    path("<slug:series_slug>/", views.series_home, name="series"),
    path("<slug:series_slug>/past/", views.archive, name="archive"),
    path("<slug:series_slug>/past/page/1/", views.first_page, {"list_name": "seminars:archive"}),
    path("<slug:series_slug>/past/page/<int:page>/", views.archive, name="archive_page"),
    path("<slug:series_slug>/upcoming/", views.upcoming, name="upcoming"),
    path(
        "<slug:series_slug>/upcoming/page/1/", views.first_page, {"list_name": "seminars:upcoming"}
    ),
    path("<slug:series_slug>/upcoming/page/<int:page>/", views.upcoming, name="upcoming_page"),
    path("<slug:series_slug>/talks/<slug:talk_slug>/", views.talk_detail, name="talk"),
]
