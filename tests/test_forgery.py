"""Cross-object forgery: ids of someone else's objects posted into every form that takes
ids. Each forged post is refused clearly (a form error or 404), or the forged field is
ignored, and the database is left exactly as it was (or changed only on the object the
URL names).

Already covered elsewhere, and not repeated here:
- tests/scorecards/test_fill.py::test_a_dimension_or_signal_of_another_role_is_refused_and_
  changes_nothing (scorecards:fill: another role's dimension and signal, an unknown id,
  plain post and autosave), ::test_another_interviewers_interview_id_is_not_found;
  tests/scorecards/test_models.py::test_foreign_ids_are_refused_by_the_model_too.
- tests/hiring/test_loop.py::test_assignment_refuses_stages_of_other_roles_non_interviewers_
  and_bad_times (interview_add: another role's stage, a non-interviewer),
  ::test_recruiter_reschedules_and_cannot_move_a_started_card (interview_edit: stage and
  interviewer are fixed once a card exists), ::test_remove_an_interviewer_only_before_a_
  card_exists, ::test_a_closed_applications_loop_cannot_be_changed_or_removed.
- tests/roles/test_edit_view.py::test_a_forged_row_id_never_touches_another_revision
  (another revision's dimension id), ::test_focus_on_another_revisions_dimension_is_refused,
  ::test_an_empty_or_tampered_post_is_refused_without_error.
- tests/hiring/test_applications.py::test_draft_revisions_and_non_managers_are_refused
  (application_add: a draft revision, a hiring manager who is not one).
- tests/hiring/test_people.py::test_a_forged_id_is_refused_clearly (interview_add: the
  id of an inactive interviewer or a hiring manager, posted as the field or as the
  picked match of the person picker).
- tests/hiring/test_decisions.py::test_another_hiring_manager_gets_404 (decide on another
  manager's application), ::test_recruiter_may_not_decide.
- tests/scorecards/test_detail.py::test_reopen_answers_anonymous_get_and_drafts_correctly
  (reopening a draft), ::test_only_recruiters_may_reopen.
- tests/roles/test_import_view.py::test_a_forged_token_gets_a_clear_message,
  ::test_another_users_preview_token_does_not_work (the import confirm step).
- tests/test_access_matrix.py: every object outside a user's scope answers 404 (or 403)
  with nothing stored, for every URL and method.
The candidate form takes no ids, and the import preview's rows are positions, not ids.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, Decision, Interview
from hiring_site.access import INTERVIEWER
from roles.models import (
    RoleRevision,
    Signal,
)
from scorecards.models import Rating, Scorecard
from tests import factories
from tests.roles.conftest import editor_data
from tests.scorecards.builders import build_loop, complete_post

pytestmark = pytest.mark.django_db

MODELS = factories.MODELS


def database() -> dict:
    """Every row of the main models, to compare before and after a forged post."""
    return {model.__name__: list(model.objects.order_by("pk").values_list()) for model in MODELS}


def when(hours):
    return (timezone.localtime() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def loop(interviewer):
    return build_loop(interviewer)


def newer_revision(loop):
    """The next revision of the loop's role, with rows like the loop's own: the ids a
    forger would most plausibly guess (same role, same names)."""
    role = loop.revision.role
    revision = factories.RoleRevisionFactory(
        role=role, number=role.revisions.order_by("-number").first().number + 1, status="draft"
    )
    dimension = factories.DimensionFactory(revision=revision, name=loop.dimensions[0].name)
    signal = factories.SignalFactory(
        revision=revision, kind=Signal.Kind.RED_FLAG, text=loop.red[0].text
    )
    stage = factories.InterviewStageFactory(
        revision=revision, name=loop.stage.name, focus_dimensions=[dimension]
    )
    return revision, dimension, signal, stage


# --- scorecards:fill ------------------------------------------------------------------------


def fill_url(interview):
    return reverse("scorecards:fill", args=[interview.pk])


def test_fill_refuses_dimensions_and_signals_of_the_roles_other_revision(interviewer_client, loop):
    factories.scorecard_with_ratings(
        loop.interview, {loop.dimensions[0]: 3}, status="draft", recommendation=""
    )
    _revision, dimension, signal, _stage = newer_revision(loop)
    before = database()
    for forged in (
        {f"score_{dimension.id}": "5", f"evidence_{dimension.id}": "forged"},
        {f"signal_{signal.id}": "on", f"note_{signal.id}": "forged"},
    ):
        for extra in ({"action": "save"}, {"action": "submit"}):
            data = {**complete_post(loop, 1), **extra, **forged}
            response = interviewer_client.post(fill_url(loop.interview), data)
            assert response.status_code == 422, (forged, extra)
            assert "not on this scorecard" in response.content.decode()
        autosave = interviewer_client.post(
            fill_url(loop.interview), {**complete_post(loop, 1), **forged}, HTTP_HX_REQUEST="true"
        )
        assert autosave.status_code == 422
    assert database() == before
    assert Scorecard.objects.get(interview=loop.interview).status == "draft"


def test_fill_saves_only_the_card_of_the_interview_in_the_url(interviewer_client, loop):
    other_card = factories.scorecard_with_ratings(loop.other_interview, {loop.dimensions[2]: 4})
    before = list(Rating.objects.filter(scorecard=other_card).values_list())
    data = {
        **complete_post(loop, 0),
        "interview": loop.other_interview.pk,
        "scorecard": other_card.pk,
        "interviewer": loop.other_interview.interviewer_id,
    }
    response = interviewer_client.post(fill_url(loop.interview), data)
    assert response.status_code == 302
    assert Scorecard.objects.get(interview=loop.interview).ratings.count() == 2
    other_card.refresh_from_db()
    assert (other_card.status, other_card.version) == ("submitted", 1)
    assert list(Rating.objects.filter(scorecard=other_card).values_list()) == before


# --- hiring:interview_add / interview_edit / interview_delete -------------------------------


def test_assignment_refuses_a_stage_of_the_roles_other_revision(recruiter_client, loop):
    _revision, _dimension, _signal, stage = newer_revision(loop)
    ivy = factories.InterviewerFactory()
    before = database()
    response = recruiter_client.post(
        reverse("hiring:interview_add", args=[loop.application.pk]),
        {"stage": stage.pk, "interviewer": ivy.pk, "scheduled_at": when(2)},
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert database() == before


def test_assignment_refuses_an_interviewer_whose_account_is_closed(recruiter_client, loop):
    gone = factories.InterviewerFactory(is_active=False)
    before = database()
    response = recruiter_client.post(
        reverse("hiring:interview_add", args=[loop.application.pk]),
        {"stage": loop.stage.pk, "interviewer": gone.pk, "scheduled_at": when(2)},
    )
    assert response.status_code == 422
    assert "That person is not an active interviewer" in response.content.decode()
    assert database() == before


def test_assignment_goes_to_the_application_in_the_url_whatever_the_body_says(
    recruiter_client, loop
):
    other = build_loop()
    ivy = factories.InterviewerFactory()
    others_interviews = list(other.application.interviews.values_list())
    response = recruiter_client.post(
        reverse("hiring:interview_add", args=[loop.application.pk]),
        {
            "stage": loop.stage.pk,
            "interviewer": ivy.pk,
            "scheduled_at": when(2),
            "application": other.application.pk,
        },
    )
    assert response.status_code == 302
    assert Interview.objects.get(interviewer=ivy).application == loop.application
    assert list(other.application.interviews.values_list()) == others_interviews


def test_rescheduling_refuses_a_stage_of_another_application_and_ignores_its_id(
    recruiter_client, loop
):
    other = build_loop()
    interview = loop.other_interview  # no scorecard: its stage could still change
    url = reverse("hiring:interview_edit", args=[interview.pk])
    for foreign_stage in (other.stage, newer_revision(loop)[3]):
        before = database()
        response = recruiter_client.post(
            url,
            {
                "stage": foreign_stage.pk,
                "interviewer": interview.interviewer_id,
                "scheduled_at": when(3),
            },
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert database() == before
    response = recruiter_client.post(
        url,
        {
            "stage": loop.stage.pk,
            "interviewer": interview.interviewer_id,
            "scheduled_at": when(3),
            "application": other.application.pk,
        },
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert (interview.application, interview.stage) == (loop.application, loop.stage)


def test_removing_takes_only_the_interview_in_the_url(recruiter_client, loop):
    other = build_loop()
    response = recruiter_client.post(
        reverse("hiring:interview_delete", args=[loop.other_interview.pk]),
        {"interview": other.interview.pk, "pk": other.interview.pk},
    )
    assert response.status_code == 302
    assert not Interview.objects.filter(pk=loop.other_interview.pk).exists()
    assert Interview.objects.filter(pk=other.interview.pk).exists()
    before = database()
    missing = Interview.objects.order_by("pk").last().pk + 100
    for name in ("hiring:interview_edit", "hiring:interview_delete"):
        assert recruiter_client.post(reverse(name, args=[missing])).status_code == 404
    assert database() == before


# --- roles:edit -------------------------------------------------------------------------------


def revision_with_rows(role_title):
    """A draft revision with one row of every kind the editor holds."""
    revision = factories.RoleRevisionFactory(role__title=role_title, status="draft")
    dims = [
        factories.DimensionFactory(revision=revision, order=0, weight=60),
        factories.DimensionFactory(revision=revision, order=1, weight=40),
    ]
    exercise = factories.ExerciseFactory(revision=revision)
    factories.CompetencyAreaFactory(revision=revision)
    factories.InterviewStageFactory(revision=revision, exercise=exercise, focus_dimensions=dims)
    for kind in Signal.Kind.values:
        factories.SignalFactory(revision=revision, kind=kind)
    return revision


def edit_url(revision):
    return reverse("roles:edit", args=[revision.role.slug, revision.number])


@pytest.fixture
def two_revisions(db):
    return revision_with_rows("Own Role"), revision_with_rows("Other Role")


def forged_rows(own, other):
    """(posted key, the id forged into it) for every id-bearing field of the editor."""
    red_flag = own.signals.get(kind=Signal.Kind.RED_FLAG)
    return [
        ("areas-0-id", other.competency_areas.get().pk),
        ("exercises-0-id", other.exercises.get().pk),
        ("stages-0-id", other.stages.get().pk),
        ("stages-0-exercise", other.exercises.get().pk),
        *[(f"signals_{kind}-0-id", other.signals.get(kind=kind).pk) for kind in Signal.Kind],
        # The revision's own red flag, moved into the strong signals by its id.
        ("signals_strong-0-id", red_flag.pk),
    ]


@pytest.mark.parametrize("row", range(8))
def test_edit_refuses_row_ids_of_another_revision_or_kind(recruiter_client, two_revisions, row):
    own, other = two_revisions
    key, forged_id = forged_rows(own, other)[row]
    data = editor_data(own)
    data[key] = str(forged_id)
    data["dimensions-0-name"] = "Renamed with a forged row"
    before = database()
    response = recruiter_client.post(edit_url(own), data)
    assert response.status_code == 400, key
    assert "Select a valid choice" in response.content.decode()
    assert database() == before


def test_a_forged_row_id_into_a_frozen_revision_makes_no_new_draft(recruiter_client, two_revisions):
    own, other = two_revisions
    RoleRevision.objects.filter(pk=own.pk).update(status="published")
    factories.ApplicationFactory(revision=own)
    before = database()
    for key, forged_id in (
        ("dimensions-0-id", other.dimensions.first().pk),
        ("stages-0-focus_dimensions", other.dimensions.first().pk),
        ("signals_weak-0-id", other.signals.get(kind=Signal.Kind.WEAK).pk),
    ):
        data = editor_data(own)
        data[key] = [str(forged_id)] if key.endswith("focus_dimensions") else str(forged_id)
        response = recruiter_client.post(edit_url(own), data)
        assert response.status_code == 400, key
        assert database() == before


def test_another_roles_revision_number_under_this_roles_slug_is_not_found(
    recruiter_client, two_revisions
):
    own, other = two_revisions
    RoleRevision.objects.filter(pk=other.pk).update(number=own.number + 5)
    url_args = [own.role.slug, own.number + 5]
    before = database()
    assert recruiter_client.get(reverse("roles:edit", args=url_args)).status_code == 404
    assert recruiter_client.post(reverse("roles:edit", args=url_args), {}).status_code == 404
    assert recruiter_client.post(reverse("roles:publish", args=url_args)).status_code == 404
    assert recruiter_client.get(reverse("roles:export", args=url_args)).status_code == 404
    assert database() == before


# --- hiring:application_add -------------------------------------------------------------------


def apply_url(candidate):
    return reverse("hiring:application_add", args=[candidate.pk])


def test_applying_refuses_archived_unknown_and_closed_account_choices(recruiter_client):
    candidate = factories.CandidateFactory()
    manager = factories.HiringManagerFactory()
    published = factories.RoleRevisionFactory()
    archived = factories.RoleRevisionFactory(
        role=published.role, number=published.number + 1, status="archived"
    )
    gone = factories.HiringManagerFactory(is_active=False)
    before = database()
    for data, message in (
        ({"revision": archived.pk, "hiring_manager": manager.pk}, "Select a valid choice"),
        (
            {"revision": RoleRevision.objects.order_by("pk").last().pk + 100, "hiring_manager": 1},
            "Select a valid choice",
        ),
        (
            {"revision": published.pk, "hiring_manager": gone.pk},
            "That person is not an active hiring manager",
        ),
    ):
        response = recruiter_client.post(apply_url(candidate), data)
        assert response.status_code == 200, data
        assert message in response.content.decode()
    assert database() == before


def test_a_picked_match_outside_the_group_is_refused_on_every_person_picker(recruiter_client, loop):
    """The picker's radio buttons post an id (`<field>_pick`): one of someone outside the
    group is refused, whatever the text box says."""
    candidate = factories.CandidateFactory()
    revision = factories.RoleRevisionFactory()
    manager = loop.application.hiring_manager
    ivy = factories.InterviewerFactory(first_name="Ivy", last_name="Quorra")
    before = database()
    for url, data, message in (
        (
            apply_url(candidate),
            {"revision": revision.pk, "hiring_manager": "", "hiring_manager_pick": ivy.pk},
            "That person is not an active hiring manager",
        ),
        (
            apply_url(candidate),
            {
                "revision": revision.pk,
                "hiring_manager": manager.get_full_name(),
                "hiring_manager_pick": ivy.pk,
            },
            "That person is not an active hiring manager",
        ),
        (
            reverse("hiring:interview_add", args=[loop.application.pk]),
            {
                "stage": loop.stage.pk,
                "interviewer": "Ivy Quorra",
                "interviewer_pick": manager.pk,
                "scheduled_at": when(2),
            },
            "That person is not an active interviewer",
        ),
    ):
        response = recruiter_client.post(url, data)
        assert response.status_code in (200, 422), data
        assert message in response.content.decode()
    assert database() == before


def test_applying_ignores_candidate_recruiter_and_status_in_the_body(recruiter_client, recruiter):
    candidate = factories.CandidateFactory()
    someone_else = factories.CandidateFactory()
    other_recruiter = factories.RecruiterFactory()
    manager = factories.HiringManagerFactory()
    published = factories.RoleRevisionFactory()
    response = recruiter_client.post(
        apply_url(candidate),
        {
            "revision": published.pk,
            "hiring_manager": manager.pk,
            "candidate": someone_else.pk,
            "recruiter": other_recruiter.pk,
            "status": "hired",
        },
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.candidate, application.recruiter, application.status) == (
        candidate,
        recruiter,
        "active",
    )
    assert not someone_else.applications.exists()


# --- hiring:decide ----------------------------------------------------------------------------


def test_a_decision_lands_on_the_application_in_the_url_by_the_user_posting(client):
    manager = factories.HiringManagerFactory()
    own = build_loop(hiring_manager=manager).application
    other = build_loop()
    client.force_login(manager)
    response = client.post(
        reverse("hiring:decide", args=[own.pk]),
        {
            "outcome": "hold",
            "rationale": "Waiting for the second card.",
            "application": other.application.pk,
            "decided_by": other.application.hiring_manager_id,
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.application, decision.decided_by) == (own, manager)
    assert not other.application.decisions.exists()


def test_interviewing_on_an_application_gives_no_say_in_its_decision(client):
    """A hiring manager who interviews (card submitted) on someone else's application."""
    manager = factories.HiringManagerFactory()
    manager.groups.add(Group.objects.get(name=INTERVIEWER))
    other = build_loop()
    interview = factories.InterviewFactory(
        application=other.application, stage=other.stage, interviewer=manager
    )
    factories.scorecard_with_ratings(interview, {other.dimensions[0]: 4})
    client.force_login(manager)
    before = database()
    response = client.post(
        reverse("hiring:decide", args=[other.application.pk]),
        {"outcome": "hire", "rationale": "I liked them.", "acknowledge": "on"},
    )
    assert response.status_code == 404
    assert database() == before


# --- scorecards:reopen ------------------------------------------------------------------------


def test_reopen_acts_only_on_the_card_in_the_url(client, loop):
    card = factories.scorecard_with_ratings(loop.interview, {loop.dimensions[0]: 3})
    other = build_loop()
    other_card = factories.scorecard_with_ratings(other.interview, {other.dimensions[0]: 4})
    client.force_login(factories.RecruiterFactory())
    response = client.post(
        reverse("scorecards:reopen", args=[card.pk]),
        {"reason": "Add evidence for Evaluation.", "scorecard": other_card.pk, "pk": other_card.pk},
    )
    assert response.status_code == 302
    card.refresh_from_db()
    other_card.refresh_from_db()
    assert (card.status, card.reopen_reason) == ("draft", "Add evidence for Evaluation.")
    assert (other_card.status, other_card.reopen_reason) == ("submitted", "")
    before = database()
    missing = Scorecard.objects.order_by("pk").last().pk + 100
    response = client.post(reverse("scorecards:reopen", args=[missing]), {"reason": "x"})
    assert response.status_code == 404
    assert database() == before
