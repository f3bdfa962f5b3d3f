"""RoleRevision state changes: publishing, archiving, frozen revisions."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from roles.models import PublishError, RoleRevision
from roles.weights import format_percent
from tests import factories

pytestmark = pytest.mark.django_db


def make_draft(weights=(60, 40), focus=True, role=None):
    revision = factories.RoleRevisionFactory(
        status=RoleRevision.Status.DRAFT, **({"role": role} if role else {})
    )
    dims = [factories.DimensionFactory(revision=revision, weight=w) for w in weights]
    factories.InterviewStageFactory(
        revision=revision, name="Case study", focus_dimensions=dims[:1] if focus else []
    )
    return revision


def test_publish_sets_status_time_and_publisher():
    recruiter = factories.RecruiterFactory()
    draft = make_draft()
    assert draft.publish_problems() == []
    assert draft.publish(by=recruiter) is None
    draft.refresh_from_db()
    assert draft.status == RoleRevision.Status.PUBLISHED
    assert draft.published_by == recruiter and draft.published_at is not None


def test_publish_archives_the_previous_published_revision_but_applications_keep_it():
    old = make_draft()
    old.publish()
    application = factories.ApplicationFactory(revision=old)
    new = make_draft(role=old.role)
    assert new.publish() == old
    old.refresh_from_db()
    application.refresh_from_db()
    assert old.status == RoleRevision.Status.ARCHIVED
    assert application.revision == old
    assert list(old.role.revisions.published()) == [new]


@pytest.mark.parametrize(
    ("weights", "focus", "problem"),
    [
        ((60, 30), True, "The dimension weights total 90, not 100."),
        ((60, 40.5), True, "The dimension weights total 100.5, not 100."),
        ((60, 40), False, "“Case study” has none."),
    ],
)
def test_publish_is_refused_until_weights_total_100_and_every_stage_has_focus(
    weights, focus, problem
):
    draft = make_draft(weights=[Decimal(str(w)) for w in weights], focus=focus)
    assert any(problem in p for p in draft.publish_problems())
    with pytest.raises(PublishError, match="cannot be published yet"):
        draft.publish()
    draft.refresh_from_db()
    assert draft.is_draft


def test_a_revision_without_dimensions_or_stages_cannot_be_published():
    draft = factories.RoleRevisionFactory(status=RoleRevision.Status.DRAFT)
    assert draft.publish_problems() == [
        "The scorecard has no dimensions.",
        "The interview loop has no stages.",
    ]


def test_second_publisher_of_the_same_draft_gets_a_clear_refusal():
    first, second = factories.RecruiterFactory(first_name="Rita", last_name="R"), None
    draft = make_draft()
    stale = RoleRevision.objects.get(pk=draft.pk)  # the second recruiter's copy
    draft.publish(by=first)
    with pytest.raises(PublishError, match="already published by Rita R at "):
        stale.publish(by=second)
    assert RoleRevision.objects.filter(status="published").count() == 1


def test_an_archived_revision_cannot_be_published_again():
    draft = make_draft()
    draft.status = RoleRevision.Status.ARCHIVED
    draft.save()
    with pytest.raises(PublishError, match="archived"):
        draft.publish()


def test_a_revision_used_by_an_application_is_frozen_and_not_editable():
    draft = make_draft()
    assert not draft.is_frozen() and draft.is_editable()
    factories.ApplicationFactory(revision=draft)
    assert draft.is_frozen() and not draft.is_editable()


def test_published_revisions_are_not_editable_in_place():
    draft = make_draft()
    draft.publish()
    assert not draft.is_editable()


def test_format_percent_drops_useless_zeros():
    assert [format_percent(Decimal(x)) for x in ("100.00", "87.50", "12.25", "0")] == [
        "100",
        "87.5",
        "12.25",
        "0",
    ]


# scoring settings: one check (roles.scoring_policy), the same in the model, the editor
# and the import of an export


def test_new_revisions_get_the_scoring_defaults():
    policy = factories.RoleRevisionFactory().scoring_policy()
    assert policy.thresholds == {
        "strong_hire": Decimal(4),
        "hire": Decimal(3),
        "no_hire": Decimal(2),
    }
    assert (policy.red_flag_policy, policy.min_scorecards) == ("veto", 2)
    assert policy.min_coverage == Decimal("0.7")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"thresholds": {"strong_hire": "2", "hire": "3"}}, "Thresholds must go down"),
        ({"thresholds": {"hire": "7"}}, "The hire threshold must lie between 1 and 5"),
        ({"min_scorecards": 0}, "The minimum of submitted scorecards must lie between 1 and 50"),
    ],
)
def test_clean_refuses_unusable_scoring_settings(fields, message):
    revision = factories.RoleRevisionFactory()
    for name, value in fields.items():
        setattr(revision, name, value)
    with pytest.raises(ValidationError, match=message):
        revision.full_clean()
