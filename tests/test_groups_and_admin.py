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
    assert f"Change {meta.verbose_name}" in change.content.decode()


def test_recruiter_staff_sees_admin_within_group_permissions(client):
    recruiter = factories.RecruiterFactory(is_staff=True)
    client.force_login(recruiter)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Candidates" in index
    role = factories.RoleFactory()
    assert client.get(reverse("admin:roles_role_change", args=[role.pk])).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
