"""Validity: interview scores of hired people against their latest performance review,
checked against numpy; the blindness rule; the scatter plot; the JSON."""

from datetime import timedelta
from fractions import Fraction

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, PerformanceReview
from scorecards.models import Scorecard
from scorecards.validity import Scatter
from tests import factories

pytestmark = pytest.mark.django_db

# (Ivy's design, comms), (Ian's design, comms), older review, latest review
PEOPLE = [
    ((2, 3), (3, 3), 5, 2),
    ((4, 4), (5, 3), 1, 4),
    ((3, 3), (3, 2), 3, 3),
    ((5, 5), (4, 5), 2, 5),
    ((1, 2), (2, 2), 4, 1),
    ((4, 3), (3, 4), 3, 3),
]


@pytest.fixture
def role(hiring_manager):
    revision, (design, comms) = factories.revision_with_dimensions(
        [75, 25], names=["Design", "Comms"], role__title="Valid Role", role__slug="valid-role"
    )
    stage = factories.InterviewStageFactory(revision=revision, focus_dimensions=[design, comms])
    ivy = factories.InterviewerFactory(first_name="Ivy")
    ian = factories.InterviewerFactory(first_name="Ian")
    applications = []
    for ivy_scores, ian_scores, older, latest in PEOPLE:
        application = factories.ApplicationFactory(
            revision=revision, hiring_manager=hiring_manager, status=Application.Status.HIRED
        )
        for who, (d, c) in ((ivy, ivy_scores), (ian, ian_scores)):
            factories.scorecard_with_ratings(
                factories.InterviewFactory(application=application, stage=stage, interviewer=who),
                {design: d, comms: c},
            )
        today = timezone.localdate()
        for days_ago, rating in ((300, older), (10, latest)):
            PerformanceReview.objects.create(
                application=application,
                rating=rating,
                reviewed_on=today - timedelta(days=days_ago),
                recorded_by=hiring_manager,
            )
        applications.append(application)
    return revision.role, applications, stage


def expected():
    """By hand: panel mean per dimension, weighted 75/25; latest review."""
    design = [Fraction(a[0] + b[0], 2) for a, b, _, _ in PEOPLE]
    comms = [Fraction(a[1] + b[1], 2) for a, b, _, _ in PEOPLE]
    weighted = [d * Fraction(3, 4) + c * Fraction(1, 4) for d, c in zip(design, comms, strict=True)]
    latest = [p[3] for p in PEOPLE]
    return {
        name: np.corrcoef([float(v) for v in values], latest)[0, 1]
        for name, values in (("Weighted score", weighted), ("Design", design), ("Comms", comms))
    }


def test_validity_figures_match_numpy(recruiter_client, role):
    data = recruiter_client.get(reverse("scorecards:validity_json"), {"role": "valid-role"}).json()
    assert data["hired_with_review"] == 6
    by_name = {m["measure"]: m for m in data["measures"]}
    assert list(by_name) == ["Weighted score", "Design", "Comms"]
    for name, r in expected().items():
        assert by_name[name]["r"] == pytest.approx(r, abs=1e-6)
        assert by_name[name]["n"] == 6
        assert by_name[name]["too_few"] is True
        z, spread = np.arctanh(r), 1.959963984540054 / np.sqrt(3)
        assert by_name[name]["ci95_low"] == pytest.approx(np.tanh(z - spread), abs=1e-6)
        assert by_name[name]["ci95_high"] == pytest.approx(np.tanh(z + spread), abs=1e-6)
    assert "restriction of range" in data["note"]


def test_validity_page_shows_figures_plots_and_the_caveats(manager_client, role):
    body = manager_client.get(reverse("scorecards:validity"), {"role": "valid-role"}).content
    body = body.decode()
    assert "6 hired people with a review." in body
    assert "Too few reviews to conclude" in body
    assert "restriction of range" in body
    assert body.count('data-testid="scatter"') == 3
    # Six people, two of whom share a point on Design? Every dot's title counts people.
    assert body.count("<circle") >= 3
    r = expected()["Weighted score"]
    assert f"{r:.2f}" in body


def test_only_latest_review_counts_and_people_without_one_are_left_out(recruiter_client, role):
    _, applications, _ = role
    PerformanceReview.objects.filter(application=applications[0]).delete()
    data = recruiter_client.get(reverse("scorecards:validity_json"), {"role": "valid-role"}).json()
    assert data["hired_with_review"] == 5
    assert {m["n"] for m in data["measures"]} == {5}


def test_blindness_and_scope(client, role, hiring_manager):
    _, applications, stage = role
    # The hiring manager also interviews the first hire and has not submitted: that
    # person's scores leave the figures for them.
    interview = factories.InterviewFactory(
        application=applications[0], stage=stage, interviewer=hiring_manager
    )
    factories.scorecard_with_ratings(interview, {}, status=Scorecard.Status.DRAFT)
    client.force_login(hiring_manager)
    data = client.get(reverse("scorecards:validity_json"), {"role": "valid-role"}).json()
    assert data["hired_with_review"] == 5
    # Another hiring manager has no hires on this role.
    client.force_login(factories.HiringManagerFactory())
    response = client.get(reverse("scorecards:validity_json"), {"role": "valid-role"})
    assert response.status_code == 404
    body = client.get(reverse("scorecards:validity")).content.decode()
    assert "Nobody has been hired yet" in body
    assert client.get(reverse("scorecards:validity"), {"role": "valid-role"}).status_code == 400


def test_no_reviews_yet(recruiter_client, role):
    PerformanceReview.objects.all().delete()
    body = recruiter_client.get(reverse("scorecards:validity"), {"role": "valid-role"})
    assert "has a performance review yet" in body.content.decode()
    data = recruiter_client.get(reverse("scorecards:validity_json"), {"role": "valid-role"})
    assert data.json()["measures"] == []


def test_scatter_geometry():
    chart = Scatter.build([(Fraction(1), 1), (Fraction(5), 5), (Fraction(5), 5)])
    low, high = chart.dots
    assert (low.x, low.y, low.count) == (Scatter.LEFT, Scatter.BOTTOM, 1)
    assert (high.x, high.y, high.count) == (Scatter.RIGHT, Scatter.TOP, 2)
    assert high.r > low.r
    assert [t[0] for t in chart.ticks] == [1, 2, 3, 4, 5]


def test_validity_queries_do_not_grow(recruiter_client, role, django_assert_max_num_queries):
    url = reverse("scorecards:validity") + "?role=valid-role"
    recruiter_client.get(url)  # headlines stored
    with django_assert_max_num_queries(12) as small:
        recruiter_client.get(url)
    queries = len(small.captured_queries)  # read now: it is a view of the query log
    _, applications, stage = role
    for _ in range(8):
        application = factories.ApplicationFactory(
            revision=applications[0].revision, status=Application.Status.HIRED
        )
        factories.scorecard_with_ratings(
            factories.InterviewFactory(application=application, stage=stage), {}
        )
        PerformanceReview.objects.create(
            application=application,
            rating=3,
            reviewed_on=timezone.localdate(),
            recorded_by=application.hiring_manager,
        )
    recruiter_client.get(url)
    with django_assert_max_num_queries(queries):
        body = recruiter_client.get(url).content.decode()
    assert "14 hired people with a review." in body
