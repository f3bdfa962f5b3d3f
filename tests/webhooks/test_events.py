"""Each event is written to the outbox in the transaction of the change that caused it,
by every path: the pages, the admin, the model methods the demo and the API call."""

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse

from hiring.models import Application, StaleDecision
from hiring_site.access import RECRUITER
from scorecards.models import Scorecard
from tests import factories
from tests.scorecards.builders import build_loop, complete_post
from webhooks.models import (
    APPLICATION_CREATED,
    DECISION_RECORDED,
    EVENT_TYPES,
    PANEL_READY,
    SCORECARD_SUBMITTED,
    Delivery,
    Endpoint,
    Event,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(db):
    # No receiver: these tests look at the outbox only.
    return Endpoint.objects.create(url="https://ats.example.com/hooks", events=list(EVENT_TYPES))


def fresh_loop():
    """build_loop's application, its own application.created left out."""
    loop = build_loop()
    Event.objects.all().delete()
    return loop


def types(application=None) -> list[str]:
    events = Event.objects.order_by("pk")
    if application is not None:
        events = events.filter(application=application)
    return list(events.values_list("type", flat=True))


def test_no_endpoint_no_outbox_rows():
    factories.ApplicationFactory()
    assert not Event.objects.exists() and not Delivery.objects.exists()


def test_opening_an_application_on_its_page_writes_application_created(client, endpoint):
    recruiter = factories.RecruiterFactory()
    candidate = factories.CandidateFactory()
    revision = factories.RoleRevisionFactory()
    manager = factories.HiringManagerFactory()
    client.force_login(recruiter)
    response = client.post(
        reverse("hiring:application_add", args=[candidate.pk]),
        {"revision": revision.pk, "hiring_manager": manager.pk},
    )
    assert response.status_code == 302
    application = candidate.applications.get()
    event = Event.objects.get()
    assert (event.type, event.application_id) == (APPLICATION_CREATED, application.pk)
    assert event.data["application"]["id"] == application.pk
    delivery = Delivery.objects.get()
    assert (delivery.endpoint, delivery.status, delivery.application_id) == (
        endpoint,
        "pending",
        application.pk,
    )


def test_opening_an_application_in_the_admin_writes_application_created(client, endpoint):
    recruiter = factories.RecruiterFactory(is_staff=True)
    recruiter.groups.add(Group.objects.get(name=RECRUITER))
    candidate = factories.CandidateFactory()
    revision = factories.RoleRevisionFactory()
    manager = factories.HiringManagerFactory()
    client.force_login(recruiter)
    response = client.post(
        reverse("admin:hiring_application_add"),
        {
            "candidate": candidate.pk,
            "revision": revision.pk,
            "recruiter": recruiter.pk,
            "hiring_manager": manager.pk,
            "interviews-TOTAL_FORMS": "0",
            "interviews-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    application = candidate.applications.get()
    assert types(application) == [APPLICATION_CREATED]


def test_an_application_made_by_code_writes_it_too(endpoint):
    # The demo, the API and a shell make applications with objects.create / save().
    candidate = factories.CandidateFactory()
    application = Application.objects.create(
        candidate=candidate,
        revision=factories.RoleRevisionFactory(),
        hiring_manager=factories.HiringManagerFactory(),
    )
    assert types(application) == [APPLICATION_CREATED]
    # Saving it again is no new application.
    application.save()
    assert types(application) == [APPLICATION_CREATED]


def test_a_change_rolled_back_leaves_no_event(endpoint):
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.ApplicationFactory()
        assert Event.objects.count() == 1
        raise RuntimeError("the request failed after the save")
    assert not Event.objects.exists() and not Delivery.objects.exists()


def _leaves(value, key=None):
    """(key, value) of every value in a JSON-like payload, nested ones included."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v
            yield from _leaves(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, key)


def test_submitting_cards_on_the_page_writes_scorecard_submitted_then_panel_ready(client, endpoint):
    loop = fresh_loop()
    client.force_login(loop.interview.interviewer)
    url = reverse("scorecards:fill", args=[loop.interview.pk])
    response = client.post(url, complete_post(loop, 0, action="submit"))
    assert response.status_code == 302
    card = loop.interview.scorecard
    card.refresh_from_db()
    assert card.status == "submitted"
    assert types(loop.application) == [SCORECARD_SUBMITTED]
    data = Event.objects.get().data
    assert data["scorecard"]["id"] == card.pk
    assert data["scorecard"]["interview"] == loop.interview.pk
    # Ids, statuses and links only: nothing of what the card says.
    pairs = list(_leaves(data))
    assert not {key for key, _ in pairs} & {
        "score",
        "scores",
        "ratings",
        "evidence",
        "recommendation",
        "summary",
        "signals",
    }
    texts = [value for _, value in pairs if isinstance(value, str)]
    for said in ("yes", "Designed back-pressure", "SRE team", "Strong designer"):
        assert not any(said in text for text in texts)

    # The other interviewer submits the last card: the panel is ready.
    d = loop.dimensions
    client.force_login(loop.other_interview.interviewer)
    response = client.post(
        reverse("scorecards:fill", args=[loop.other_interview.pk]),
        {
            "version": "0",
            f"score_{d[2].id}": "3",
            f"evidence_{d[2].id}": "Clear.",
            "recommendation": "yes",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    assert types(loop.application) == [SCORECARD_SUBMITTED, SCORECARD_SUBMITTED, PANEL_READY]
    ready = Event.objects.get(type=PANEL_READY).data["application"]
    assert ready["id"] == loop.application.pk and ready["scorecards_submitted"] == 2
    assert ready["panel_url"].endswith(f"/hiring/applications/{loop.application.pk}/panel/")


def test_a_draft_save_writes_nothing(client, endpoint):
    loop = fresh_loop()
    client.force_login(loop.interview.interviewer)
    url = reverse("scorecards:fill", args=[loop.interview.pk])
    client.post(url, complete_post(loop, 0))
    assert Scorecard.objects.get().status == "draft"
    assert types() == []


def test_a_withdrawn_application_has_no_panel_ready(endpoint):
    loop = fresh_loop()
    factories.scorecard_with_ratings(loop.other_interview, {loop.dimensions[2]: 3})
    loop.application.withdraw(factories.RecruiterFactory(), "Took another offer.")
    card = Scorecard(interview=loop.interview, version=0)
    from scorecards.models import ScorecardContent

    d = loop.dimensions
    card.submit(
        ScorecardContent(ratings={d[0].id: (3, "ok"), d[1].id: (3, "ok")}, recommendation="yes"),
        0,
        loop.interview.interviewer,
    )
    assert types(loop.application) == [SCORECARD_SUBMITTED]


def test_deciding_on_the_panel_writes_decision_recorded_once(client, endpoint):
    from tests.hiring.test_decisions import decide, panel_application

    manager = factories.HiringManagerFactory()
    application = panel_application(manager, [3, 4])
    Event.objects.all().delete()
    client.force_login(manager)
    assert decide(client, application, "hire").status_code == 302
    # A double submit records nothing more, and writes no second event.
    decide(client, application, "hire")
    assert types(application) == [DECISION_RECORDED]
    data = Event.objects.get().data
    decision = application.decisions.get()
    assert data["decision"] == {"id": decision.pk, "decided_by": manager.pk}
    assert data["application"]["status"] == "hired"
    # Nothing of the rationale or the outcome's reasons.
    assert "Reasons" not in str(data)


def test_a_refused_decision_writes_no_event(endpoint):
    application = factories.ApplicationFactory()
    Event.objects.all().delete()
    with pytest.raises(StaleDecision):
        application.record_decision("hire", "Late.", by=application.hiring_manager, seen=12345)
    assert types() == []
