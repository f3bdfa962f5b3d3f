"""A role's pipeline page and its CSV export: content, sorting, scope, queries."""

import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from hiring.models import Application
from roles.models import Signal
from scorecards.models import Scorecard
from tests import factories

pytestmark = pytest.mark.django_db


def add_application(revision, dims, name, scores_per_card, *, hiring_manager=None, flag=False):
    """An application of `revision` with one submitted card per entry of scores_per_card."""
    application = factories.ApplicationFactory(
        revision=revision,
        candidate__name=name,
        **({"hiring_manager": hiring_manager} if hiring_manager else {}),
    )
    stage = factories.InterviewStageFactory(revision=revision, focus_dimensions=dims)
    for n, scores in enumerate(scores_per_card):
        signals = []
        if flag and n == 0:
            signals = [
                factories.SignalFactory(revision=revision, kind=Signal.Kind.RED_FLAG, text="Lied")
            ]
        factories.scorecard_with_ratings(
            factories.InterviewFactory(application=application, stage=stage),
            dict(zip(dims, scores, strict=True)),
            signals=signals,
        )
    # A draft never counts towards "submitted cards".
    factories.scorecard_with_ratings(
        factories.InterviewFactory(application=application, stage=stage),
        dict(zip(dims, [1] * len(dims), strict=True)),
        status=Scorecard.Status.DRAFT,
    )
    return application


@pytest.fixture
def role(hiring_manager):
    revision, dims = factories.revision_with_dimensions(
        [50, 50], role__title="Data Engineer", role__slug="data-engineer"
    )
    add_application(revision, dims, "Alice Able", [[4, 4], [4, 5]], hiring_manager=hiring_manager)
    add_application(revision, dims, "Bob Baker", [[3, 3], [2, 3]], flag=True)
    add_application(revision, dims, "Cleo Cole", [[5, 5]], hiring_manager=hiring_manager)
    # Another role's application never shows here.
    other, other_dims = factories.revision_with_dimensions([100])
    add_application(other, other_dims, "Zed Other", [[5], [5]])
    return revision.role


def rows(body):
    table = body.split('data-testid="pipeline"')[1].split("</table>")[0]
    return [tr for tr in table.split("<tbody>")[1].split("<tr>")[1:]]


def names(body):
    found = []
    for row in rows(body):
        for name in ("Alice Able", "Bob Baker", "Cleo Cole", "Zed Other"):
            if name in row:
                found.append(name)
    return found


def test_recruiter_sees_every_application_of_the_role_with_its_scoring(recruiter_client, role):
    body = recruiter_client.get(reverse("hiring:pipeline", args=[role.slug])).content.decode()
    assert sorted(names(body)) == ["Alice Able", "Bob Baker", "Cleo Cole"]
    alice, bob, cleo = (
        next(r for r in rows(body) if name in r)
        for name in ("Alice Able", "Bob Baker", "Cleo Cole")
    )
    # Alice: means 4 and 4.5, weighted 4.25, two cards: strong hire.
    assert '<td class="text-end">2</td>' in alice and "4.25" in alice and "Strong hire" in alice
    # Bob: means 2.5 and 3, weighted 2.75 no hire, one red flag.
    assert "2.75" in bob and "No hire" in bob and "1 red flag" in bob
    # Cleo: one card of two needed.
    assert '<td class="text-end">1</td>' in cleo and "Insufficient evidence" in cleo
    assert (
        reverse("hiring:panel", args=[Application.objects.get(candidate__name="Bob Baker").pk])
        in bob
    )


def test_hiring_manager_sees_only_their_own_applications(manager_client, role):
    body = manager_client.get(reverse("hiring:pipeline", args=[role.slug])).content.decode()
    assert sorted(names(body)) == ["Alice Able", "Cleo Cole"]
    assert "only those you manage" in body


def test_sorting_by_computed_columns_both_ways(recruiter_client, role):
    url = reverse("hiring:pipeline", args=[role.slug])
    assert names(recruiter_client.get(url, {"sort": "-score"}).content.decode()) == [
        "Cleo Cole",  # 5.00
        "Alice Able",  # 4.25
        "Bob Baker",  # 2.75
    ]
    assert names(recruiter_client.get(url, {"sort": "score"}).content.decode()) == [
        "Bob Baker",
        "Alice Able",
        "Cleo Cole",
    ]
    by_rec = names(recruiter_client.get(url, {"sort": "recommendation"}).content.decode())
    assert by_rec == ["Alice Able", "Bob Baker", "Cleo Cole"]  # strong hire, no hire, insufficient
    by_flags = names(recruiter_client.get(url, {"sort": "-red_flags"}).content.decode())
    assert by_flags[0] == "Bob Baker"
    by_name = names(recruiter_client.get(url, {"sort": "-candidate"}).content.decode())
    assert by_name == ["Cleo Cole", "Bob Baker", "Alice Able"]
    by_cards = names(recruiter_client.get(url, {"sort": "submitted"}).content.decode())
    assert by_cards[0] == "Cleo Cole"


def test_sort_links_flip_direction_and_an_unknown_sort_is_refused(recruiter_client, role):
    url = reverse("hiring:pipeline", args=[role.slug])
    body = recruiter_client.get(url, {"sort": "-score"}).content.decode()
    assert 'aria-sort="descending"' in body and "?sort=score" in body
    body = recruiter_client.get(url, {"sort": ""}).content.decode()
    assert 'aria-sort="descending"' in body  # the default: newest first
    assert len(names(body)) == 3
    refused = recruiter_client.get(url, {"sort": "drop table"})
    assert refused.status_code == 400
    assert "“drop table” is not a column to sort by" in refused.content.decode()


def test_unscored_applications_sort_last_in_both_directions(recruiter_client, role):
    revision = role.revisions.get()
    factories.ApplicationFactory(revision=revision, candidate__name="Dan Nocards")
    url = reverse("hiring:pipeline", args=[role.slug])
    for sort in ("score", "-score"):
        body = recruiter_client.get(url, {"sort": sort}).content.decode()
        assert "Dan Nocards" in rows(body)[-1]


def test_status_filter(recruiter_client, role):
    Application.objects.filter(candidate__name="Bob Baker").update(
        status=Application.Status.REJECTED
    )
    url = reverse("hiring:pipeline", args=[role.slug])
    assert names(recruiter_client.get(url, {"status": "rejected"}).content.decode()) == [
        "Bob Baker"
    ]
    assert len(names(recruiter_client.get(url, {"status": ""}).content.decode())) == 3
    refused = recruiter_client.get(url, {"status": "nonsense"})
    assert refused.status_code == 400
    assert "“nonsense” is not a status: use one of active, hired" in refused.content.decode()


def test_pipeline_paginates_and_keeps_the_sort(recruiter_client):
    revision, dims = factories.revision_with_dimensions([100])
    for n in range(27):
        factories.ApplicationFactory(revision=revision, candidate__name=f"Person {n:02d}")
    url = reverse("hiring:pipeline", args=[revision.role.slug])
    body = recruiter_client.get(url, {"sort": "candidate", "page": 2}).content.decode()
    assert "Page 2 of 2" in body
    assert len(rows(body)) == 2 and "Person 25" in body and "Person 26" in body
    assert "?sort=candidate&amp;page=1" in body


def test_pipeline_queries_do_not_grow_with_applications(
    recruiter_client, django_assert_max_num_queries
):
    revision, dims = factories.revision_with_dimensions([30, 30, 40])
    for n in range(2):
        add_application(revision, dims, f"Small {n}", [[3, 4, 5], [4, 4, 4]], flag=True)
    url = reverse("hiring:pipeline", args=[revision.role.slug])
    # Headlines computed and stored: the session, user and groups, the role, the
    # histogram's count, the out-of-date applications, their revisions' scoring settings
    # and their cards (3), the write (in a test's transaction, a savepoint, the insert,
    # its release), then the page's ids and its rows.
    with django_assert_max_num_queries(15) as small:
        recruiter_client.get(url, {"sort": "-score"})
    other_revision, other_dims = factories.revision_with_dimensions([50, 50], role=revision.role)
    for n in range(12):
        add_application(
            other_revision, other_dims, f"Large {n}", [[3, 4], [4, 4], [5, 5]], flag=True
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = recruiter_client.get(url, {"sort": "-score"}).content.decode()
    assert len(rows(body)) == 14
    # Stored now: the next view writes nothing; it reads the histogram's counts (the
    # list's length with them), the page's ids (sorted by the database) and their rows,
    # besides the session, user, groups and the role.
    with django_assert_max_num_queries(7) as stored:
        again = recruiter_client.get(url, {"sort": "-score"}).content.decode()
    assert rows(again) == rows(body)
    assert not [q for q in stored.captured_queries if "INSERT" in q["sql"]]


def test_csv_export_has_the_same_rows(recruiter_client, role):
    response = recruiter_client.get(reverse("hiring:export", args=[role.slug]), {"sort": "-score"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="data-engineer-pipeline-'
    )
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["candidate"] for r in table] == ["Cleo Cole", "Alice Able", "Bob Baker"]
    bob = table[2]
    assert (bob["submitted_scorecards"], bob["weighted_score"], bob["coverage"]) == (
        "2",
        "2.75",
        "1.00",
    )
    assert (bob["recommendation"], bob["red_flags"], bob["status"]) == ("no_hire", "1", "active")


def test_csv_export_is_scoped_and_neutralises_formulas(client, role, hiring_manager):
    Application.objects.filter(candidate__name="Alice Able").update(
        candidate=factories.CandidateFactory(name='=HYPERLINK("http://x")')
    )
    client.force_login(hiring_manager)
    response = client.get(reverse("hiring:export", args=[role.slug]))
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(r["candidate"] for r in table) == ['\'=HYPERLINK("http://x")', "Cleo Cole"]


@pytest.mark.parametrize("url_name", ["hiring:pipeline", "hiring:export"])
def test_pipeline_access(client, role, url_name):
    url = reverse(url_name, args=[role.slug])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for user in (factories.InterviewerFactory(), factories.UserFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(factories.RecruiterFactory())
    assert client.get(reverse(url_name, args=["no-such-role"])).status_code == 404
    assert client.post(url).status_code == 405
    # A hiring manager with no application for the role sees an empty pipeline.
    client.force_login(factories.HiringManagerFactory())
    response = client.get(url)
    assert response.status_code == 200
    assert "Alice Able" not in response.content.decode()


def rows_against_panels(client, slug):
    """Each CSV row of the role beside its application's panel JSON, cache emptied first:
    the CSV is scored from the database's aggregates, the panel from the cards."""
    cache.clear()
    table = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("hiring:export", args=[slug])).content.decode())
        )
    )
    return [
        (row, client.get(reverse("hiring:panel_json", args=[row["application"]])).json())
        for row in table
    ]


@pytest.mark.parametrize("policy", ["veto", "warn"])
def test_each_csv_row_says_what_the_panel_of_its_application_says(recruiter_client, policy):
    """One scoring engine: the pipeline's headline is the panel's own verdict (DESIGN.md,
    "Scoring rules"), whatever gates fire: drafts, reopened cards, red flags under either
    policy, a minimum, too few cards, low coverage, nothing rated."""
    revision, dims = factories.revision_with_dimensions(
        [30, 30, 40], min_scores={1: 3}, role__slug="engine", red_flag_policy=policy
    )
    add_application(revision, dims, "Ann", [[4, 4, 5], [5, 4, 4]])
    add_application(revision, dims, "Ben", [[3, 3, 3], [2, 4, 3]], flag=True)
    add_application(revision, dims, "Cai", [[5, 2, 5], [4, 2, 5]])  # below the minimum
    add_application(revision, dims, "Dee", [[4, 4, 4]])  # one card
    add_application(revision, dims, "Eve", [[5, None, None], [4, None, None]])  # coverage 0.3
    add_application(revision, dims, "Fay", [[None, None, None], [None, None, None]])  # nothing
    add_application(revision, dims, "Gus", [])  # no card at all, only a draft
    # A reopened card is a draft again: its ratings and its red flag stop counting.
    hal = add_application(revision, dims, "Hal", [[1, 1, 1], [5, 5, 5], [4, 4, 4]], flag=True)
    reopened = Scorecard.objects.get(interview__application=hal, signal_checks__isnull=False)
    assert reopened.reopen(by=factories.RecruiterFactory(), reason="Wrong candidate")
    # A red flag of another revision (a data error) counts nowhere.
    ivy = add_application(revision, dims, "Ivy", [[3, 3, 3], [3, 3, 3]])
    factories.SignalCheckFactory(
        scorecard=Scorecard.objects.filter(interview__application=ivy).first(),
        signal=factories.SignalFactory(kind=Signal.Kind.RED_FLAG),
    )

    pairs = rows_against_panels(recruiter_client, "engine")
    assert len(pairs) == 9
    for row, panel in pairs:
        assert row["submitted_scorecards"] == str(panel["submitted"])
        assert row["weighted_score"] == (panel["weighted_score"] or "")
        assert row["coverage"] == panel["coverage"]
        assert row["recommendation"] == panel["recommendation"]
        assert row["red_flags"] == str(len(panel["red_flags"]))
    table = {row["candidate"]: row for row, _ in pairs}
    assert {name: row["recommendation"] for name, row in table.items()} == {
        "Ann": "strong_hire",
        "Ben": "no_hire" if policy == "veto" else "hire",
        "Cai": "no_hire",
        "Dee": "insufficient_evidence",
        "Eve": "insufficient_evidence",
        "Fay": "insufficient_evidence",
        "Gus": "insufficient_evidence",
        "Hal": "strong_hire",
        "Ivy": "hire",
    }
    assert (table["Hal"]["submitted_scorecards"], table["Hal"]["red_flags"]) == ("2", "0")
    assert (table["Eve"]["weighted_score"], table["Eve"]["coverage"]) == ("4.50", "0.30")
    assert (table["Fay"]["weighted_score"], table["Fay"]["coverage"]) == ("", "0.00")
    assert (table["Ivy"]["red_flags"], table["Gus"]["submitted_scorecards"]) == ("0", "0")


# --- the decision column and its marker --------------------------------------------------


def decide(name, outcome, by=None):
    application = Application.objects.get(candidate__name=name)
    application.record_decision(outcome, "Decided in a test.", by=by or application.hiring_manager)
    return application


def test_decision_column_marks_a_decision_against_the_recommendation(recruiter_client, role):
    # Alice: strong hire, decided no hire (against); Bob: no hire, hired (against, and a
    # red flag); Cleo: insufficient evidence, on hold (a hold is never against).
    decide("Alice Able", "no_hire")
    decide("Bob Baker", "no_hire")
    decide("Bob Baker", "hire")  # the newest decision counts
    decide("Cleo Cole", "hold")
    body = recruiter_client.get(reverse("hiring:pipeline", args=[role.slug])).content.decode()
    alice, bob, cleo = (
        next(r for r in rows(body) if name in r)
        for name in ("Alice Able", "Bob Baker", "Cleo Cole")
    )
    assert "<th" in body and ">Decision" in body
    assert "No hire" in alice.split('data-testid="decision"')[1]
    assert "against the recommendation" in alice and "against the recommendation" in bob
    assert "Hire" in bob.split('data-testid="decision"')[1].split("</td>")[0]
    assert "Hold" in cleo and "against the recommendation" not in cleo


def test_an_undecided_or_agreeing_row_has_no_marker(recruiter_client, role):
    decide("Bob Baker", "no_hire")  # no hire, as recommended
    body = recruiter_client.get(reverse("hiring:pipeline", args=[role.slug])).content.decode()
    bob, alice = (next(r for r in rows(body) if name in r) for name in ("Bob Baker", "Alice Able"))
    assert "No hire" in bob.split('data-testid="decision"')[1]
    assert 'data-testid="against-recommendation"' not in body
    assert "–" in alice.split('data-testid="decision"')[1].split("</td>")[0]


def test_csv_has_the_decision_and_whether_it_went_against_the_recommendation(
    recruiter_client, role
):
    decide("Alice Able", "no_hire")
    decide("Bob Baker", "no_hire")
    response = recruiter_client.get(reverse("hiring:export", args=[role.slug]))
    table = {r["candidate"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert (table["Alice Able"]["decision"], table["Alice Able"]["against_recommendation"]) == (
        "no_hire",
        "yes",
    )
    assert (table["Bob Baker"]["decision"], table["Bob Baker"]["against_recommendation"]) == (
        "no_hire",
        "no",
    )
    assert (table["Cleo Cole"]["decision"], table["Cleo Cole"]["against_recommendation"]) == (
        "",
        "",
    )


def test_sorting_by_decision(recruiter_client, role):
    decide("Alice Able", "no_hire")
    decide("Bob Baker", "hire")
    url = reverse("hiring:pipeline", args=[role.slug])
    assert names(recruiter_client.get(url, {"sort": "decision"}).content.decode()) == [
        "Bob Baker",
        "Alice Able",
        "Cleo Cole",  # undecided: last either way
    ]
    assert names(recruiter_client.get(url, {"sort": "-decision"}).content.decode()) == [
        "Alice Able",
        "Bob Baker",
        "Cleo Cole",
    ]


def test_a_row_hidden_from_the_viewer_shows_its_decision_but_no_marker(client, role):
    """A recruiter who interviews Alice with a card still a draft: the marker would tell
    that the panel recommends otherwise, so neither the page nor the CSV says it."""
    alice = decide("Alice Able", "no_hire")
    recruiter = factories.RecruiterFactory()
    recruiter.groups.add(*factories.InterviewerFactory().groups.all())
    factories.InterviewFactory(
        application=alice, stage=alice.interviews.first().stage, interviewer=recruiter
    )
    client.force_login(recruiter)
    body = client.get(reverse("hiring:pipeline", args=[role.slug])).content.decode()
    row = next(r for r in rows(body) if "Alice" in r)
    assert "hidden until your own card is submitted" in row
    assert "No hire" in row.split('data-testid="decision"')[1]
    assert "against the recommendation" not in row
    response = client.get(reverse("hiring:export", args=[role.slug]))
    table = {r["candidate"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert table["Alice Able"]["decision"] == "no_hire"
    assert table["Alice Able"]["against_recommendation"] == ""


@pytest.mark.parametrize("sort", ["-opened", "decision", "-score"])
def test_pipeline_with_decisions_keeps_constant_queries(
    recruiter_client, django_assert_max_num_queries, sort
):
    revision, dims = factories.revision_with_dimensions([50, 50])
    url = reverse("hiring:pipeline", args=[revision.role.slug])

    def add(n, prefix):
        for i in range(n):
            application = add_application(revision, dims, f"{prefix} {i}", [[4, 4], [5, 4]])
            application.record_decision("no_hire", "Test.", by=application.hiring_manager)

    add(2, "Small")
    recruiter_client.get(url, {"sort": sort})  # headlines stored
    # Emptied: once it holds its most, the log's indices no longer count new queries.
    connection.queries_log.clear()
    with django_assert_max_num_queries(8) as small:
        recruiter_client.get(url, {"sort": sort})
    most = len(small.captured_queries)
    add(10, "Large")
    recruiter_client.get(url, {"sort": sort})
    connection.queries_log.clear()
    with django_assert_max_num_queries(most):
        body = recruiter_client.get(url, {"sort": sort}).content.decode()
    assert len(rows(body)) == 12
    assert body.count('data-testid="against-recommendation"') == 12


@pytest.mark.parametrize("sort", ["score", "-score", "red_flags", "-submitted", "recommendation"])
def test_ties_list_the_newest_first_whatever_the_direction_and_page_and_csv_agree(
    recruiter_client, sort
):
    """The database sorts: equal values list the newest application first both ways, a
    headline out of date is stored again before the list is sorted by it, and the CSV
    lists the rows in the page's order."""
    revision, dims = factories.revision_with_dimensions([50, 50])
    for name in ("Alice Able", "Bob Baker", "Cleo Cole"):  # the same cards: ties
        add_application(revision, dims, name, [[4, 4]])
    zed = add_application(revision, dims, "Zed Other", [[2, 2]], flag=True)
    # Zed's stored headline goes out of date: a better card since.
    url = reverse("hiring:pipeline", args=[revision.role.slug])
    recruiter_client.get(url, {"sort": sort})
    stage = factories.InterviewStageFactory(revision=revision, focus_dimensions=dims)
    factories.scorecard_with_ratings(
        factories.InterviewFactory(application=zed, stage=stage), {d: 5 for d in dims}
    )
    order = names(recruiter_client.get(url, {"sort": sort}).content.decode())
    tied = ["Cleo Cole", "Bob Baker", "Alice Able"]  # newest first
    assert [n for n in order if n != "Zed Other"] == tied
    # Zed: two cards now (one more than the others), mean 3.5, one red flag: no hire,
    # which ranks before the others' "not enough evidence yet" (one card each).
    expected_zed = {"score": 0, "-score": 3, "red_flags": 3, "-submitted": 0, "recommendation": 0}[
        sort
    ]
    assert order.index("Zed Other") == expected_zed, order
    export = recruiter_client.get(
        reverse("hiring:export", args=[revision.role.slug]), {"sort": sort}
    )
    table = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [row["candidate"] for row in table] == order
