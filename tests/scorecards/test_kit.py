"""The interview kit (scorecards/kit.py): its page and PDF hold the stage brief, the
exercise's prompt, must-cover and look-for items, each focus dimension's five anchors
and the signals; under blind review an interviewer's kit names the candidate by code.
Who may open it is the access matrix's (tests/test_access_matrix.py); here the links to
it, and that drawing the PDF fetches nothing but the app's static files."""

import io
import socket

import pytest
from django.urls import reverse
from pypdf import PdfReader

from roles.models import RoleRevision
from scorecards import pdf
from tests import factories
from tests.scorecards.builders import build_loop

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces (a PDF wraps lines)."""
    return " ".join(text.split())


@pytest.fixture
def loop():
    return build_loop(factories.InterviewerFactory())


def kit_pdf(client, interview):
    response = client.get(reverse("scorecards:kit_pdf", args=[interview.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="interview-kit-{interview.pk}.pdf"'
    )
    return flat(pdf_text(response.content))


def test_the_pdf_holds_the_brief_the_anchors_and_the_signals(client, loop):
    client.force_login(loop.interview.interviewer)
    text = kit_pdf(client, loop.interview)
    stage, exercise = loop.interview.stage, loop.interview.stage.exercise
    assert f"Interview kit: {stage.name}" in text
    assert f"Exercise: {exercise.title}" in text
    assert flat(exercise.prompt) in text
    for item in [*exercise.must_cover, *exercise.look_for]:
        assert item in text
    focus = list(stage.focus_dimensions.order_by("order"))
    assert focus
    for dimension in focus:
        assert dimension.name in text
        for level, label, anchor in dimension.anchor_list():
            assert f"{level} · {label}" in text
            assert flat(anchor) in text
    # The dimensions of other stages are not in this stage's kit.
    others = loop.revision.dimensions.exclude(pk__in=[d.pk for d in focus])
    for dimension in others:
        assert f"Evidence for {dimension.name}" not in text
    for signal in [*loop.strong, *loop.red]:
        assert signal.text in text
    assert loop.application.candidate.name in text  # not blind: the name
    assert "Notes" in text


def test_the_pdf_shows_the_anchor_texts_the_dimension_has_today(client, loop):
    dimension = loop.interview.stage.focus_dimensions.order_by("order").first()
    dimension.anchors = [f"Level {n} in words of its own" for n in range(1, 6)]
    dimension.save()
    client.force_login(loop.interview.interviewer)
    text = kit_pdf(client, loop.interview)
    for n in range(1, 6):
        assert f"Level {n} in words of its own" in text


def test_in_blind_review_the_pdf_shows_the_code_not_the_name(client, loop):
    RoleRevision.objects.filter(pk=loop.revision.pk).update(blind_review=True)
    candidate, code = loop.application.candidate, loop.application.candidate_code
    client.force_login(loop.interview.interviewer)
    text = kit_pdf(client, loop.interview)
    assert f"Candidate {code}" in text
    assert candidate.name not in text and candidate.email not in text
    page = client.get(reverse("scorecards:kit", args=[loop.interview.pk])).content.decode()
    assert f"<title>Interview kit: {code}," in page
    assert candidate.name not in page and candidate.email not in page
    # The hiring manager of the application reads the name on the same kit.
    client.force_login(loop.application.hiring_manager)
    assert candidate.name in kit_pdf(client, loop.interview)


def test_the_print_page_uses_a_static_stylesheet_and_links_the_pdf(client, loop):
    client.force_login(loop.interview.interviewer)
    page = client.get(reverse("scorecards:kit", args=[loop.interview.pk])).content.decode()
    assert "/static/css/kit.css" in page
    assert reverse("scorecards:kit_pdf", args=[loop.interview.pk]) in page
    assert "<style" not in page and " style=" not in page


def test_the_scorecard_pages_that_my_interviews_opens_link_the_kit(client, loop):
    """My interviews has one action a row (fill in, continue, view); the page it opens,
    the scorecard or the read-only card, links the interview's kit."""
    kit_url = reverse("scorecards:kit", args=[loop.interview.pk])
    fill_url = reverse("scorecards:fill", args=[loop.interview.pk])
    client.force_login(loop.interview.interviewer)
    assert fill_url in client.get(reverse("hiring:my_interviews")).content.decode()
    assert kit_url in client.get(fill_url).content.decode()
    card = factories.scorecard_with_ratings(
        loop.interview, {d: 3 for d in loop.dimensions[:2]}, evidence="Clear trade-offs"
    )
    detail = reverse("scorecards:detail", args=[card.pk])
    assert detail in client.get(reverse("hiring:my_interviews")).content.decode()  # Done
    assert kit_url in client.get(detail).content.decode()
    # Another interviewer of the application reads the card, but may not open this kit.
    other = factories.scorecard_with_ratings(loop.other_interview, {loop.dimensions[2]: 4})
    client.force_login(loop.other_interview.interviewer)
    page = client.get(detail).content.decode()
    assert other.pk and "Clear trade-offs" in page and kit_url not in page
    assert client.get(kit_url).status_code == 404


def test_drawing_the_pdf_opens_no_connection(monkeypatch):
    """Images, stylesheets and fonts from elsewhere (another host, the disk, a path out
    of the static files) are refused; the app's stylesheet is served from its files."""
    connections = []

    def refuse(self, address):
        connections.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    served = []
    fetcher = pdf.StaticFilesOnly()
    original = fetcher.fetch

    def recording(url, headers=None):
        response = original(url, headers)  # ValueError for a refused URL
        served.append(url)
        return response

    monkeypatch.setattr(fetcher, "fetch", recording)
    html = """<!doctype html><html><head>
      <link rel="stylesheet" href="/static/css/kit.css">
      <link rel="stylesheet" href="https://example.com/x.css">
      <link rel="stylesheet" href="file:///etc/passwd">
      </head><body><p>Kit</p>
      <img src="http://127.0.0.1:9/x.png"><img src="/static/../pyproject.toml">
      <img src="/etc/passwd"></body></html>"""
    from weasyprint import HTML

    drawn = HTML(string=html, base_url=pdf.PDF_BASE_URL, url_fetcher=fetcher).write_pdf()
    assert drawn.startswith(b"%PDF")
    assert connections == []
    assert served == [pdf.PDF_BASE_URL + "static/css/kit.css"]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/static/css/kit.css",
        "http://scorecards.invalid/static/css/kit.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        pdf.PDF_BASE_URL + "etc/passwd",
        pdf.PDF_BASE_URL + "static/../pyproject.toml",
        pdf.PDF_BASE_URL + "static/%2e%2e/pyproject.toml",
        pdf.PDF_BASE_URL + "static//etc/passwd",
        pdf.PDF_BASE_URL + "static/css/none.css",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(ValueError):
        pdf.StaticFilesOnly().fetch(url)


def test_the_fetcher_serves_a_static_file():
    response = pdf.StaticFilesOnly().fetch(pdf.PDF_BASE_URL + "static/css/kit.css")
    assert response.content_type == "text/css"
    assert b".kit-checklist" in response.read()
