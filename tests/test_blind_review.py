"""Blind review (hiring.blind): on a revision with `blind_review`, an interviewer sees
the candidate code, never the name, email or source, on every page they can reach (the
URL list of the access matrix, walked with its own answers), in the interview kit's PDF
and in the reminder email; recruiters and the application's hiring manager, also when
that manager interviews the candidate, see the name."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from hiring import blind
from hiring.models import Application, Interview
from hiring_site.access import INTERVIEWER
from roles.models import RoleRevision
from tests import factories
from tests.scorecards.builders import build_loop
from tests.test_access_matrix import (
    CANDIDATE_EMAIL,
    CANDIDATE_NAME,
    CANDIDATE_SOURCE,
    OK,
    TABLE,
    build_scenario,
    project_urls,
)

pytestmark = pytest.mark.django_db

SECRETS = (CANDIDATE_NAME, CANDIDATE_EMAIL, CANDIDATE_SOURCE)
# A candidate's fields read directly in a template, instead of through candidate_label.
DIRECT = ("candidate.name", "candidate.email", "candidate.source", ".candidate }}")
INTERVIEWERS = ("interviewer_draft", "interviewer_submitted")


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def body_of(response) -> str:
    if response["Content-Type"].startswith("application/pdf"):
        return pdf_text(response.content)
    return response.content.decode()


def pages_for(who: str):
    """(URL name, table row) of every page the access table answers `who` 200 on GET."""
    for name, _route in project_urls():
        for page_ in TABLE[name]:
            answer = page_.answers[who]
            answer = answer.get("get", answer.get("*")) if isinstance(answer, dict) else answer
            if "get" in page_.methods and answer == OK:
                yield name, page_


@pytest.mark.parametrize("who", INTERVIEWERS)
def test_an_interviewer_on_a_blind_role_never_sees_the_name_email_or_source(client, who):
    scenario = build_scenario(blind_review=True)
    code = scenario.objects["application"].candidate_code
    client.force_login(scenario.users[who])
    seen, failures, templates = [], [], set()
    for name, page_ in pages_for(who):
        url = scenario.page_url(name, page_)
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        body = body_of(response)
        seen.append(name)
        templates.update(t.origin.name for t in response.templates if t.origin.name)
        failures += [f"{name} ({url}) shows {s!r}" for s in SECRETS if s in body]
        if name in ("hiring:my_interviews", "scorecards:kit", "scorecards:kit_pdf"):
            if code not in body:
                failures.append(f"{name} ({url}) does not name the candidate by {code}")
    # The interviewer's own pages are among those walked.
    assert {"hiring:my_interviews", "scorecards:kit", "scorecards:kit_pdf"} <= set(seen)
    assert ("scorecards:fill" in seen) or ("scorecards:detail" in seen)
    # Every template those pages render names the candidate through the rule (the
    # candidate_label filter), never by a field of the candidate: a page added later
    # cannot show the name by another way round.
    for path in sorted(templates):
        source = Path(path).read_text(encoding="utf-8")
        for field in DIRECT:
            if field in source:
                failures.append(f"{path} shows {field} without candidate_label")
    assert not failures, "\n".join(failures)


def test_the_fill_page_the_card_and_the_next_card_link_carry_the_code(client):
    scenario = build_scenario(blind_review=True)
    application = scenario.objects["application"]
    code = application.candidate_code
    interviewer = scenario.users["interviewer_submitted"]
    # Another interview of theirs, still to do: the next-card link names it.
    factories.InterviewFactory(
        application=application,
        stage=scenario.objects["interview_a"].stage,
        interviewer=interviewer,
    )
    client.force_login(interviewer)
    card = client.get(f"/scorecards/{scenario.objects['card_b'].pk}/").content.decode()
    assert f"<title>Scorecard: {code}," in card
    assert f"Next scorecard to fill:</strong> {code}" in card
    assert CANDIDATE_NAME not in card

    client.force_login(scenario.users["interviewer_draft"])
    fill = client.get(f"/scorecards/interviews/{scenario.objects['interview_a'].pk}/")
    page = fill.content.decode()
    assert f"Scorecard: {code}</h1>" in page and CANDIDATE_NAME not in page
    # A plain (no JavaScript) save shows the page again after its redirect.
    saved = client.post(
        f"/scorecards/interviews/{scenario.objects['interview_a'].pk}/",
        {"version": "1", "recommendation": ""},
        follow=True,
    )
    assert not any(s in saved.content.decode() for s in SECRETS)


@pytest.mark.parametrize("who", ["recruiter", "manager", "manager_interviewing"])
def test_recruiters_and_the_hiring_manager_see_the_name(client, who):
    """A hiring manager who also interviews the candidate is not blinded: they decide
    on the hire and read the name on the application anyway."""
    scenario = build_scenario(blind_review=True, blind_manager=who == "manager_interviewing")
    client.force_login(scenario.users[who])
    interview = scenario.objects["interview_a"]
    kit = client.get(f"/scorecards/interviews/{interview.pk}/kit/").content.decode()
    assert CANDIDATE_NAME in kit
    pdf = client.get(f"/scorecards/interviews/{interview.pk}/kit.pdf")
    assert CANDIDATE_NAME in pdf_text(pdf.content)
    if who == "manager_interviewing":
        mine = client.get("/hiring/interviews/").content.decode()
        assert CANDIDATE_NAME in mine


def test_without_blind_review_interviewers_see_the_name(client):
    scenario = build_scenario()
    client.force_login(scenario.users["interviewer_draft"])
    assert CANDIDATE_NAME in client.get("/hiring/interviews/").content.decode()
    code = scenario.objects["application"].candidate_code
    assert code not in client.get("/hiring/interviews/").content.decode()


def test_the_rule():
    loop = build_loop(factories.InterviewerFactory())
    application = Application.objects.select_related("candidate", "revision").get(
        pk=loop.application.pk
    )
    interviewer, manager = loop.interview.interviewer, application.hiring_manager
    recruiter = factories.RecruiterFactory()
    name, code = application.candidate.name, application.candidate_code
    assert blind.candidate_label(application, interviewer) == name  # not blind
    application.revision.blind_review = True
    assert blind.candidate_label(application, interviewer) == code
    assert blind.candidate_label(application, recruiter) == name
    assert blind.candidate_label(application, manager) == name
    manager.groups.add(Group.objects.get(name=INTERVIEWER))
    assert blind.candidate_label(application, manager) == name
    # Another hiring manager interviewing here is an interviewer here.
    other_manager = factories.HiringManagerFactory()
    assert blind.candidate_label(application, other_manager) == code
    # A values() row of an interview reads the same.
    RoleRevision.objects.filter(pk=application.revision_id).update(blind_review=True)
    row = Interview.objects.filter(pk=loop.interview.pk).values(**blind.INTERVIEW_LABEL_VALUES)
    assert blind.candidate_label(row.get(), interviewer) == code


def test_codes_are_random_stable_and_not_the_name():
    applications = factories.ApplicationFactory.create_batch(30)
    codes = [a.candidate_code for a in applications]
    assert len(set(codes)) == 30
    for application in applications:
        code = application.candidate_code
        assert code.startswith(blind.CODE_PREFIX) and len(code) == 2 + blind.CODE_LENGTH
        assert set(code[2:]) <= set(blind.CODE_ALPHABET)
        application.refresh_from_db()
        assert application.candidate_code == code  # stored, not computed again
    # Two applications of one candidate have codes of their own.
    candidate = applications[0].candidate
    again = factories.ApplicationFactory(candidate=candidate)
    assert again.candidate_code != applications[0].candidate_code


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_the_reminder_email_names_the_candidate_by_the_rule():
    scenario = build_scenario(blind_review=True)
    interview = scenario.objects["interview_a"]
    Interview.objects.filter(pk=interview.pk).update(
        scheduled_at=timezone.now() - timedelta(days=3)
    )
    call_command("send_scorecard_reminders", stdout=io.StringIO(), stderr=io.StringIO())
    sent = [m for m in mail.outbox if interview.interviewer.email in m.to]
    assert sent
    assert scenario.objects["application"].candidate_code in sent[0].body
    assert CANDIDATE_NAME not in sent[0].body
