"""The app's own 400, 403 and 404 pages: the navigation, and the reason in words, with
DEBUG off and on (Django would show its technical 404 and 400 pages with DEBUG on). A
hidden card says it is hidden until the viewer's own card is submitted, and only to
someone whose own card is what hides it."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_access_matrix import build_scenario

pytestmark = pytest.mark.django_db

NAVIGATION = 'aria-label="Main navigation"'
REASON = 'data-testid="error-reason"'
HIDDEN_CARD = "hidden until your own card is submitted"
GENERIC_404 = "There is nothing here, or it is not shared with you."


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def scenario():
    return build_scenario()


def get_as(scenario, who, url, **params):
    client = Client()
    client.force_login(scenario.users[who])
    return client.get(url, params)


def test_a_card_hidden_by_the_viewers_own_pending_card_says_so(debug, scenario):
    url = scenario.url("scorecards:detail", "card_d")  # submitted, a third interviewer's
    response = get_as(scenario, "interviewer_draft", url)
    body = response.content.decode()
    assert response.status_code == 404
    assert NAVIGATION in body and REASON in body and HIDDEN_CARD in body
    assert "My interviews" in body  # the way to their own card
    assert "Technical" not in body and "URLconf" not in body


def test_the_same_card_says_nothing_to_someone_it_is_not_shared_with(debug, scenario):
    url = scenario.url("scorecards:detail", "card_d")
    body = get_as(scenario, "outsider", url).content.decode()
    assert GENERIC_404 in body and HIDDEN_CARD not in body
    # A draft stays another's even once the viewer's own card is in: no promise made.
    draft = scenario.url("scorecards:detail", "card_a")
    body = get_as(scenario, "interviewer_submitted", draft).content.decode()
    assert GENERIC_404 in body and HIDDEN_CARD not in body


def test_a_page_of_another_group_is_refused_with_the_reason(debug, scenario):
    response = get_as(scenario, "interviewer_draft", reverse("hiring:candidates"))
    body = response.content.decode()
    assert response.status_code == 403
    assert NAVIGATION in body and "You do not have access to this page" in body
    assert "Your role does not give access to this page." in body


def test_an_object_out_of_scope_is_not_found_without_djangos_wording(debug, scenario):
    response = get_as(
        scenario, "other_manager", scenario.url("hiring:application_detail", "application")
    )
    body = response.content.decode()
    assert response.status_code == 404
    assert NAVIGATION in body and REASON in body
    assert "matches the given query" not in body


def test_a_bad_query_parameter_gets_the_apps_400_page(debug, scenario):
    response = get_as(scenario, "recruiter", scenario.url("roles:detail", "role"), revision="²")
    body = response.content.decode()
    assert response.status_code == 400
    assert NAVIGATION in body and "“²” is not a revision number" in body
    assert "Traceback" not in body


def test_a_page_past_the_end_of_a_list_says_how_many_there_are(debug, scenario):
    response = get_as(scenario, "recruiter", reverse("hiring:candidates"), page=7)
    assert response.status_code == 404
    assert "There is no page 7 of this list: it has 1 page." in response.content.decode()


def test_a_form_refused_by_the_csrf_check_says_what_to_do(scenario):
    client = Client(enforce_csrf_checks=True)
    client.force_login(scenario.users["recruiter"])
    response = client.post(reverse("hiring:candidate_add"), {"name": "Mallory"})
    body = response.content.decode()
    assert response.status_code == 403
    assert NAVIGATION in body and "reload the page and send it again" in body


def test_an_address_the_app_does_not_have_gets_the_apps_404_page(scenario):
    response = get_as(scenario, "recruiter", "/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert NAVIGATION in body and GENERIC_404 in body
