"""The groups of the design exist with their permissions; the admin covers every model."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def perms(group_name):
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("codename", flat=True))


def test_groups_have_the_permissions_of_the_design():
    recruiter = perms("Recruiter")
    assert {"add_role", "change_dimension", "add_candidate", "add_interview"} <= recruiter
    assert "add_decision" not in recruiter
    manager = perms("Hiring manager")
    assert {"add_decision", "view_application", "view_scorecard"} <= manager
    assert not {"change_role", "add_candidate", "change_scorecard"} & manager
    interviewer = perms("Interviewer")
    assert {"add_scorecard", "change_rating", "add_signalcheck"} <= interviewer
    assert not {"view_application", "view_decision", "change_role"} & interviewer


def test_every_model_of_the_three_apps_is_in_the_admin():
    ours = [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"roles", "hiring", "scorecards"}
        and not m.__name__.startswith("Historical")
        # Derived from the cards by the scoring code, never edited by a person.
        and m.__name__ != "Headline"
    ]
    assert len(ours) == 14
    missing = [m.__name__ for m in ours if not admin.site.is_registered(m)]
    assert missing == []


MODEL_FACTORIES = [
    factories.RoleFactory,
    factories.RoleRevisionFactory,
    factories.DimensionFactory,
    factories.CompetencyAreaFactory,
    factories.ExerciseFactory,
    factories.SignalFactory,
    factories.InterviewStageFactory,
    factories.CandidateFactory,
    factories.ApplicationFactory,
    factories.InterviewFactory,
    factories.DecisionFactory,
    factories.ScorecardFactory,
    factories.RatingFactory,
    factories.SignalCheckFactory,
]


@pytest.mark.parametrize("factory", MODEL_FACTORIES, ids=lambda f: f.__name__)
def test_staff_can_use_the_admin_for_every_model(admin_client, factory):
    obj = factory()
    meta = obj._meta
    changelist = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert changelist.status_code == 200
    assert f"/{obj.pk}/change/" in changelist.content.decode()
    change = admin_client.get(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    )
    assert change.status_code == 200
    # The rows of a frozen revision open read-only ("View"; see the tests below).
    body = change.content.decode()
    assert f"Change {meta.verbose_name}" in body or f"View {meta.verbose_name}" in body


def test_recruiter_staff_sees_admin_within_group_permissions(client):
    recruiter = factories.RecruiterFactory(is_staff=True)
    client.force_login(recruiter)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Candidates" in index
    role = factories.RoleFactory()
    assert client.get(reverse("admin:roles_role_change", args=[role.pk])).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


@pytest.mark.parametrize("status", ["published", "archived"])
def test_the_admin_cannot_change_the_rows_of_a_frozen_revision(admin_client, status):
    """Scorecards were filled against them; the app changes them only through a new draft."""
    dimension = factories.DimensionFactory(revision__status=status, weight=40)
    url = reverse("admin:roles_dimension_change", args=[dimension.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="weight"' not in page.content.decode()  # shown read-only
    response = admin_client.post(url, {"name": "Changed", "weight": "60", "order": "0"})
    assert response.status_code == 403
    dimension.refresh_from_db()
    assert (dimension.name != "Changed", dimension.weight) == (True, 40)
    delete = reverse("admin:roles_dimension_delete", args=[dimension.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    revision_page = admin_client.get(
        reverse("admin:roles_rolerevision_change", args=[dimension.revision_id])
    ).content.decode()
    assert "dimensions-0-weight" not in revision_page


def test_the_admin_still_edits_the_rows_of_an_unused_draft(admin_client):
    dimension = factories.DimensionFactory(revision__status="draft", weight=40)
    page = admin_client.get(reverse("admin:roles_dimension_change", args=[dimension.pk]))
    assert 'name="weight"' in page.content.decode()
    revision_page = admin_client.get(
        reverse("admin:roles_rolerevision_change", args=[dimension.revision_id])
    ).content.decode()
    assert "dimensions-0-weight" in revision_page


def test_admin_pages_name_the_apps_icon_so_the_browser_asks_for_no_favicon_ico(admin_client):
    # Without a <link rel="icon"> a browser requests /favicon.ico, which is a 404 (and a
    # console error) on every admin page; the app's own pages link static/favicon.svg.
    body = admin_client.get(reverse("admin:index")).content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in body
    assert "<title>Site administration |" in body  # the admin's own head stays


# --- who may use the admin at all ------------------------------------------------------


@pytest.fixture
def staff_recruiter(client):
    user = factories.RecruiterFactory(is_staff=True)
    client.force_login(user)
    return client


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize("factory", [factories.InterviewerFactory, factories.HiringManagerFactory])
def test_the_admin_is_not_for_other_groups_even_as_staff(client, factory):
    """Staff status alone opens nothing: the admin lists every row of a model, which only
    a recruiter's scope matches (README, "Running it for a team")."""
    card = factories.ScorecardFactory(summary="Private draft notes")
    user = factory(is_staff=True)
    client.force_login(user)
    for url in (
        reverse("admin:index"),
        reverse("admin:scorecards_scorecard_changelist"),
        change_url(card),
    ):
        response = client.get(url, follow=True)
        body = " ".join(response.content.decode().split())
        assert response.redirect_chain[-1][0].startswith(reverse("admin:login"))
        assert "Private draft notes" not in body
        assert "but are not authorized to access this page" in body
    home = client.get(reverse("home"), follow=True).content.decode()
    assert reverse("admin:index") not in home


def test_a_recruiter_who_is_staff_finds_the_admin_in_the_navigation(staff_recruiter):
    home = staff_recruiter.get(reverse("home"), follow=True).content.decode()
    assert f'href="{reverse("admin:index")}"' in home
