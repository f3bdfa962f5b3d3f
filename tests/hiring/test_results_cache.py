"""The one cache (hiring.results_cache): what the panel and its JSON compute is kept per
application under its panel_version and the code's release; the pipeline's and the CSV's
headlines are stored under the same panel_version (scorecards.models.Headline,
tests/scorecards/test_pipeline_headlines.py), so every change here must show there too.

Each test opens the pages once so the cache is warm, changes what they show through the
path users take (the scorecard's own methods, the admin, a data fix), and checks the
next view shows it; a view with the cache emptied gives the same answer.
"""

import csv
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring import results_cache
from hiring.models import Application, Decision
from hiring_site import release
from hiring_site.access import INTERVIEWER
from roles.models import Signal
from scorecards.models import Rating, ScorecardContent, SignalCheck
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop(hiring_manager):
    """Ada: Ivy submitted (Design 4, Talk 3, yes), Ian's card is a draft (Design 2).
    Bob: two submitted cards, 5s and 4s."""
    revision, (design, talk) = factories.revision_with_dimensions(
        [60, 40], names=["Design", "Talk"], role__slug="platform"
    )
    case = factories.InterviewStageFactory(
        revision=revision, order=0, name="Case", focus_dimensions=[design, talk]
    )
    pairing = factories.InterviewStageFactory(
        revision=revision, order=1, name="Pairing", focus_dimensions=[design]
    )
    red_flag = factories.SignalFactory(revision=revision, kind=Signal.Kind.RED_FLAG, text="Lied")
    ada = factories.ApplicationFactory(
        revision=revision, hiring_manager=hiring_manager, candidate__name="Ada Lovelace"
    )
    ivy = factories.InterviewerFactory(first_name="Ivy", last_name="Ito")
    ian = factories.InterviewerFactory(first_name="Ian", last_name="Ng")
    submitted = factories.scorecard_with_ratings(
        factories.InterviewFactory(application=ada, stage=case, interviewer=ivy),
        {design: 4, talk: 3},
        recommendation="yes",
        evidence="Drew the queues first",
    )
    draft = factories.scorecard_with_ratings(
        factories.InterviewFactory(application=ada, stage=pairing, interviewer=ian),
        {design: 2},
        status="draft",
        recommendation="no",
    )
    bob = factories.ApplicationFactory(
        revision=revision, hiring_manager=hiring_manager, candidate__name="Bob Baker"
    )
    for scores in ({design: 5, talk: 5}, {design: 4, talk: 4}):
        factories.scorecard_with_ratings(
            factories.InterviewFactory(application=bob, stage=case), scores
        )
    return {
        "revision": revision,
        "design": design,
        "talk": talk,
        "pairing": pairing,
        "red_flag": red_flag,
        "ada": ada,
        "ivy": ivy,
        "ian": ian,
        "submitted": submitted,
        "draft": draft,
    }


def page(client, application) -> str:
    response = client.get(reverse("hiring:panel", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def as_json(client, application) -> dict:
    response = client.get(reverse("hiring:panel_json", args=[application.pk]))
    assert response.status_code == 200
    return response.json()


def export(client) -> dict[str, dict[str, str]]:
    response = client.get(reverse("hiring:export", args=["platform"]))
    assert response.status_code == 200
    return {row["candidate"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}


def ada_row(client) -> tuple[str, ...]:
    row = export(client)["Ada Lovelace"]
    keys = ("submitted_scorecards", "weighted_score", "coverage", "recommendation", "red_flags")
    return tuple(row[key] for key in keys)


def pipeline(client) -> str:
    response = client.get(reverse("hiring:pipeline", args=["platform"]), {"sort": "-score"})
    assert response.status_code == 200
    return response.content.decode()


def everything(client, application) -> tuple:
    return page(client, application), as_json(client, application), export(client)


# --- warm and cold give the same answer ------------------------------------------------


@pytest.mark.parametrize("url_name", ["hiring:panel", "hiring:panel_json"])
def test_a_warm_panel_skips_the_queries_of_the_cards(manager_client, loop, url_name):
    url = reverse(url_name, args=[loop["ada"].pk])
    with CaptureQueriesContext(connection) as cold:
        first = manager_client.get(url).content
    with CaptureQueriesContext(connection) as warm:
        second = manager_client.get(url).content
    assert not any("scorecards_rating" in q["sql"] for q in warm.captured_queries)
    assert len(warm.captured_queries) < len(cold.captured_queries)
    if url_name == "hiring:panel_json":
        assert first == second
    else:
        assert second.decode().count('class="rating-value"') == 2


def test_a_warm_export_and_pipeline_skip_the_queries_of_the_cards(recruiter_client, loop):
    first = export(recruiter_client)
    with CaptureQueriesContext(connection) as warm:
        second = export(recruiter_client)
        body = pipeline(recruiter_client)
    assert first == second
    scoring_tables = ("scorecards_rating", "scorecards_signalcheck", "roles_dimension")
    assert not any(t in q["sql"] for q in warm.captured_queries for t in scoring_tables)
    assert "4.50" in body and "Strong hire" in body


def test_a_view_with_the_cache_emptied_gives_the_same_answer(client, loop, recruiter):
    client.force_login(recruiter)
    everything(client, loop["ada"])
    warm = everything(client, loop["ada"])
    cache.clear()
    cold = everything(client, loop["ada"])
    assert cold[1:] == warm[1:]
    assert cold[0].count("rating-cell rating-") == warm[0].count("rating-cell rating-") == 2
    assert warm[2]["Ada Lovelace"]["weighted_score"] == "3.60"


# --- every change shows on the next view ----------------------------------------------


def test_a_submitted_card_shows_everywhere(manager_client, loop):
    ada = loop["ada"]
    assert "Ian Ng<br>" not in page(manager_client, ada)
    assert as_json(manager_client, ada)["submitted"] == 1
    assert ada_row(manager_client) == ("1", "3.60", "1.00", "insufficient_evidence", "0")

    draft = loop["draft"]
    draft.submit(
        ScorecardContent(ratings={loop["design"].pk: (2, "Struggled")}, recommendation="no"),
        draft.version,
        by=loop["ian"],
    )

    body = page(manager_client, ada)
    assert "Ian Ng<br>" in body and "Struggled" in body
    assert as_json(manager_client, ada)["submitted"] == 2
    # Design (4 + 2) / 2 = 3 at 60, Talk 3 at 40.
    assert ada_row(manager_client) == ("2", "3.00", "1.00", "hire", "0")


def test_a_reopened_card_leaves_everywhere(manager_client, loop, recruiter):
    ada = loop["ada"]
    everything(manager_client, ada)
    loop["submitted"].reopen(recruiter, "Rate Talk again")
    body = page(manager_client, ada)
    assert "Drew the queues first" not in body and "No scorecard has been submitted yet" in body
    assert as_json(manager_client, ada)["submitted"] == 0
    assert ada_row(manager_client) == ("0", "", "0.00", "insufficient_evidence", "0")


def test_the_admin_changes_nothing_of_a_submitted_card_so_the_results_stay(client, loop):
    """A submitted card's rows are read-only in the admin, for administrators too
    (scorecards/admin.py): what the panel, its JSON and the CSV showed before it tried,
    they show after."""
    admin = factories.RecruiterFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    ada = loop["ada"]
    before = (as_json(client, ada), ada_row(client))
    rating = Rating.objects.get(scorecard=loop["submitted"], dimension=loop["design"])
    response = client.post(
        reverse("admin:scorecards_rating_change", args=[rating.pk]),
        {"scorecard": rating.scorecard_id, "dimension": rating.dimension_id, "score": 1},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:scorecards_signalcheck_add"),
        {"scorecard": loop["submitted"].pk, "signal": loop["red_flag"].pk, "note": "Seen"},
    )
    assert "Select a valid choice" in response.content.decode()  # a draft's only
    assert not SignalCheck.objects.exists()
    rating.refresh_from_db()
    assert rating.score == 4
    assert (as_json(client, ada), ada_row(client)) == before
    assert 'rating-1"' not in page(client, ada)


def test_an_interview_added_or_removed_shows_among_the_gaps(manager_client, loop):
    ada = loop["ada"]
    assert "Nora New" not in page(manager_client, ada)
    nora = factories.InterviewerFactory(first_name="Nora", last_name="New")
    nora.groups.add(Group.objects.get(name=INTERVIEWER))
    interview = factories.InterviewFactory(application=ada, stage=loop["pairing"], interviewer=nora)
    assert "Nora New" in page(manager_client, ada)
    interview.delete()
    assert "Nora New" not in page(manager_client, ada)


def test_a_decision_shows_at_once(manager_client, loop, hiring_manager):
    ada = loop["ada"]
    assert "No decision recorded yet" in page(manager_client, ada)
    ada.record_decision(Decision.Outcome.HOLD, "Waiting for the last card", by=hiring_manager)
    body = page(manager_client, ada)
    assert "Waiting for the last card" in body and "No decision recorded yet" not in body


def test_a_renamed_person_shows(manager_client, loop, hiring_manager):
    ada = loop["ada"]
    ada.record_decision(Decision.Outcome.HOLD, "Waiting", by=hiring_manager)
    page(manager_client, ada)
    ivy = loop["ivy"]
    ivy.last_name = "Ito-Park"
    ivy.save()
    hiring_manager.first_name, hiring_manager.last_name = "Hana", "Moro"
    hiring_manager.save()
    body = page(manager_client, ada)
    assert "Ivy Ito-Park<br>" in body and "<td>Hana Moro</td>" in body


def test_a_data_fix_to_the_frozen_revision_shows(manager_client, loop):
    ada = loop["ada"]
    assert "Design <span" in page(manager_client, ada)
    assert as_json(manager_client, ada)["recommendation"] == "insufficient_evidence"
    design = loop["design"]
    design.name = "Systems design"
    design.save()
    assert "Systems design <span" in page(manager_client, ada)
    revision = loop["revision"]
    revision.min_scorecards = 1
    revision.save()
    assert as_json(manager_client, ada)["recommendation"] == "hire"
    assert ada_row(manager_client)[3] == "hire"
    loop["pairing"].focus_dimensions.remove(design)
    assert "Dimensions no stage of the loop focuses on" not in page(manager_client, ada)
    loop["pairing"].focus_dimensions.set([loop["talk"]])
    assert "Talk" in page(manager_client, ada)


# --- the mechanism itself -----------------------------------------------------------


def test_entries_are_keyed_on_the_panel_version(loop):
    ada = Application.objects.get(pk=loop["ada"].pk)
    calls = []

    def compute(missing):
        calls.append([a.pk for a in missing])
        return {a.pk: f"v{a.panel_version}" for a in missing}

    assert results_cache.per_application("test", [ada], compute) == {
        ada.pk: f"v{ada.panel_version}"
    }
    assert results_cache.per_application("test", [ada], compute) == {
        ada.pk: f"v{ada.panel_version}"
    }
    assert calls == [[ada.pk]]
    loop["submitted"].reopen(factories.RecruiterFactory(), "Again")
    ada.refresh_from_db()
    results_cache.per_application("test", [ada], compute)
    assert calls == [[ada.pk], [ada.pk]]


def test_another_release_does_not_read_the_entries_of_this_one(loop, monkeypatch):
    """Two releases sharing one cache (the same memory, as with Redis): the new code
    computes afresh rather than read what the old one wrote."""
    ada = loop["ada"]
    old = LocMemCache("shared-release-test", {"KEY_PREFIX": "release-1"})
    new = LocMemCache("shared-release-test", {"KEY_PREFIX": "release-2"})
    computed = []

    def compute(missing):
        computed.append(len(computed))
        return {a.pk: len(computed) for a in missing}

    monkeypatch.setattr(results_cache, "cache", old)
    assert results_cache.per_application("test", [ada], compute) == {ada.pk: 1}
    assert results_cache.per_application("test", [ada], compute) == {ada.pk: 1}
    monkeypatch.setattr(results_cache, "cache", new)
    assert results_cache.per_application("test", [ada], compute) == {ada.pk: 2}
    old.clear()


def test_the_release_is_in_every_key(monkeypatch, tmp_path):
    assert settings.CACHES["default"]["KEY_PREFIX"] == settings.RELEASE
    monkeypatch.setenv("RELEASE", "2026.12.06-1")
    assert release.release() == "2026.12.06-1"
    monkeypatch.delenv("RELEASE")
    for folder in release.SOURCES:
        (tmp_path / folder).mkdir()
    (tmp_path / "hiring" / "models.py").write_text("A = 1\n")
    before = release.source_digest(tmp_path)
    assert release.source_digest(tmp_path) == before
    (tmp_path / "hiring" / "models.py").write_text("A = 2\n")
    assert release.source_digest(tmp_path) != before
