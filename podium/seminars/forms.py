"""Forms for everything organizers type: a talk in its series' local time, a person's photo."""

import hashlib
from datetime import datetime

from django import forms
from django.core.files.base import ContentFile

from podium.seminars.models import Person, Series, Talk
from podium.seminars.timezones import LocalTimeError, to_local, to_utc

DST_CHOICES = [
    ("", "Not needed"),
    ("0", "The first occurrence (before the clocks go back)"),
    ("1", "The second occurrence (after the clocks go back)"),
]


class TalkForm(forms.ModelForm):
    """A talk, its start typed as a date and a time in the series' own zone."""

    local_date = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    local_time = forms.TimeField(
        label="Start time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="In the series' time zone.",
    )
    dst_choice = forms.ChoiceField(
        label="If this time happens twice",
        choices=DST_CHOICES,
        required=False,
        help_text="Only when the clocks go back that night: which of the two.",
    )

    class Meta:
        model = Talk
        fields = [
            "series",
            "title",
            "abstract",
            "local_date",
            "local_time",
            "dst_choice",
            "duration",
            "status",
            "status_note",
            "registration_url",
            "livestream_url",
            "recording_url",
            "slides_url",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.start:
            local = to_local(self.instance.start, self.instance.series.time_zone)
            self.initial.setdefault("local_date", local.date())
            self.initial.setdefault("local_time", local.time().replace(tzinfo=None))

    def clean(self):
        cleaned = super().clean()
        series: Series | None = cleaned.get("series")
        day, clock = cleaned.get("local_date"), cleaned.get("local_time")
        if series is None or day is None or clock is None:
            return cleaned
        choice = cleaned.get("dst_choice")
        try:
            start = to_utc(
                datetime.combine(day, clock), series.time_zone, int(choice) if choice else None
            )
        except LocalTimeError as error:
            self.add_error("local_time", error.message)
            return cleaned
        self.instance.start = start
        return cleaned


class PersonForm(forms.ModelForm):
    """A speaker; an uploaded photo is re-encoded here before anything keeps it."""

    class Meta:
        model = Person
        fields = ["honorific", "name", "affiliation", "homepage", "bio", "photo"]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo or photo == self.initial.get("photo") or not hasattr(photo, "read"):
            return photo
        # Pillow is loaded when a photo arrives, not with the organizers' side.
        from podium.seminars.photos import PhotoError, sanitize_photo

        try:
            data = sanitize_photo(photo)
        except PhotoError as error:
            raise forms.ValidationError(str(error)) from None
        # Named by content: the address changes exactly when the picture does.
        return ContentFile(data, name=f"{hashlib.sha256(data).hexdigest()[:20]}.jpg")
