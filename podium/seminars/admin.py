"""The organizers' side at /organize/: Django's admin, scoped to the series one organizes."""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html_join

from podium.seminars import organize_views
from podium.seminars.forms import PersonForm, TalkForm
from podium.seminars.models import (
    Organizer,
    Person,
    Series,
    SeriesLink,
    Talk,
    TalkLink,
    TalkSpeaker,
)
from podium.seminars.permissions import people_for_user, pickable_people, series_for_user
from podium.seminars.talks import (
    ensure_slug,
    record_public_change,
    refresh_talks_of,
    touch_series,
)
from podium.seminars.timezones import format_series_time


class OrganizeSite(admin.AdminSite):
    site_header = "Podium: organize"
    site_title = "Podium organize"
    index_title = "Your series"
    site_url = "/"

    def get_urls(self):
        extra = [
            path(
                "time-preview/",
                self.admin_view(organize_views.time_preview),
                name="time_preview",
            )
        ]
        return extra + super().get_urls()


organize_site = OrganizeSite(name="organize")


class SeriesScoped:
    """Permissions by series, not by Django's global model permissions."""

    def in_scope(self, request: HttpRequest, obj) -> bool:
        return series_for_user(request.user).filter(pk=self.series_id_of(obj)).exists()

    def series_id_of(self, obj) -> int:
        return obj.series_id

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return series_for_user(request.user).exists()


class ScopedInline:
    """An inline may be edited by whoever may edit its parent (checked by the parent admin)."""

    def _allowed(self, request, obj=None) -> bool:
        if not (request.user.is_active and request.user.is_staff):
            return False
        mine = series_for_user(request.user)
        if obj is None:
            return mine.exists()
        series_id = obj.pk if isinstance(obj, Series) else obj.series_id
        return mine.filter(pk=series_id).exists()

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)


class SeriesLinkInline(ScopedInline, admin.TabularInline):
    model = SeriesLink
    extra = 0
    fields = ["label", "url", "position"]


class OrganizerInline(ScopedInline, admin.TabularInline):
    model = Organizer
    extra = 0
    fields = ["name", "affiliation", "homepage", "user", "position"]

    def get_readonly_fields(self, request, obj=None):
        # Granting access to a series is a site administrator's decision.
        return [] if request.user.is_superuser else ["user"]


@admin.register(Series, site=organize_site)
class SeriesAdmin(SeriesScoped, admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "visibility"]
    search_fields = ["name", "short_name"]
    inlines = [SeriesLinkInline, OrganizerInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "visibility", "description"]}),
        (
            "Usual slot",
            {
                "fields": [
                    "time_zone",
                    "slot_text",
                    "default_weekday",
                    "default_start_time",
                    "default_duration",
                ]
            },
        ),
        ("Defaults for new talks", {"fields": ["registration_url", "livestream_url"]}),
        ("History", {"fields": ["earlier_iterations"]}),
    ]

    def series_id_of(self, obj) -> int:
        return obj.pk

    def get_queryset(self, request):
        return series_for_user(request.user)

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj and not request.user.is_superuser else []

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        touch_series(form.instance)


class TalkSpeakerInline(ScopedInline, admin.TabularInline):
    model = TalkSpeaker
    extra = 1
    min_num = 1
    fields = ["person", "position"]
    autocomplete_fields = ["person"]
    verbose_name = "speaker"
    verbose_name_plural = "speakers (in order)"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "person":
            kwargs["queryset"] = pickable_people(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TalkLinkInline(ScopedInline, admin.TabularInline):
    model = TalkLink
    extra = 0
    fields = ["label", "url", "position"]
    verbose_name = "further link"


class WhenFilter(admin.SimpleListFilter):
    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", "Upcoming"), ("past", "Past")]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.filter(start__gte=timezone.now())
        if self.value() == "past":
            return queryset.filter(start__lt=timezone.now())
        return queryset


class SeriesFilter(admin.SimpleListFilter):
    title = "series"
    parameter_name = "series"

    def lookups(self, request, model_admin):
        return [(s.pk, s.name) for s in series_for_user(request.user)]

    def queryset(self, request, queryset):
        return queryset.filter(series_id=self.value()) if self.value() else queryset


@admin.register(Talk, site=organize_site)
class TalkAdmin(SeriesScoped, admin.ModelAdmin):
    form = TalkForm
    inlines = [TalkSpeakerInline, TalkLinkInline]
    list_display = ["title", "speaker_names", "when", "series", "status"]
    list_filter = [WhenFilter, "status", SeriesFilter]
    search_fields = ["title", "talk_speakers__person__name"]
    ordering = ["-start"]
    date_hierarchy = None
    list_select_related = ["series"]
    readonly_fields = ["times_elsewhere", "public_address", "sequence"]
    fieldsets = [
        (None, {"fields": ["series", "title", "abstract"]}),
        (
            "When",
            {"fields": ["local_date", "local_time", "dst_choice", "duration", "times_elsewhere"]},
        ),
        ("Status", {"fields": ["status", "status_note"]}),
        (
            "Links",
            {"fields": ["registration_url", "livestream_url", "recording_url", "slides_url"]},
        ),
        ("Published", {"fields": ["public_address", "sequence"]}),
    ]

    class Media:
        js = ["podium/organize.js"]

    def get_queryset(self, request):
        qs = super().get_queryset(request).filter(series__in=series_for_user(request.user))
        return qs.prefetch_related("talk_speakers__person")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "series":
            kwargs["queryset"] = series_for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        mine = list(series_for_user(request.user)[:2])
        if len(mine) == 1 and "series" not in initial:
            initial.update(organize_views.talk_defaults(mine[0]))
        return initial

    @admin.display(description="speakers")
    def speaker_names(self, talk: Talk) -> str:
        return ", ".join(role.person.name for role in talk.talk_speakers.all())

    @admin.display(description="when", ordering="start")
    def when(self, talk: Talk) -> str:
        return format_series_time(talk.start, talk.series.time_zone)

    @admin.display(description="in other zones")
    def times_elsewhere(self, talk: Talk):
        if not talk.pk:
            return "Shown as you type the date and time."
        rows = organize_views.times_elsewhere(talk.start)
        return format_html_join("", "<div>{}: {}</div>", rows)

    @admin.display(description="public address")
    def public_address(self, talk: Talk):
        if not talk.pk or talk.status == "draft":
            return "Not public yet."
        return format_html_join("", '<a href="{}">{}</a>', [(talk.get_absolute_url(),) * 2])

    def save_model(self, request, obj, form, change):
        ensure_slug(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record_public_change(form.instance)


@admin.register(Person, site=organize_site)
class PersonAdmin(admin.ModelAdmin):
    form = PersonForm
    list_display = ["name", "honorific", "affiliation"]
    search_fields = ["name", "affiliation"]

    def get_queryset(self, request):
        match = request.resolver_match
        if match and match.url_name == "autocomplete":
            # Picking a speaker may reuse anyone already public; editing is narrower.
            return pickable_people(request.user)
        return people_for_user(request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return people_for_user(request.user).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request):
        return series_for_user(request.user).exists()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            refresh_talks_of(obj)
