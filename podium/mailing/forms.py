"""Every input of the mailing side goes through one of these forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from podium.mailing.models import Announcement, MailingList, MailingSettings
from podium.mailing.outbox import MAX_ADDRESS_LENGTH, UnsafeHeader, check_header_value

MAX_CSV_BYTES = 5 * 1024 * 1024


def validate_one_line(value: str) -> None:
    """Refuse line breaks and control characters in a value that reaches a mail header."""
    try:
        check_header_value(value, "text")
    except UnsafeHeader:
        raise ValidationError(
            "Keep this on one line: line breaks and control characters are not allowed.",
            code="header_injection",
        ) from None


class ListChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: MailingList) -> str:
        return obj.name


class SubscribeForm(forms.Form):
    """The subscribe form on the series page (no CSRF cookie: see docs/mailing.md)."""

    email = forms.EmailField(
        label="Your email address",
        max_length=MAX_ADDRESS_LENGTH,
        error_messages={"max_length": "An email address has at most 254 characters."},
    )
    name = forms.CharField(
        label="Your name (optional)", max_length=200, required=False, validators=[validate_one_line]
    )
    lists = ListChoiceField(
        queryset=MailingList.objects.none(),
        error_messages={"required": "Choose at least one list."},
    )
    # The honeypot: hidden from people, filled in by robots.
    website = forms.CharField(required=False, label="Leave this empty")

    def __init__(self, *args, series=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = series.mailing_lists.filter(offered=True)

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class PreferencesForm(forms.Form):
    """A subscriber's choice of lists, reached through a signed link."""

    lists = ListChoiceField(queryset=MailingList.objects.none(), required=False)

    def __init__(self, *args, subscriber=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        mine = subscriber.lists.values_list("pk", flat=True)
        queryset = subscriber.series.mailing_lists.filter(offered=True) | (
            subscriber.series.mailing_lists.filter(pk__in=list(mine))
        )
        self.fields["lists"].queryset = queryset.distinct()
        self.fields["lists"].label = "Your lists"


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ["mailing_list", "subject", "body"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "subject" in self.fields:  # read-only once sent
            self.fields["subject"].validators.append(validate_one_line)


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label="Send at (UTC)",
        help_text="Year-month-day hours:minutes in UTC, e.g. 2026-10-12 09:00.",
        input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],
    )


class MailingSettingsForm(forms.ModelForm):
    class Meta:
        model = MailingSettings
        fields = ["reminder_offsets"]

    def clean_reminder_offsets(self) -> str:
        from podium.mailing.announcements import parse_offsets

        value = self.cleaned_data["reminder_offsets"]
        parse_offsets(value)
        return value


class ImportMode:
    ACTIVE = "active"
    CONFIRM = "confirm"
    CHOICES = [
        (ACTIVE, "Add them as active: they agreed elsewhere (say where below)"),
        (CONFIRM, "Ask each address to confirm by email first"),
    ]


class ImportForm(forms.Form):
    """Subscribers from a CSV file (e.g. a JISCMail export: address and name)."""

    file = forms.FileField(label="CSV file", help_text="Columns: email address, then name.")
    lists = ListChoiceField(queryset=MailingList.objects.none(), label="Add them to")
    mode = forms.ChoiceField(choices=ImportMode.CHOICES, widget=forms.RadioSelect)
    consent_source = forms.CharField(
        label="Where did they subscribe?",
        max_length=200,
        required=False,
        validators=[validate_one_line],
        help_text="Recorded with each address, e.g. “JISCMail list PRISEC-ML, exported 2026-11”.",
    )

    def __init__(self, *args, series=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = series.mailing_lists.all()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise ValidationError("The file is larger than 5 MB; split it.")
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") == ImportMode.ACTIVE and not cleaned.get("consent_source"):
            self.add_error("consent_source", "Say where these people agreed to get mail from you.")
        return cleaned
