"""My applications, the hiring manager's home: sections (ready to decide, in progress,
decided), what each row says (cards in, recommendation in words, red flags,
disagreement, decision), blindness, and a constant number of queries."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, Decision
from hiring_site.access import INTERVIEWER
from roles.models import Signal
from scorecards.models import Headline, Scorecard
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("hiring:my_applications")


def application(manager, name, cards, *, pending=0, days_ago=0, red_flag=False, **fields):
    """An application of `manager` for `name` on a revision of two dimensions (50/50):
    one submitted card per (score A, score B, recommendation) in `cards`, and `pending`
    interviews whose card is not in."""
    revision, dimensions = factories.revision_with_dimensions([50, 50])
    flag = factories.SignalFactory(revision=revision, kind=Signal.Kind.RED_FLAG, text="Lies")
    app = factories.ApplicationFactory(
        revision=revision, hiring_manager=manager, candidate__name=name, **fields
    )
    Application.objects.filter(pk=app.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    for index, (a, b, recommendation) in enumerate(cards):
        interview = factories.InterviewFactory(application=app)
        signals = [(flag, "Made up a number")] if red_flag and index == 0 else []
        factories.scorecard_with_ratings(
            interview,
            {dimensions[0]: a, dimensions[1]: b},
            recommendation=recommendation,
            signals=signals,
        )
    for _ in range(pending):
        factories.InterviewFactory(application=app)
    return app


def rows(client, **params):
    body = client.get(URL, params).content.decode()
    return body, re.findall(r'<tr data-testid="application-row">(.*?)</tr>', body, re.S)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_ready_to_decide_comes_first_then_in_progress_then_decided(manager_client, hiring_manager):
    application(hiring_manager, "Ivy Progress", [(3, 3, "yes")], pending=1, days_ago=1)
    application(hiring_manager, "Rita Ready", [(4, 4, "yes"), (3, 4, "yes")], days_ago=3)
    decided = application(hiring_manager, "Dan Decided", [(4, 4, "yes"), (4, 4, "yes")])
    decided.record_decision("hire", "Strong panel.", by=hiring_manager)
    application(hiring_manager, "Newer Progress", [], pending=2, days_ago=0)
    application(factories.HiringManagerFactory(), "Not Mine", [(4, 4, "yes")])

    body, found = rows(manager_client)
    names = [re.search(r"from=mine\">([^<]+)</a>", row).group(1) for row in found]
    assert names == ["Rita Ready", "Newer Progress", "Ivy Progress", "Dan Decided"]
    headings = re.findall(r'<h2 class="h5" id="section-\d">([^<]+)</h2>', body)
    assert headings == ["Ready to decide", "In progress", "Decided"]
    assert "Not Mine" not in body


def test_each_row_says_cards_in_recommendation_red_flags_disagreement_and_decision(
    manager_client, hiring_manager
):
    # A: 2 and 4 (span 2: a disagreement); B: 4 and 4; votes no and yes: split. Weighted
    # 3.50, hire, but a red flag vetoes it to no hire.
    split = application(
        hiring_manager, "Sam Split", [(2, 4, "no"), (4, 4, "yes")], red_flag=True, pending=1
    )
    held = application(hiring_manager, "Hal Held", [(3, 3, "yes"), (3, 4, "yes")])
    held.record_decision("hold", "Waiting for references.", by=hiring_manager)

    _, found = rows(manager_client)
    by_name = {re.search(r"from=mine\">([^<]+)</a>", row).group(1): row for row in found}
    held_row = text(by_name["Hal Held"])
    assert "2 of 2" in held_row
    assert "Hire (3.25)" in held_row
    assert "Hold" in held_row  # the newest decision, though the application is still active
    split_row = by_name["Sam Split"]
    assert text(re.search(r'data-testid="cards-in">(.*?)</td>', split_row).group(1)) == "2 of 3"
    assert "No hire" in text(split_row) and "no_hire" not in split_row
    assert text(re.search(r'data-testid="red-flags">(.*?)</td>', split_row).group(1)) == "1"
    disagreement = re.search(r'data-testid="disagreement">(.*?)</td>', split_row).group(1)
    assert disagreement == "1 dimension; recommendations split"
    assert "none yet" in split_row  # no decision
    # Read from the stored headline, which now keeps the disagreement too.
    stored = Headline.objects.get(application=split)
    assert (stored.disagreeing, stored.votes_split, stored.red_flags) == (1, True, 1)
    assert f'href="{reverse("hiring:panel", args=[split.pk])}?from=mine"' in split_row


def test_a_row_whose_own_card_is_pending_hides_its_results(manager_client, hiring_manager):
    hiring_manager.groups.add(Group.objects.get(name=INTERVIEWER))
    app = application(hiring_manager, "Bea Blind", [(2, 4, "no"), (4, 4, "yes")], red_flag=True)
    own = factories.InterviewFactory(application=app, interviewer=hiring_manager)
    factories.ScorecardFactory(interview=own, status=Scorecard.Status.DRAFT)

    _, [row] = rows(manager_client)
    assert "Results hidden until your own card is submitted." in text(row)
    assert "No hire" not in row and "split" not in row and "3.50" not in row
    assert "2 of 3" in text(row)  # card states, not results: the application page shows them
    # The own card in: the results show.
    card = own.scorecard
    card.status, card.recommendation = Scorecard.Status.SUBMITTED, "yes"
    card.submitted_at = timezone.now()
    card.save()
    _, [row] = rows(manager_client)
    assert "results-hidden" not in row and "No hire" in text(row)


def test_an_application_with_no_interviews_is_in_progress(manager_client, hiring_manager):
    application(hiring_manager, "Nora None", [])
    body, [row] = rows(manager_client)
    assert "no interviews yet" in row and "Insufficient evidence" in text(row)
    assert re.findall(r'id="section-\d">([^<]+)<', body) == ["In progress"]


def test_withdrawn_and_rejected_applications_are_with_the_decided(manager_client, hiring_manager):
    application(hiring_manager, "Wes Withdrawn", [], status=Application.Status.WITHDRAWN)
    rejected = application(hiring_manager, "Rob Rejected", [(1, 2, "no"), (2, 2, "no")])
    rejected.record_decision("no_hire", "Below the bar.", by=hiring_manager)
    body, found = rows(manager_client)
    assert re.findall(r'id="section-\d">([^<]+)<', body) == ["Decided"]
    assert "Withdrawn" in text(found[0]) or "Withdrawn" in text(found[1])
    assert any("No hire" in text(row) and "Strong no hire" in text(row) for row in found)


def test_no_applications_says_so(manager_client):
    body, found = rows(manager_client)
    assert found == [] and "No applications name you as hiring manager yet." in body


def test_pages_of_many_applications_keep_the_section_order(manager_client, hiring_manager):
    for n in range(26):
        application(hiring_manager, f"Progress {n:02d}", [], pending=1, days_ago=n + 1)
    application(hiring_manager, "Last Ready", [(3, 3, "yes"), (3, 3, "yes")], days_ago=40)
    _, first = rows(manager_client)
    assert "Last Ready" in first[0] and len(first) == 25
    _, second = rows(manager_client, page=2)
    assert len(second) == 2 and "Progress 25" in second[-1]
    assert manager_client.get(URL, {"page": 3}).status_code == 404


def populate(manager, count):
    for n in range(count):
        app = application(
            manager, f"Candidate {n}", [(3, 4, "yes"), (2, 4, "no")], pending=n % 2, red_flag=n % 3
        )
        if n % 4 == 0:
            Decision.objects.create(
                application=app, outcome="hold", rationale="Wait.", decided_by=manager
            )


@pytest.mark.parametrize("count", [2, 12])
def test_the_page_makes_the_same_number_of_queries_whatever_the_number_of_applications(
    manager_client, hiring_manager, django_assert_max_num_queries, count
):
    hiring_manager.groups.add(Group.objects.get(name=INTERVIEWER))
    populate(hiring_manager, count)
    own = factories.InterviewFactory(
        application=Application.objects.filter(hiring_manager=hiring_manager).first(),
        interviewer=hiring_manager,
    )
    factories.ScorecardFactory(interview=own, status=Scorecard.Status.DRAFT)
    # Cold: every headline computed (and stored) at once.
    with django_assert_max_num_queries(15):
        body, found = rows(manager_client)
    assert len(found) == count and body.count("Results hidden") == 1
    # Warm: the stored headlines are read with the applications.
    with django_assert_max_num_queries(8):
        _, again = rows(manager_client)
    assert again == found
