"""The navigation bar shows each user what their groups allow, and every link works."""

import re

import pytest
from django.urls import reverse

from hiring_site.access import HIRING_MANAGER, INTERVIEWER, RECRUITER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<a class="nav-link[^"]*" href="([^"]+)"[^>]*>([^<]+)</a>')


def nav_links(client):
    response = client.get(reverse("home"), follow=True)
    return dict((label, url) for url, label in NAV.findall(response.content.decode()))


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ([RECRUITER], {"Roles", "Candidates", "Calibration", "Validity"}),
        ([HIRING_MANAGER], {"Roles", "My applications", "Calibration", "Validity"}),
        ([INTERVIEWER], {"Roles", "My interviews"}),
        (
            [RECRUITER, INTERVIEWER],
            {"Roles", "Candidates", "Calibration", "Validity", "My interviews"},
        ),
    ],
)
def test_navigation_follows_groups_and_no_link_errors(client, groups, expected):
    user = UserFactory(groups=groups)
    client.force_login(user)
    links = nav_links(client)
    assert set(links) == expected
    for label, url in links.items():
        response = client.get(url)
        assert response.status_code == 200, (label, url)
        assert f'aria-current="page">{label}<' in response.content.decode()


@pytest.mark.parametrize(
    ("groups", "forbidden"),
    [
        ([HIRING_MANAGER], ["hiring:candidates", "hiring:my_interviews"]),
        ([INTERVIEWER], ["roles:import", "hiring:candidates", "hiring:my_applications"]),
        ([RECRUITER], ["hiring:my_interviews", "hiring:my_applications"]),
    ],
)
def test_pages_outside_a_users_groups_answer_403(client, groups, forbidden):
    client.force_login(UserFactory(groups=groups))
    for name in forbidden:
        response = client.get(reverse(name))
        assert response.status_code == 403, name
        assert "You do not have access to this page" in response.content.decode()
