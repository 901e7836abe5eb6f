from django.urls import path

from podium.mailing import views

app_name = "mailing"

urlpatterns = [
    path("<slug:series_slug>/subscribe/", views.subscribe, name="subscribe"),
    path("<slug:series_slug>/subscribe/sent/", views.subscribe_sent, name="subscribe_sent"),
    path("<slug:series_slug>/mail/confirm/<str:token>/", views.confirm, name="confirm"),
    path(
        "<slug:series_slug>/mail/preferences/<str:token>/",
        views.preferences,
        name="preferences",
    ),
    path(
        "<slug:series_slug>/mail/preferences/<str:token>/data.json",
        views.personal_data,
        name="personal_data",
    ),
    path(
        "<slug:series_slug>/mail/unsubscribe/<str:token>/",
        views.unsubscribe,
        name="unsubscribe",
    ),
    path("<slug:series_slug>/announcements/", views.archive, name="archive"),
    path("<slug:series_slug>/announcements/<int:pk>/", views.archived, name="archived"),
]
