"""The person picker: recruiters type part of a name and pick a match (hiring:people_search,
through htmx), or, without JavaScript, submit the name and choose among its matches."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, Interview
from hiring.people import MAX_MATCHES
from tests import factories
from tests.scorecards.builders import build_loop

pytestmark = pytest.mark.django_db

SEARCH = reverse("hiring:people_search")


def search(client, q, group="interviewer", **extra):
    return client.get(SEARCH, {"group": group, "q": q, **extra})


def picked_names(body) -> list[str]:
    """The names offered as radio buttons, in their order."""
    return re.findall(
        r'type="radio" name="[^"]+" value="\d+" id="[^"]+" data-person-name="([^"]+)"', body
    )


def when(hours):
    return (timezone.localtime() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def zorvaths(db):
    """Three interviewers named Zorvath, one of them inactive, and a hiring manager."""
    return {
        "ivy": factories.InterviewerFactory(
            username="ivyz", first_name="Ivy", last_name="Zorvath", email="ivy@corp.example"
        ),
        "ian": factories.InterviewerFactory(
            username="ianz", first_name="Ian", last_name="Zorvath", email="ian.z@corp.example"
        ),
        "gone": factories.InterviewerFactory(
            username="goz", first_name="Gone", last_name="Zorvath", is_active=False
        ),
        "hana": factories.HiringManagerFactory(
            username="hanaz", first_name="Hana", last_name="Zorvath"
        ),
    }


# --- the search ------------------------------------------------------------------------------


def test_search_finds_active_members_of_the_group_by_any_part_of_their_name(
    recruiter_client, zorvaths
):
    body = search(recruiter_client, "zorv").content.decode()
    assert picked_names(body) == ["Ian Zorvath", "Ivy Zorvath"]  # no inactive, no manager
    assert 'name="interviewer_pick"' in body
    assert "People matching “zorv”" in body
    # First name, username, email; case ignored; every word must match.
    assert picked_names(search(recruiter_client, "IVY").content.decode()) == ["Ivy Zorvath"]
    assert picked_names(search(recruiter_client, "ianz").content.decode()) == ["Ian Zorvath"]
    assert picked_names(search(recruiter_client, "ian.z@corp").content.decode()) == ["Ian Zorvath"]
    assert picked_names(search(recruiter_client, "zorvath iv").content.decode()) == ["Ivy Zorvath"]
    managers = search(recruiter_client, "zorv", group="hiring_manager").content.decode()
    assert picked_names(managers) == ["Hana Zorvath"]
    assert 'name="hiring_manager_pick"' in managers


def test_search_says_when_nobody_matches_and_shows_nothing_for_an_empty_query(
    recruiter_client, zorvaths
):
    nobody = search(recruiter_client, "Quetzalcoatl").content.decode()
    assert "Nobody matches “Quetzalcoatl”." in nobody and picked_names(nobody) == []
    empty = search(recruiter_client, "   ")
    assert empty.status_code == 200 and empty.content.decode().strip() == ""


def test_search_shows_at_most_twenty_and_asks_to_refine(recruiter_client):
    for n in range(MAX_MATCHES + 5):
        factories.InterviewerFactory(first_name="Yael", last_name=f"Brightwater{n:02}")
    body = search(recruiter_client, "brightwater").content.decode()
    assert len(picked_names(body)) == MAX_MATCHES
    assert "refine your search" in body
    exact = search(recruiter_client, "brightwater0").content.decode()
    assert len(picked_names(exact)) == 10 and "refine your search" not in exact


def test_search_refuses_an_unknown_group_or_field_clearly(recruiter_client, zorvaths):
    unknown = search(recruiter_client, "zorv", group="everyone")
    assert unknown.status_code == 400
    assert "“everyone” is not a group: use one of interviewer, hiring_manager." in (
        unknown.content.decode()
    )
    bad_field = search(recruiter_client, "zorv", field='x" onclick="y')
    assert bad_field.status_code == 400


def test_search_is_for_recruiters_only(client, zorvaths):
    assert search(client, "zorv").status_code == 302  # to the login page
    for user in (zorvaths["hana"], zorvaths["ivy"], factories.UserFactory()):
        client.force_login(user)
        response = search(client, "zorv")
        assert response.status_code == 403 and "Ian Zorvath" not in response.content.decode()
    client.force_login(factories.RecruiterFactory())
    assert client.post(SEARCH, {"group": "interviewer", "q": "zorv"}).status_code == 405


def test_search_makes_constant_queries(recruiter_client, zorvaths):
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            search(recruiter_client, "zorv")
        counts.append(len(queries))
        factories.InterviewerFactory.create_batch(30, last_name="Zorvath")
    assert counts[0] == counts[1]


# --- the form without JavaScript -------------------------------------------------------------


@pytest.fixture
def loop(db):
    return build_loop()


def assign(client, application, interviewer, **extra):
    return client.post(
        reverse("hiring:interview_add", args=[application.pk]),
        {
            "stage": application.revision.stages.first().pk,
            "interviewer": interviewer,
            "scheduled_at": when(24),
            **extra,
        },
    )


def test_a_typed_name_that_matches_one_interviewer_assigns_them(recruiter_client, loop, zorvaths):
    response = assign(recruiter_client, loop.application, "ivy zorv")
    assert response.status_code == 302
    assert Interview.objects.filter(interviewer=zorvaths["ivy"]).exists()
    page = recruiter_client.get(response.url).content.decode()
    assert "Ivy Zorvath interviews for" in page


def test_a_typed_name_that_matches_several_offers_them_as_choices(recruiter_client, loop, zorvaths):
    count = Interview.objects.count()
    response = assign(recruiter_client, loop.application, "Zorvath")
    assert response.status_code == 422
    body = response.content.decode()
    assert "Several people match “Zorvath”: choose one of them." in body
    assert picked_names(body) == ["Ian Zorvath", "Ivy Zorvath"]
    assert 'value="Zorvath"' in body  # what was typed stays in the box
    assert Interview.objects.count() == count
    # Choosing one of them (the typed text unchanged) assigns that one.
    chosen = assign(
        recruiter_client, loop.application, "Zorvath", interviewer_pick=zorvaths["ian"].pk
    )
    assert chosen.status_code == 302
    assert Interview.objects.get(pk__gt=0, interviewer=zorvaths["ian"])


def test_a_name_too_many_people_have_asks_for_more_of_it(recruiter_client, loop):
    for n in range(MAX_MATCHES + 2):
        factories.InterviewerFactory(first_name="Yael", last_name=f"Brightwater{n:02}")
    response = assign(recruiter_client, loop.application, "yael")
    assert response.status_code == 422
    body = response.content.decode()
    assert "More than 20 people match “yael”: type more of the name" in body
    assert len(picked_names(body)) == MAX_MATCHES and "refine your search" in body


def test_a_full_name_is_taken_even_when_it_is_part_of_others(recruiter_client, loop):
    ann = factories.InterviewerFactory(first_name="Ann", last_name="Leeward", username="annl")
    factories.InterviewerFactory(first_name="Ann", last_name="Leewards", username="annls")
    assert assign(recruiter_client, loop.application, "ann leeward").status_code == 302
    assert Interview.objects.filter(interviewer=ann).exists()


def test_a_pick_gives_way_to_a_name_typed_after_it(recruiter_client, loop, zorvaths):
    response = assign(
        recruiter_client, loop.application, "ivy", interviewer_pick=zorvaths["ian"].pk
    )
    assert response.status_code == 302
    assert Interview.objects.filter(interviewer=zorvaths["ivy"]).exists()
    assert not Interview.objects.filter(interviewer=zorvaths["ian"]).exists()


def test_a_name_nobody_has_is_refused_clearly(recruiter_client, loop, zorvaths):
    count = Interview.objects.count()
    response = assign(recruiter_client, loop.application, "Quetzalcoatl")
    assert response.status_code == 422
    assert "Nobody among the active interviewers matches “Quetzalcoatl”" in (
        response.content.decode()
    )
    # An inactive interviewer's or a hiring manager's name is nobody's either.
    for name in ("Gone Zorvath", "hanaz"):
        body = assign(recruiter_client, loop.application, name).content.decode()
        assert "Nobody among the active interviewers matches" in body
    assert Interview.objects.count() == count


@pytest.mark.parametrize("who", ["gone", "hana"])
def test_a_forged_id_is_refused_clearly(recruiter_client, loop, zorvaths, who):
    count = Interview.objects.count()
    for data in (
        {"interviewer": zorvaths[who].pk},
        {"interviewer": "", "interviewer_pick": zorvaths[who].pk},
        {"interviewer": "Zorvath", "interviewer_pick": zorvaths[who].pk},
        {"interviewer": "Zorvath", "interviewer_pick": "not-an-id"},
        {"interviewer": "99999999999999999999999"},
    ):
        response = assign(recruiter_client, loop.application, **data)
        assert response.status_code == 422, data
        body = response.content.decode()
        assert "That person is not an active interviewer" in body or "Nobody among" in body
    assert Interview.objects.count() == count


@pytest.mark.parametrize("typed", ["Zor\x00vath", "\x00", "Zorvath\x07"])
def test_a_name_with_control_characters_is_refused_not_searched(
    recruiter_client, loop, zorvaths, typed
):
    """Reproduction (tests/test_hostile_input.py): "a\x00b" typed as the interviewer
    answered 500 on PostgreSQL, which refuses a NUL in the search's query."""
    counts = Interview.objects.count(), Application.objects.count()
    response = assign(recruiter_client, loop.application, typed)
    assert response.status_code == 422
    assert "A name has no control characters" in response.content.decode()
    candidate = factories.CandidateFactory()
    response = recruiter_client.post(
        reverse("hiring:application_add", args=[candidate.pk]),
        {"revision": loop.revision.pk, "hiring_manager": typed},
    )
    assert response.status_code == 200
    assert "A name has no control characters" in response.content.decode()
    assert (Interview.objects.count(), Application.objects.count()) == counts


def test_an_id_as_clients_post_it_still_assigns(recruiter_client, loop, zorvaths):
    assert assign(recruiter_client, loop.application, str(zorvaths["ivy"].pk)).status_code == 302
    assert Interview.objects.filter(interviewer=zorvaths["ivy"]).exists()


def test_the_application_page_reads_no_list_of_interviewers(recruiter_client, loop):
    """The page is the same size and makes the same queries with hundreds of interviewers."""
    url = loop.application.get_absolute_url()
    recruiter_client.get(url)
    before = recruiter_client.get(url)
    with CaptureQueriesContext(connection) as small:
        recruiter_client.get(url)
    factories.InterviewerFactory.create_batch(300)
    after = recruiter_client.get(url)
    with CaptureQueriesContext(connection) as large:
        recruiter_client.get(url)
    assert len(small) == len(large)
    assert len(after.content) == len(before.content)
    assert 'type="text" name="interviewer"' in after.content.decode()
    assert '<select name="interviewer"' not in after.content.decode()


def test_editing_shows_the_current_interviewer_chosen(recruiter_client, loop):
    interview = loop.other_interview
    url = reverse("hiring:interview_edit", args=[interview.pk])
    body = recruiter_client.get(url).content.decode()
    name = interview.interviewer.get_full_name()
    assert f'value="{name}"' in body
    assert re.search(
        rf'value="{interview.interviewer.pk}"[^>]*data-person-name="{name}" checked', body
    )
    # Saved as shown: the same person, a new time.
    response = recruiter_client.post(
        url,
        {
            "stage": interview.stage.pk,
            "interviewer": name,
            "interviewer_pick": interview.interviewer.pk,
            "scheduled_at": when(30),
        },
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.interviewer == loop.other_interview.interviewer


def test_a_started_card_keeps_its_interviewer_whatever_is_posted(recruiter_client, loop, zorvaths):
    from scorecards.models import Scorecard

    interview = loop.interview
    Scorecard.objects.create(interview=interview)
    url = reverse("hiring:interview_edit", args=[interview.pk])
    body = recruiter_client.get(url).content.decode()
    assert "Fixed: a scorecard has been started." in body
    assert "data-person-search" not in body  # no search on a fixed field
    recruiter_client.post(
        url,
        {
            "stage": interview.stage.pk,
            "interviewer": "Ivy Zorvath",
            "interviewer_pick": zorvaths["ivy"].pk,
            "scheduled_at": when(30),
        },
    )
    interview.refresh_from_db()
    assert interview.interviewer == loop.interview.interviewer


def test_the_hiring_manager_is_typed_too(recruiter_client, zorvaths):
    candidate = factories.CandidateFactory()
    revision = factories.RoleRevisionFactory()
    url = reverse("hiring:application_add", args=[candidate.pk])
    response = recruiter_client.post(url, {"revision": revision.pk, "hiring_manager": "hana"})
    assert response.status_code == 302
    assert Application.objects.get().hiring_manager == zorvaths["hana"]
    refused = recruiter_client.post(url, {"revision": revision.pk, "hiring_manager": "Ivy"})
    assert "Nobody among the active hiring managers matches “Ivy”" in refused.content.decode()
