"""Each application's cards expected and submitted, kept by panel_changed() (hiring.models)."""

from django.db import migrations, models
from django.db.models.functions import Coalesce


def count_cards(apps, schema_editor):
    """Every application's cards counted, as hiring.models.count_cards does."""
    Application = apps.get_model("hiring", "Application")
    Interview = apps.get_model("hiring", "Interview")
    interviews = Interview.objects.filter(application=models.OuterRef("pk")).order_by()

    def counted(queryset):
        n = queryset.values("application").annotate(n=models.Count("pk")).values("n")
        return Coalesce(models.Subquery(n), 0)

    Application.objects.update(
        cards_expected=counted(interviews),
        cards_submitted=counted(interviews.filter(scorecard__status="submitted")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("hiring", "0009_administrator_group"),
        # The cards counted live in scorecards.
        ("scorecards", "0004_headline_disagreement"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="cards_expected",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="application",
            name="cards_submitted",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(count_cards, migrations.RunPython.noop),
    ]
