from django.db import migrations, models

from podium.seminars.text import html_to_text


def fill_abstract_text(apps, schema_editor):
    """The plain text of every stored abstract, as `Talk.render_abstract` makes it."""
    Talk = apps.get_model("seminars", "Talk")
    talks = Talk.objects.only("id", "abstract_html")
    batch = []
    for talk in talks.iterator(chunk_size=1000):
        talk.abstract_text = html_to_text(talk.abstract_html)
        batch.append(talk)
        if len(batch) == 1000:
            Talk.objects.bulk_update(batch, ["abstract_text"])
            batch = []
    Talk.objects.bulk_update(batch, ["abstract_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("seminars", "0002_reserved_series_slugs"),
    ]

    operations = [
        migrations.AddField(
            model_name="talk",
            name="abstract_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_abstract_text, migrations.RunPython.noop),
    ]
