from django.db import migrations, models


def reopened_before_recorded(apps, schema_editor):
    # A card reopened before reopened_at existed: its last save is the nearest known
    # time at or after its reopening, so it falls due no earlier than it should.
    Scorecard = apps.get_model("scorecards", "Scorecard")
    Scorecard.objects.filter(status="draft", reopen_reason__gt="", reopened_at=None).update(
        reopened_at=models.F("updated_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("scorecards", "0002_headline"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalscorecard",
            name="reopened_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="scorecard",
            name="reopened_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(reopened_before_recorded, migrations.RunPython.noop),
    ]
