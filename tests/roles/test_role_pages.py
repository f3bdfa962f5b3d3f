"""The role library list and role page: what recruiters and hiring managers see."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from roles.models import Dimension, Role, RoleRevision, Signal
from roles.services import clone_revision
from tests import factories
from tests.roles.conftest import F002, import_file, import_reviewed
from tests.scorecards.builders import build_loop

pytestmark = pytest.mark.django_db


def make_role(title="Lead AI Engineer", dimensions=3):
    revision = factories.RoleRevisionFactory(
        role__title=title, role__slug=title.lower().replace(" ", "-")
    )
    weights = [40, 30, 30] + [0] * (dimensions - 3)
    dims = [factories.DimensionFactory(revision=revision, weight=w) for w in weights]
    factories.InterviewStageFactory(revision=revision, focus_dimensions=dims[:1])
    factories.SignalFactory(revision=revision, kind=Signal.Kind.RED_FLAG, text="Blames others")
    return revision


def test_role_list_shows_counts_and_no_weight_total_that_reads_100(recruiter_client):
    revision = make_role()
    body = recruiter_client.get(reverse("roles:list")).content.decode()
    assert "Lead AI Engineer" in body
    assert '<td class="text-end">3</td>' in body  # dimensions
    assert "Weight total" not in body and 'data-testid="weight-total"' not in body
    assert f"r{revision.number} published" in body


def open_applications_cell(body: str, title: str) -> str:
    row = next(r for r in _rows(body) if title in r)
    return row.split('data-testid="open-applications">')[1].split("</td>")[0]


def test_role_list_counts_open_applications_and_links_to_each_pipeline(recruiter_client):
    revision = make_role()
    newer = clone_revision(revision, None)
    RoleRevision.objects.filter(pk=newer.pk).update(status=RoleRevision.Status.PUBLISHED)
    # Open on either revision counts; closed ones do not.
    factories.ApplicationFactory.create_batch(2, revision=revision)
    factories.ApplicationFactory(revision=newer)
    for status in ("hired", "rejected", "withdrawn"):
        factories.ApplicationFactory(revision=revision, status=status)
    quiet = make_role("Quiet role")
    factories.ApplicationFactory(revision=quiet, status="hired")
    body = recruiter_client.get(reverse("roles:list")).content.decode()
    cell = open_applications_cell(body, "Lead AI Engineer")
    assert cell.startswith("3 ·")
    assert f'href="{reverse("hiring:pipeline", args=[revision.role.slug])}"' in cell
    assert open_applications_cell(body, "Quiet role").startswith("0 ·")


def test_a_hiring_manager_sees_their_own_open_applications_and_an_interviewer_none(
    client, hiring_manager, interviewer
):
    revision = make_role()
    factories.ApplicationFactory(revision=revision, hiring_manager=hiring_manager)
    factories.ApplicationFactory.create_batch(2, revision=revision)
    factories.InterviewFactory(
        application__revision=revision, stage=revision.stages.first(), interviewer=interviewer
    )
    client.force_login(hiring_manager)
    body = client.get(reverse("roles:list")).content.decode()
    assert "Your open applications" in body
    assert open_applications_cell(body, "Lead AI Engineer").startswith("1 ·")
    client.force_login(interviewer)
    body = client.get(reverse("roles:list")).content.decode()
    assert "open applications" not in body.lower()
    assert reverse("hiring:pipeline", args=[revision.role.slug]) not in body


def test_role_list_flags_a_weight_total_other_than_100(recruiter_client):
    revision = factories.RoleRevisionFactory(status="draft", role__title="Draft role")
    factories.DimensionFactory(revision=revision, weight=Decimal("87.5"))
    body = recruiter_client.get(reverse("roles:list")).content.decode()
    assert "weights total 87.5, not 100" in body


def test_role_list_queries_do_not_grow_with_roles(recruiter_client, django_assert_max_num_queries):
    for n in range(3):
        make_role(f"Role {n}")
    for revision in RoleRevision.objects.all():
        factories.ApplicationFactory(revision=revision)
    with django_assert_max_num_queries(8) as small:
        recruiter_client.get(reverse("roles:list"))
    for n in range(3, 12):
        revision = make_role(f"Role {n}", dimensions=8)
        factories.ApplicationFactory.create_batch(2, revision=revision)
    with django_assert_max_num_queries(len(small.captured_queries)):
        recruiter_client.get(reverse("roles:list"))


def test_role_page_shows_scorecard_loop_and_signals(manager_client):
    revision = make_role()
    body = manager_client.get(reverse("roles:detail", args=[revision.role.slug])).content.decode()
    assert "Blames others" in body
    assert "Stage" in body and "Focus dimensions" in body
    assert revision.dimensions.first().name in body


def test_unknown_role_and_revision_answer_404(recruiter_client):
    revision = make_role()
    assert recruiter_client.get(reverse("roles:detail", args=["nope"])).status_code == 404
    url = reverse("roles:detail", args=[revision.role.slug])
    assert recruiter_client.get(url + "?revision=99").status_code == 404
    # Not a number (Unicode digits included: "²".isdigit() is true): 400, saying why.
    for garbage in ("abc", "²", "-1", "1.0"):
        response = recruiter_client.get(url, {"revision": garbage})
        assert response.status_code == 400
        assert f"“{garbage}” is not a revision number" in response.content.decode()


# --- added with the import/edit work -------------------------------------------------


def test_recruiters_see_an_import_button_and_hiring_managers_do_not(
    recruiter_client, hiring_manager
):
    make_role()
    import_url = reverse("roles:import")
    assert f'href="{import_url}">Import blueprint</a>' in (
        recruiter_client.get(reverse("roles:list")).content.decode()
    )
    recruiter_client.force_login(hiring_manager)
    assert import_url not in recruiter_client.get(reverse("roles:list")).content.decode()


def test_role_list_shows_a_new_draft_next_to_the_published_revision(recruiter_client):
    published = make_role()
    factories.RoleRevisionFactory(
        role=published.role, number=published.number + 1, status=RoleRevision.Status.DRAFT
    )
    body = recruiter_client.get(reverse("roles:list")).content.decode()
    assert f"r{published.number + 1} draft" in body
    assert f"r{published.number} published" in body


def test_role_page_shows_everything_imported(recruiter_client):
    revision = import_file(F002).revision
    body = recruiter_client.get(revision.get_absolute_url()).content.decode()
    # Competency areas, exercises with durations and look-for items.
    for area in revision.competency_areas.all():
        assert escape(area.name) in body
    for exercise in revision.exercises.all():
        assert escape(exercise.title) in body
        for item in exercise.look_for:
            assert escape(item) in body
    assert "60–90 min" in body
    # Signals grouped green / amber / red.
    for signal in revision.signals.all():
        css = {"strong": "signal-strong", "weak": "signal-weak", "red_flag": "signal-red"}
        assert f'<li class="{css[signal.kind]} mb-1">{escape(signal.text)}</li>' in body
    # The scorecard with weights and the 1-5 anchors, and the loop with its focus.
    assert "Well below bar" in body and "Exceptional" in body
    assert "Meets bar: <span" in body
    assert "Interview loop" in body and "System design case" in body
    for warning in revision.import_warnings:
        assert escape(warning) in body
    assert "Revision history" in body


def test_recruiters_get_edit_and_publish_on_a_draft(recruiter_client):
    revision = import_reviewed(F002).revision
    body = recruiter_client.get(revision.get_absolute_url()).content.decode()
    assert reverse("roles:edit", args=[revision.role.slug, 1]) in body
    assert f'action="{reverse("roles:publish", args=[revision.role.slug, 1])}"' in body
    assert "This draft is ready to publish." in body


def test_a_draft_that_cannot_be_published_says_why(recruiter_client):
    revision = make_role()
    revision.status = RoleRevision.Status.DRAFT
    revision.save()
    factories.InterviewStageFactory(revision=revision, name="Empty stage")
    body = recruiter_client.get(revision.get_absolute_url()).content.decode()
    assert "Before this draft can be published" in body
    assert "“Empty stage” has none." in body


def test_hiring_managers_get_no_edit_or_publish_buttons(manager_client):
    revision = import_file(F002).revision
    body = manager_client.get(revision.get_absolute_url()).content.decode()
    assert reverse("roles:edit", args=[revision.role.slug, 1]) not in body
    assert reverse("roles:publish", args=[revision.role.slug, 1]) not in body
    assert "Export JSON" not in body


def test_published_revision_offers_edit_as_new_draft_only(recruiter_client):
    revision = import_reviewed(F002, publish=True).revision
    body = recruiter_client.get(revision.get_absolute_url()).content.decode()
    assert "Edit as new draft" in body
    assert reverse("roles:publish", args=[revision.role.slug, 1]) not in body


def test_role_page_shows_the_published_revision_and_the_history(recruiter_client, recruiter):
    published = import_reviewed(F002, publish=True).revision
    draft = clone_revision(published, recruiter)
    factories.ApplicationFactory(revision=published)
    body = recruiter_client.get(
        reverse("roles:detail", args=[published.role.slug])
    ).content.decode()
    assert "Revision 1 ·" in body
    assert "There is a newer revision" in body and "r2 (draft)" in body
    assert "copied from r1" in body
    assert f"by {recruiter.get_full_name()}" in body
    page = recruiter_client.get(draft.get_absolute_url()).content.decode()
    assert "Revision 2 ·" in page


def test_revision_history_names_who_created_and_published(recruiter_client, recruiter):
    named = factories.UserFactory(first_name="Ada", last_name="Lovelace")
    unnamed = factories.UserFactory(first_name="", last_name="", username="grace")
    published = factories.RoleRevisionFactory(created_by=named, published_by=unnamed)
    published.published_at = published.created_at
    published.save()
    draft = clone_revision(published, recruiter)
    body = recruiter_client.get(draft.get_absolute_url()).content.decode()
    assert " by Ada Lovelace</td>" in body
    assert " by grace</td>" in body
    assert f" by {recruiter.get_full_name()}</td>" in body
    assert f"copied from r{published.number}" in body


def _add_roles(count, dimensions):
    for n in range(count):
        revision = make_role(f"Sized role {dimensions} {n}", dimensions=dimensions)
        factories.CompetencyAreaFactory(revision=revision)
        factories.ExerciseFactory(revision=revision)
        factories.ApplicationFactory(revision=revision)
    return revision


def test_role_page_queries_do_not_grow_with_dimensions_or_revisions(
    recruiter_client, django_assert_max_num_queries
):
    small = _add_roles(1, dimensions=3)
    url = reverse("roles:detail", args=[small.role.slug])
    with django_assert_max_num_queries(11) as captured:
        recruiter_client.get(url)
    big = _add_roles(1, dimensions=25)
    for _ in range(6):
        clone_revision(big, None)
    for _ in range(10):
        factories.InterviewStageFactory(
            revision=big, focus_dimensions=list(big.dimensions.all()[:5])
        )
        factories.SignalFactory(revision=big, kind=Signal.Kind.WEAK)
    url = reverse("roles:detail", args=[big.role.slug]) + "?revision=" + str(big.number)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        body = recruiter_client.get(url).content.decode()
    assert body.count("<tr") > 25


def test_role_list_queries_do_not_grow_with_revisions(
    recruiter_client, django_assert_max_num_queries
):
    _add_roles(2, dimensions=3)
    with django_assert_max_num_queries(8) as captured:
        recruiter_client.get(reverse("roles:list"))
    revision = _add_roles(10, dimensions=12)
    clone_revision(revision, None)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        recruiter_client.get(reverse("roles:list"))


def test_role_page_links_to_the_roles_pipeline(manager_client):
    revision = make_role()
    body = manager_client.get(reverse("roles:detail", args=[revision.role.slug])).content.decode()
    assert f'href="{reverse("hiring:pipeline", args=[revision.role.slug])}"' in body


# --- every change shows at once, and each viewer sees their own page ------------------


def _rows(body: str) -> list[str]:
    return re.findall(r"<tr>.*?</tr>", body.split("<tbody>")[1], re.S)


def test_role_list_shows_every_change_at_once(recruiter_client):
    """Even changes made with update(), which send no signal."""
    revision = factories.RoleRevisionFactory(status="draft", role__title="Alpha role")
    dimension = factories.DimensionFactory(revision=revision, weight=40)
    url = reverse("roles:list")
    body = recruiter_client.get(url).content.decode()
    assert "weights total 40, not 100" in body

    Dimension.objects.filter(pk=dimension.pk).update(weight=100)
    body = recruiter_client.get(url).content.decode()
    assert "weights total" not in body
    Role.objects.filter(pk=revision.role_id).update(title="Beta role")
    RoleRevision.objects.filter(pk=revision.pk).update(
        status=RoleRevision.Status.PUBLISHED, import_warnings=["Check the weights"]
    )
    body = recruiter_client.get(url).content.decode()
    assert "Beta role" in body and "Alpha role" not in body
    assert f"r{revision.number} published" in body
    assert "1 open warning" in body
    factories.RoleRevisionFactory(role__title="Gamma role")
    assert len(_rows(recruiter_client.get(url).content.decode())) == 2


def test_role_list_shows_an_interviewer_no_warnings_after_a_recruiter_saw_them(
    client, recruiter, interviewer
):
    loop = build_loop(interviewer)
    RoleRevision.objects.filter(pk=loop.revision.pk).update(import_warnings=["Odd weights"])
    url = reverse("roles:list")
    client.force_login(recruiter)
    assert "1 open warning" in client.get(url).content.decode()
    client.force_login(interviewer)
    (row,) = _rows(client.get(url).content.decode())
    assert loop.revision.role.title in row
    assert "warning" not in row and row.count("<td") == 4


def test_role_page_shows_a_saved_row_of_a_published_revision_at_once(recruiter_client):
    loop = build_loop()
    url = reverse("roles:detail", args=[loop.revision.role.slug])
    assert "System design" in recruiter_client.get(url).content.decode()
    dimension = loop.dimensions[0]
    dimension.name = "Systems thinking"
    dimension.save()
    loop.other_stage.focus_dimensions.add(loop.dimensions[3])
    body = recruiter_client.get(url).content.decode()
    assert "Systems thinking" in body and "System design<" not in body
    assert body.count("Security mindset</span>") == 1  # the new focus of the other stage


def test_role_page_shows_a_changed_setting_of_a_published_revision(recruiter_client):
    """A data fix (from a shell: the admin shows a published revision read-only) to its
    settings shows."""
    loop = build_loop()
    url = reverse("roles:detail", args=[loop.revision.role.slug])
    assert "needs 2 submitted scorecards" in recruiter_client.get(url).content.decode()
    RoleRevision.objects.filter(pk=loop.revision.pk).update(min_scorecards=3)
    assert "needs 3 submitted scorecards" in recruiter_client.get(url).content.decode()


def test_role_page_shows_an_interviewer_only_their_stages_after_a_recruiter_saw_all(
    client, recruiter, interviewer
):
    loop = build_loop(interviewer)
    url = reverse("roles:detail", args=[loop.revision.role.slug])
    client.force_login(recruiter)
    body = client.get(url).content.decode()
    assert loop.stage.name in body and loop.other_stage.name in body
    client.force_login(interviewer)
    body = client.get(url).content.decode()
    assert loop.stage.name in body and loop.other_stage.name not in body
    client.force_login(recruiter)
    assert loop.other_stage.name in client.get(url).content.decode()


# --- a long library: pages of 25 and a search by title -------------------------------


def test_role_list_shows_25_roles_a_page_with_links_to_the_others(recruiter_client):
    for n in range(27):
        factories.RoleRevisionFactory(role__title=f"Role {n:02d}", role__slug=f"role-{n:02d}")
    url = reverse("roles:list")
    first = recruiter_client.get(url).content.decode()
    assert len(_rows(first)) == 25
    assert "Role 00" in first and "Role 24" in first and "Role 25" not in first
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    second = recruiter_client.get(url + "?page=2").content.decode()
    assert [title in second for title in ("Role 24", "Role 25", "Role 26")] == [False, True, True]
    past_the_end = recruiter_client.get(url + "?page=99")
    assert past_the_end.status_code == 404
    assert "There is no page 99 of this list: it has 2 pages." in past_the_end.content.decode()


def test_role_list_searches_titles(recruiter_client):
    make_role("Lead AI Engineer")
    make_role("Data Analyst")
    body = recruiter_client.get(reverse("roles:list") + "?q=ai+eng").content.decode()
    assert "Lead AI Engineer" in body and "Data Analyst" not in body
    body = recruiter_client.get(reverse("roles:list") + "?q=nothing").content.decode()
    assert "No role matches “nothing”." in body


def test_a_stage_named_after_its_exercise_is_not_written_twice(recruiter_client):
    revision = import_file(F002).revision  # the default loop: one stage per exercise
    body = recruiter_client.get(revision.get_absolute_url()).content.decode()
    table = body[body.index('id="loop-heading"') : body.index('id="scorecard-heading"')]
    for stage in revision.stages.select_related("exercise"):
        assert stage.exercise.title == stage.name
        assert table.count(escape(stage.name)) == 1
        # Its exercise is linked, and found under "Exercises" with its brief.
        assert f'href="#exercise-{stage.exercise.pk}"' in table
        assert f'id="exercise-{stage.exercise.pk}"' in body


def test_a_stage_with_an_exercise_of_another_name_names_it(recruiter_client):
    loop = build_loop()
    body = recruiter_client.get(loop.revision.get_absolute_url()).content.decode()
    table = body[body.index('id="loop-heading"') : body.index('id="scorecard-heading"')]
    assert f'<a href="#exercise-{loop.exercise.pk}" data-testid="stage-exercise">' in table
    assert "Streaming pipeline case</a>" in table
