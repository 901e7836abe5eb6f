from django.db import migrations

DEFAULT_LISTS = [
    ("seminar", "seminar", "Seminar announcements", "Talks, reminders and changes."),
    ("jobs", "jobs", "Job announcements", "Positions from the community."),
]


def give_series_lists(apps, schema_editor):
    Series = apps.get_model("seminars", "Series")
    MailingList = apps.get_model("mailing", "MailingList")
    MailingSettings = apps.get_model("mailing", "MailingSettings")
    for series in Series.objects.all():
        MailingSettings.objects.get_or_create(series=series)
        if not MailingList.objects.filter(series=series).exists():
            for position, (kind, slug, name, text) in enumerate(DEFAULT_LISTS):
                MailingList.objects.create(
                    series=series, kind=kind, slug=slug, name=name, description=text,
                    position=position,
                )


class Migration(migrations.Migration):
    dependencies = [("mailing", "0001_initial")]

    operations = [migrations.RunPython(give_series_lists, migrations.RunPython.noop)]
