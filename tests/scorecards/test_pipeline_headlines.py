"""The pipeline's stored headlines (scorecards.models.Headline): used only while they
belong to the application's panel_version and to the scoring code of this release
(pipeline.RULES); computed and stored otherwise; stored for every application by
`migrate`, so the first list after a deploy adds up no ratings."""

import csv
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring.models import Application, panel_changed
from scorecards import pipeline
from scorecards.models import Headline
from tests import factories
from tests.scorecards.test_pipeline import add_application

pytestmark = pytest.mark.django_db

SCORING_TABLES = ("scorecards_rating", "scorecards_signalcheck", "roles_dimension")


@pytest.fixture
def role():
    revision, dims = factories.revision_with_dimensions(
        [50, 50], role__title="Data Engineer", role__slug="data-engineer"
    )
    add_application(revision, dims, "Alice Able", [[4, 4], [4, 5]])
    add_application(revision, dims, "Bob Baker", [[3, 3], [2, 3]], flag=True)
    return revision.role


def export(client, role) -> dict[str, dict[str, str]]:
    response = client.get(reverse("hiring:export", args=[role.slug]))
    return {row["candidate"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}


def figures(row) -> tuple:
    keys = ("submitted_scorecards", "weighted_score", "coverage", "recommendation", "red_flags")
    return tuple(row[k] for k in keys)


def test_a_list_stores_what_it_computed_and_the_next_reads_it(recruiter_client, role):
    assert not Headline.objects.exists()
    first = export(recruiter_client, role)
    assert figures(first["Alice Able"]) == ("2", "4.25", "1.00", "strong_hire", "0")
    assert figures(first["Bob Baker"]) == ("2", "2.75", "1.00", "no_hire", "1")
    stored = {h.application.candidate.name: h for h in Headline.objects.all()}
    assert set(stored) == {"Alice Able", "Bob Baker"}
    bob = stored["Bob Baker"]
    assert (bob.submitted, bob.score_numerator, bob.score_denominator) == (2, 11, 4)
    assert (bob.recommendation, bob.red_flags, bob.rules) == ("no_hire", 1, pipeline.RULES)
    assert bob.panel_version == bob.application.panel_version

    # Not from the cache: with it emptied (a deploy), nothing is added up again.
    cache.clear()
    with CaptureQueriesContext(connection) as again:
        assert export(recruiter_client, role) == first
    assert not any(t in q["sql"] for q in again.captured_queries for t in SCORING_TABLES)


def test_a_headline_of_another_panel_version_is_never_shown(recruiter_client, role):
    export(recruiter_client, role)
    bob = Application.objects.get(candidate__name="Bob Baker")
    # What a list stored just before a card changed: the change moved the version on.
    Headline.objects.filter(application=bob).update(recommendation="strong_hire", red_flags=0)
    panel_changed([bob.pk])
    row = export(recruiter_client, role)["Bob Baker"]
    assert figures(row) == ("2", "2.75", "1.00", "no_hire", "1")
    bob.refresh_from_db()
    assert Headline.objects.get(application=bob).panel_version == bob.panel_version


def test_a_headline_older_scoring_code_stored_is_never_shown(recruiter_client, role):
    export(recruiter_client, role)
    Headline.objects.update(rules="0123456789abcdef", recommendation="strong_no_hire")
    table = export(recruiter_client, role)
    assert table["Alice Able"]["recommendation"] == "strong_hire"
    assert set(Headline.objects.values_list("rules", flat=True)) == {pipeline.RULES}


def test_an_unusable_revision_is_stored_as_its_error(recruiter_client, role):
    revision = role.revisions.get()
    type(revision).objects.filter(pk=revision.pk).update(thresholds={"hire": "x"})
    panel_changed(Application.objects.filter(revision=revision).values("pk"))
    first = export(recruiter_client, role)
    assert first["Alice Able"]["recommendation"] == "scoring_settings_invalid"
    assert all(h.error for h in Headline.objects.all())
    assert export(recruiter_client, role) == first


def test_migrate_stores_every_missing_or_outdated_headline(recruiter_client, role):
    other, dims = factories.revision_with_dimensions([100])
    add_application(other, dims, "Cleo Cole", [[5], [4]])
    export(recruiter_client, role)
    Headline.objects.filter(application__candidate__name="Alice Able").update(rules="old")
    # Bob's and Cleo's: up to date and missing.
    out = io.StringIO()
    call_command("migrate", verbosity=1, stdout=out)
    assert "Stored the pipeline headlines of 2 applications." in out.getvalue()
    assert Headline.objects.filter(rules=pipeline.RULES).count() == 3
    with CaptureQueriesContext(connection) as after:
        table = export(recruiter_client, role)
    assert not any(t in q["sql"] for q in after.captured_queries for t in SCORING_TABLES)
    assert table["Alice Able"]["weighted_score"] == "4.25"
    assert pipeline.refresh_headlines() == 0


def test_a_list_that_cannot_store_still_shows_its_figures(recruiter_client, role, monkeypatch):
    from django.db import DatabaseError

    def refuse(*args, **kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(Headline.objects, "bulk_create", refuse)
    table = export(recruiter_client, role)
    assert figures(table["Bob Baker"]) == ("2", "2.75", "1.00", "no_hire", "1")
    assert not Headline.objects.exists()
