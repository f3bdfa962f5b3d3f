# Blind review's candidate code (hiring.blind): adding the column gives every existing
# row the same default, so each application then gets a code of its own, and its
# history rows the application's.

from django.db import migrations, models
from django.db.models.functions import Coalesce

import hiring.blind


def give_each_its_own_code(apps, schema_editor):
    Application = apps.get_model("hiring", "Application")
    HistoricalApplication = apps.get_model("hiring", "HistoricalApplication")
    batch = []
    for application in Application.objects.only("pk").iterator(chunk_size=2000):
        application.candidate_code = hiring.blind.new_candidate_code()
        batch.append(application)
        if len(batch) == 2000:
            Application.objects.bulk_update(batch, ["candidate_code"])
            batch = []
    Application.objects.bulk_update(batch, ["candidate_code"])
    codes = Application.objects.filter(pk=models.OuterRef("id")).values("candidate_code")[:1]
    HistoricalApplication.objects.update(
        candidate_code=Coalesce(models.Subquery(codes), models.F("candidate_code"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("hiring", "0013_candidate_updated_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="candidate_code",
            field=models.CharField(
                db_index=True,
                default=hiring.blind.new_candidate_code,
                editable=False,
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="historicalapplication",
            name="candidate_code",
            field=models.CharField(
                db_index=True,
                default=hiring.blind.new_candidate_code,
                editable=False,
                max_length=16,
            ),
        ),
        migrations.RunPython(give_each_its_own_code, migrations.RunPython.noop),
    ]
