"""The pictures on their pages: calibration's dot plot and the pipeline's histogram, as
rendered (dots and bars counted, text alternatives present), only from results the
viewer may see, in a constant number of queries."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from hiring.models import Application
from hiring_site.access import INTERVIEWER
from scorecards.models import Scorecard
from tests import factories
from tests.scorecards.test_pipeline import add_application

pytestmark = pytest.mark.django_db


def plot_table(body) -> dict[str, list[str]]:
    """The dot plot's table: interviewer -> the cells of their row."""
    table = re.search(r'data-testid="calibration-plot-table">(.*?)</table>', body, re.S).group(1)
    return {
        name: re.findall(r"<td[^>]*>(.*?)</td>", cells)
        for name, cells in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', table, re.S)
    }


@pytest.fixture
def panels(client):
    """A manager who also interviews on one of their two applications (own card a draft).
    A: Xena 5, 5 (hidden from the manager). B: Xena 4, 4 and Yuri 2, 2."""
    manager = factories.HiringManagerFactory()
    manager.groups.add(Group.objects.get(name=INTERVIEWER))
    revision, dims = factories.revision_with_dimensions([50, 50])
    stage = factories.InterviewStageFactory(revision=revision, focus_dimensions=dims)
    xena = factories.InterviewerFactory(first_name="Xena", last_name="Xu")
    yuri = factories.InterviewerFactory(first_name="Yuri", last_name="Yo")
    a = factories.ApplicationFactory(revision=revision, hiring_manager=manager)
    b = factories.ApplicationFactory(revision=revision, hiring_manager=manager)

    def card(application, who, scores, status=Scorecard.Status.SUBMITTED):
        interview = factories.InterviewFactory(
            application=application, stage=stage, interviewer=who
        )
        return factories.scorecard_with_ratings(
            interview, dict(zip(dims, scores, strict=True)), status=status
        )

    card(a, xena, [5, 5])
    own = card(a, manager, [3, 3], status=Scorecard.Status.DRAFT)
    card(b, xena, [4, 4])
    card(b, yuri, [2, 2])
    client.force_login(manager)
    return client, own


def test_calibration_dot_plot_shows_each_interviewer_against_their_panels(panels):
    client, own = panels
    body = client.get(reverse("scorecards:calibration")).content.decode()
    # Blind to A: only B counts. Xena 4.00 against B's 3.00; Yuri 2.00 against 3.00.
    assert body.count('data-testid="dot-mean"') == 2
    assert body.count('data-testid="dot-panels"') == 2
    assert plot_table(body) == {
        "Xena Xu": ["2", "4.00", "± 0.00", "4–4", "1", "3.00"],
        "Yuri Yo": ["2", "2.00", "± 0.00", "2–2", "1", "3.00"],
    }
    assert "Xena Xu: own mean 4.00" in body and "panels they sat on, mean 3.00" in body
    # Text alternatives: the SVG is an image named by its title and description.
    svg = re.search(r"<svg[^>]*dot-plot-svg[^>]*>", body).group(0)
    assert 'role="img"' in svg
    assert 'aria-labelledby="calibration-plot-title calibration-plot-desc"' in svg
    assert (
        '<title id="calibration-plot-title">' in body
        and '<desc id="calibration-plot-desc">' in body
    )
    assert " style=" not in body  # the CSP allows no inline style

    # Once the manager's own card is in, A counts too, and the manager is a row.
    Scorecard.objects.filter(pk=own.pk).update(status=Scorecard.Status.SUBMITTED)
    body = client.get(reverse("scorecards:calibration")).content.decode()
    table = plot_table(body)
    assert body.count('data-testid="dot-mean"') == 3
    # Xena: 5, 5, 4, 4 -> 4.50 (std dev 0.50), on A (5, 5, 3, 3) and B (4, 4, 2, 2): 3.50.
    assert table["Xena Xu"] == ["4", "4.50", "± 0.50", "4–5", "2", "3.50"]


def test_calibration_without_ratings_draws_no_plot(recruiter_client):
    body = recruiter_client.get(reverse("scorecards:calibration")).content.decode()
    assert "No submitted scorecards yet." in body
    assert 'data-testid="calibration-plot"' not in body


@pytest.fixture
def pipeline(recruiter):
    """Four applications: scores 4.25, 2.50, 5.00, and one the recruiter interviews on
    with a draft (hidden from them), plus one without a submitted card."""
    revision, dims = factories.revision_with_dimensions(
        [50, 50], role__title="Data Engineer", role__slug="data-engineer"
    )
    add_application(revision, dims, "Alice Able", [[4, 4], [4, 5]])
    add_application(revision, dims, "Bob Baker", [[3, 3], [2, 2]])
    add_application(revision, dims, "Cleo Cole", [[5, 5]])
    hidden = add_application(revision, dims, "Hana Hidden", [[1, 1]])
    recruiter.groups.add(Group.objects.get(name=INTERVIEWER))
    factories.InterviewFactory(
        application=hidden, stage=hidden.interviews.first().stage, interviewer=recruiter
    )
    add_application(revision, dims, "Nell None", [])
    return revision, dims


def histogram_counts(body) -> list[str]:
    counts = re.search(r'data-testid="histogram-counts">(.*?)</ul>', body, re.S).group(1)
    return re.findall(r"<li>(.*?)</li>", counts)


@pytest.mark.parametrize("sort", ["-opened", "-score", "candidate"])
def test_pipeline_histogram_counts_every_visible_application_in_its_half_point(
    recruiter_client, pipeline, sort
):
    url = reverse("hiring:pipeline", args=["data-engineer"])
    body = recruiter_client.get(url, {"sort": sort}).content.decode()
    assert body.count('data-testid="histogram-bar"') == 3  # 2.50, 4.25, 5.00: three bins
    assert histogram_counts(body) == [
        "1.00–1.49: 0",  # Hana's 1.00 is hidden from this recruiter: not counted
        "1.50–1.99: 0",
        "2.00–2.49: 0",
        "2.50–2.99: 1",
        "3.00–3.49: 0",
        "3.50–3.99: 0",
        "4.00–4.49: 1",
        "4.50–5.00: 1",
    ]
    assert "3 scored, 1 without a score yet, 1 hidden until your own card is submitted" in body
    svg = re.search(r"<svg[^>]*histogram-svg[^>]*>", body).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="histogram-title histogram-desc"' in svg
    assert "4.00–4.49: 1 application</title>" in body
    assert " style=" not in body


def test_pipeline_histogram_follows_the_status_filter(recruiter_client, pipeline):
    url = reverse("hiring:pipeline", args=["data-engineer"])
    body = recruiter_client.get(url, {"status": "hired"}).content.decode()
    assert 'data-testid="histogram"' not in body  # nothing listed, nothing to count


def test_pipeline_histogram_reads_a_constant_number_of_queries(
    recruiter_client, django_assert_max_num_queries
):
    revision, dims = factories.revision_with_dimensions([50, 50], role__slug="data-engineer")
    add_application(revision, dims, "First", [[3, 4]])
    add_application(revision, dims, "Second", [[2, 2]])
    url = reverse("hiring:pipeline", args=["data-engineer"])
    recruiter_client.get(url)  # headlines stored
    with django_assert_max_num_queries(20) as small:
        recruiter_client.get(url)
    # Read now: the next request clears the connection's query log.
    queries = len(small.captured_queries)
    for n in range(30):
        add_application(revision, dims, f"More {n}", [[n % 5 + 1, 3]])
    recruiter_client.get(url)  # the new ones' headlines: the page's stored, then the rest
    with django_assert_max_num_queries(queries):
        body = recruiter_client.get(url).content.decode()
    assert "32 scored" in body
    # The database's counts are those of the scores computed one by one.
    by_score = recruiter_client.get(url, {"sort": "-score"}).content.decode()
    assert histogram_counts(body) == histogram_counts(by_score)


def test_pipeline_histogram_counts_stale_headlines_as_their_cards_say(recruiter_client, pipeline):
    """A card submitted since the headlines were stored: the histogram recomputes it."""
    revision, dims = pipeline
    url = reverse("hiring:pipeline", args=["data-engineer"])
    recruiter_client.get(url)
    nell = Application.objects.get(candidate__name="Nell None")
    interview = factories.InterviewFactory(application=nell, stage=revision.stages.first())
    factories.scorecard_with_ratings(interview, dict(zip(dims, [3, 3], strict=True)))
    body = recruiter_client.get(url, {"sort": "candidate"}).content.decode()
    assert "4 scored, 1 hidden" in body
    assert "3.00–3.49: 1" in histogram_counts(body)
