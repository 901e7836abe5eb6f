"""The organizers' side of mail at /organize/: lists, subscribers, announcements, the outbox
and, when mail is kept inside Podium, the mailbox. Everything is scoped per series."""

from __future__ import annotations

from email import message_from_bytes, policy

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone

from podium.mailing import announcements, bulk
from podium.mailing.forms import AnnouncementForm, ImportForm, ImportMode, MailingSettingsForm
from podium.mailing.models import (
    Announcement,
    AnnouncementKind,
    AnnouncementState,
    ListKind,
    MailingList,
    MailingSettings,
    OutboxMessage,
    StoredMail,
    Subscriber,
    SubscriberEvent,
)
from podium.seminars.admin import SeriesScoped, organize_site
from podium.seminars.models import Talk, TalkStatus
from podium.seminars.permissions import series_for_user
from podium.seminars.talks import touch_series


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MailingList, site=organize_site)
class MailingListAdmin(SeriesScoped, admin.ModelAdmin):
    list_display = ["name", "series", "kind", "offered", "position"]
    list_filter = ["series"]
    fields = ["series", "name", "slug", "kind", "description", "offered", "position"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(series__in=series_for_user(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "series":
            kwargs["queryset"] = series_for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        touch_series(obj.series)  # the subscribe form on the series page lists it


@admin.register(MailingSettings, site=organize_site)
class MailingSettingsAdmin(SeriesScoped, admin.ModelAdmin):
    form = MailingSettingsForm
    list_display = ["series", "reminder_offsets"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(series__in=series_for_user(request.user))

    def has_add_permission(self, request, obj=None):
        return False


class SubscriberEventInline(admin.TabularInline):
    model = SubscriberEvent
    fields = ["at", "state", "how"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "consent record"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscriber, site=organize_site)
class SubscriberAdmin(SeriesScoped, admin.ModelAdmin):
    list_display = ["email", "name", "state", "series", "created_at"]
    list_filter = ["state", "series", "lists"]
    search_fields = ["email", "name"]
    fields = ["series", "email", "name", "state", "lists", "consent_source", "created_at"]
    readonly_fields = ["series", "email", "state", "consent_source", "created_at"]
    filter_horizontal = ["lists"]
    inlines = [SubscriberEventInline]
    change_list_template = "admin/mailing/subscriber/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(series__in=series_for_user(request.user))

    def has_add_permission(self, request, obj=None):
        return False  # people subscribe themselves, or arrive by import with consent recorded

    def delete_model(self, request, obj):
        from podium.mailing.subscriptions import forget

        forget(obj)

    def get_urls(self):
        own = [
            path(
                "import/<int:series_id>/",
                self.admin_site.admin_view(self.import_view),
                name="mailing_subscriber_import",
            ),
            path(
                "export/<int:series_id>/",
                self.admin_site.admin_view(self.export_view),
                name="mailing_subscriber_export",
            ),
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra = {"mail_series": list(series_for_user(request.user))}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def import_view(self, request: HttpRequest, series_id: int) -> HttpResponse:
        series = get_object_or_404(series_for_user(request.user), pk=series_id)
        form = ImportForm(request.POST or None, request.FILES or None, series=series)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            try:
                report = bulk.import_subscribers(
                    series,
                    form.cleaned_data["file"].read(),
                    form.cleaned_data["lists"],
                    confirm_by_email=form.cleaned_data["mode"] == ImportMode.CONFIRM,
                    consent_source=form.cleaned_data["consent_source"] or "asked to confirm",
                    by=request.user.get_username(),
                )
            except bulk.ImportRefused as refused:
                problems = refused.problems
            else:
                messages.success(
                    request,
                    f"Added {report.added}, asked {report.confirmations_sent} to confirm, "
                    f"{report.already} already subscribed, "
                    f"{len(report.skipped_unsubscribed)} left out because they unsubscribed "
                    "or bounce.",
                )
                return redirect("organize:mailing_subscriber_changelist")
        context = {
            **self.admin_site.each_context(request),
            "series": series,
            "form": form,
            "problems": problems,
            "title": "Import subscribers",
        }
        return render(request, "mailing/organize/import.html", context)

    def export_view(self, request: HttpRequest, series_id: int) -> HttpResponse:
        series = get_object_or_404(series_for_user(request.user), pk=series_id)
        response = HttpResponse(bulk.export_csv(series), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y-%m-%d")
        response["Content-Disposition"] = (
            f'attachment; filename="{series.slug}-subscribers-{stamp}.csv"'
        )
        return response


@admin.register(Announcement, site=organize_site)
class AnnouncementAdmin(SeriesScoped, admin.ModelAdmin):
    form = AnnouncementForm
    list_display = ["subject", "kind", "state", "send_at", "queued_at", "recipients"]
    list_filter = ["kind", "state", "series"]
    search_fields = ["subject"]
    change_list_template = "admin/mailing/announcement/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(series__in=series_for_user(request.user))

    def get_fields(self, request, obj=None):
        return ["mailing_list", "subject", "body", "send_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.state == AnnouncementState.QUEUED:
            return ["mailing_list", "subject", "body", "send_at"]
        return []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "mailing_list":
            kwargs["queryset"] = MailingList.objects.filter(
                series__in=series_for_user(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        jobs = MailingList.objects.filter(
            series__in=series_for_user(request.user), kind=ListKind.JOBS
        ).first()
        if jobs and "mailing_list" not in initial:
            initial["mailing_list"] = jobs.pk
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.kind = AnnouncementKind.JOB  # written by hand; talk announcements are drafted
        obj.series = obj.mailing_list.series
        super().save_model(request, obj, form, change)

    def _act(self, request, obj) -> None:
        try:
            if "_send_now" in request.POST:
                count = announcements.queue_announcement(obj)
                messages.success(request, f"Sent to the outbox for {count} recipient(s).")
            elif "_schedule" in request.POST:
                if not obj.send_at:
                    messages.error(request, "Set “send at” first, then schedule.")
                else:
                    announcements.schedule(obj, obj.send_at)
                    messages.success(request, f"Scheduled for {obj.send_at:%d %b %Y %H:%M} UTC.")
            elif "_redraft" in request.POST and obj.talk_id:
                announcements.redraft(obj)
                messages.success(request, "Drafted again from the talk as it is now.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))

    def response_change(self, request, obj):
        if {"_send_now", "_schedule", "_redraft"} & set(request.POST):
            self._act(request, obj)
            return redirect("organize:mailing_announcement_change", obj.pk)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if {"_send_now", "_schedule"} & set(request.POST):
            self._act(request, obj)
            return redirect("organize:mailing_announcement_change", obj.pk)
        return super().response_add(request, obj, post_url_continue)

    def get_urls(self):
        own = [
            path(
                "<int:pk>/text/",
                self.admin_site.admin_view(self.text_view),
                name="mailing_announcement_text",
            ),
            path(
                "draft/",
                self.admin_site.admin_view(self.draft_view),
                name="mailing_announcement_draft",
            ),
        ]
        return own + super().get_urls()

    def text_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        from podium.seminars.text import markdown_to_text

        announcement = get_object_or_404(self.get_queryset(request), pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Plain-text version",
            "subject": announcement.subject,
            "text": markdown_to_text(announcement.body),
        }
        return render(request, "mailing/organize/plain_text.html", context)

    def draft_view(self, request: HttpRequest) -> HttpResponse:
        talks = (
            Talk.objects.filter(
                series__in=series_for_user(request.user),
                status=TalkStatus.SCHEDULED,
                start__gt=timezone.now(),
            )
            .exclude(announcements__kind=AnnouncementKind.ANNOUNCEMENT)
            .select_related("series")
            .order_by("start")
        )
        if request.method == "POST":
            talk = talks.filter(pk=request.POST.get("talk") or 0).first()
            if talk is None:
                raise PermissionDenied("You cannot draft for this talk.")
            announcement = announcements.draft_announcement(talk)
            messages.success(request, "Drafted. Read it, then send it now or schedule it.")
            return redirect("organize:mailing_announcement_change", announcement.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Draft from a talk",
            "talks": list(talks),
        }
        return render(request, "mailing/organize/draft_from_talk.html", context)


@admin.register(OutboxMessage, site=organize_site)
class OutboxMessageAdmin(ReadOnly, SeriesScoped, admin.ModelAdmin):
    list_display = ["to_address", "subject", "state", "attempts", "sent_at", "last_error"]
    list_filter = ["state"]
    search_fields = ["to_address", "message_id"]
    list_select_related = ["content"]

    def series_id_of(self, obj) -> int:
        return obj.content.series_id

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(content__series__in=series_for_user(request.user))
        )

    @admin.display(description="subject")
    def subject(self, obj: OutboxMessage) -> str:
        return obj.content.subject


@admin.register(StoredMail, site=organize_site)
class StoredMailAdmin(ReadOnly, SeriesScoped, admin.ModelAdmin):
    list_display = ["subject", "to_address", "delivered_at"]
    search_fields = ["subject", "to_address"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(series__in=series_for_user(request.user))

    def in_scope(self, request, obj) -> bool:
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        mail = get_object_or_404(self.get_queryset(request), pk=object_id)
        message = message_from_bytes(bytes(mail.raw), policy=policy.default)
        body = message.get_body(preferencelist=("plain",))
        context = {
            **self.admin_site.each_context(request),
            "title": mail.subject,
            "mail": mail,
            "headers": [(name, str(value)) for name, value in message.items()],
            "text": body.get_content() if body else "",
            "attachments": [part.get_filename() for part in message.iter_attachments()],
        }
        return render(request, "mailing/organize/stored_mail.html", context)
