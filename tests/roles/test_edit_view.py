"""roles:edit: a recruiter edits a draft (dimensions, loop, signals, exercises, settings)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from roles.forms import MAX_ROWS
from roles.models import Dimension, RoleRevision, Signal
from tests import factories
from tests.roles.conftest import editor_data, row_of

pytestmark = pytest.mark.django_db


def edit_url(revision):
    return reverse("roles:edit", args=[revision.role.slug, revision.number])


def names(revision):
    return list(revision.dimensions.order_by("order").values_list("name", flat=True))


def weights(revision):
    return [str(w) for w in revision.dimensions.order_by("order").values_list("weight", flat=True)]


# --- who may -------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, lead_draft):
    response = client.get(edit_url(lead_draft))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post(edit_url(lead_draft), editor_data(lead_draft))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["manager_client", "interviewer_client"])
def test_only_recruiters_may_edit(request, who, lead_draft):
    client = request.getfixturevalue(who)
    before = names(lead_draft)
    data = editor_data(lead_draft)
    data["dimensions-0-name"] = "Hacked"
    assert client.get(edit_url(lead_draft)).status_code == 403
    assert client.post(edit_url(lead_draft), data).status_code == 403
    assert names(lead_draft) == before


def test_wrong_method_is_405(recruiter_client, lead_draft):
    assert recruiter_client.put(edit_url(lead_draft)).status_code == 405
    assert recruiter_client.delete(edit_url(lead_draft)).status_code == 405


def test_unknown_revision_is_404(recruiter_client, lead_draft):
    url = reverse("roles:edit", args=[lead_draft.role.slug, 99])
    assert recruiter_client.get(url).status_code == 404
    assert recruiter_client.get(reverse("roles:edit", args=["nope", 1])).status_code == 404


# --- the page ------------------------------------------------------------------------


def test_edit_page_shows_every_part_with_a_live_weight_total(recruiter_client, lead_draft):
    body = recruiter_client.get(edit_url(lead_draft)).content.decode()
    assert 'value="Production AI system design"' in body
    assert f'hx-post="{reverse("roles:weight_total")}"' in body
    assert 'hx-trigger="input delay:300ms"' in body
    assert "Weights total 100" in body
    for heading in ("Scorecard dimensions", "Interview loop", "Signals", "Exercises"):
        assert heading in body
    assert "Recommendation settings" in body
    assert 'name="dimensions-0-anchor_5"' in body and 'name="stages-0-focus_dimensions"' in body
    assert '<template id="dimensions-template">' in body
    assert "Save and publish" in body and "csrfmiddlewaretoken" in body
    assert "js/roles.js" in body


def test_edit_page_makes_a_bounded_number_of_queries(
    recruiter_client, lead_draft, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        recruiter_client.get(edit_url(lead_draft))


# --- saving a draft in place ---------------------------------------------------------


def test_saving_changes_a_draft_in_place(recruiter_client, lead_draft):
    proposed = lead_draft.dimensions.order_by("order").first()
    data = editor_data(lead_draft)
    data.update(
        {
            "dimensions-0-name": "System design",
            "dimensions-0-weight": "25",
            "dimensions-1-weight": "10",
            "dimensions-0-meets_bar": "Sound end-to-end design.",
            "dimensions-0-anchor_1": "No design",
            "dimensions-0-anchor_5": "Teaches us something",
            "dimensions-0-min_score": "3",
            "settings-red_flag_policy": "warn",
            "settings-min_scorecards": "3",
            "settings-min_coverage_percent": "80",
            "settings-strong_hire": "4.5",
            "settings-hire": "3.2",
            "settings-no_hire": "2",
        }
    )
    first_signal = row_of(data, "signals_red_flag", "ORDER", "1")
    data[f"signals_red_flag-{first_signal}-text"] = "Dismisses evaluation entirely."
    dims = list(lead_draft.dimensions.order_by("order"))
    data["stages-0-focus_dimensions"] = [str(dims[4].pk)]
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.status_code == 302 and response.url == edit_url(lead_draft)
    lead_draft.refresh_from_db()
    assert RoleRevision.objects.count() == 1
    first = lead_draft.dimensions.order_by("order").first()
    assert (first.name, first.weight, first.min_score) == ("System design", Decimal("25"), 3)
    # Levels 1 and 5 rewritten; 2 and 4 keep the blueprint's proposal and its source,
    # level 3 (its meets-bar text, retyped) loses its source.
    assert first.anchors == [
        "No design",
        proposed.anchors[1],
        "",
        proposed.anchors[3],
        "Teaches us something",
    ]
    assert first.anchor(3) == "Sound end-to-end design."
    assert first.anchor_sources == [
        "",
        proposed.anchor_sources[1],
        "",
        proposed.anchor_sources[3],
        "",
    ]
    assert proposed.anchor_sources[1].startswith("Weak candidate signals: ")
    assert lead_draft.red_flag_policy == "warn" and lead_draft.min_scorecards == 3
    assert lead_draft.min_coverage == Decimal("0.80")
    assert lead_draft.thresholds == {"strong_hire": "4.5", "hire": "3.2", "no_hire": "2"}
    stage = lead_draft.stages.order_by("order").first()
    assert list(stage.focus_dimensions.all()) == [dims[4]]
    assert lead_draft.signals.filter(text="Dismisses evaluation entirely.").exists()
    page = recruiter_client.get(response.url).content.decode()
    assert "Saved revision 1 (draft)." in page


def test_dimensions_can_be_reordered_and_added(recruiter_client, lead_draft):
    data = editor_data(lead_draft)
    data["dimensions-0-ORDER"] = "9"  # first goes last
    data.update(
        {
            "dimensions-TOTAL_FORMS": "9",
            "dimensions-8-name": "Product sense",
            "dimensions-8-weight": "0",
            "dimensions-8-meets_bar": "Knows why the feature matters.",
            "dimensions-8-ORDER": "",
        }
    )
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.status_code == 302
    order = names(lead_draft)
    assert order[-1] == "Product sense"
    assert order[-2] == "Production AI system design"
    assert order[0] == "Software engineering quality"


def _posted(response) -> dict:
    """The form a page shows (its editor's bound data) as the browser would post it."""
    return {key: values for key, values in response.context["editor"].settings.data.lists()}


def _ordered(revision, related: str, field: str = "name", **filters) -> list[str]:
    rows = getattr(revision, related).filter(**filters).order_by("order", "id")
    return list(rows.values_list(field, flat=True))


def test_move_up_without_javascript_shows_the_row_moved_and_saving_stores_the_order(
    recruiter_client, lead_draft
):
    before = names(lead_draft)
    data = editor_data(lead_draft)
    data["move"] = "dimensions-2:up"
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.status_code == 200
    assert names(lead_draft) == before  # nothing saved yet
    body = response.content.decode()
    # The row is now second on the page, and its "Move up" button has the focus.
    assert body.index(f'value="{escape(before[2])}"') < body.index(f'value="{escape(before[1])}"')
    assert re.search(r'value="dimensions-1:up"[^>]*autofocus', body)
    assert body.count("autofocus") == 1
    posted = _posted(response)
    del posted["move"]
    posted["save"] = "1"
    recruiter_client.post(edit_url(lead_draft), posted)
    assert names(lead_draft) == [before[0], before[2], before[1], *before[3:]]


def test_move_down_reorders_stages_and_signals(recruiter_client, lead_draft):
    stages = _ordered(lead_draft, "stages")
    red = _ordered(lead_draft, "signals", "text", kind="red_flag")
    data = editor_data(lead_draft)
    data["move"] = "stages-0:down"
    posted = _posted(recruiter_client.post(edit_url(lead_draft), data))
    posted["move"] = f"signals_red_flag-{row_of(data, 'signals_red_flag', 'ORDER', '1')}:down"
    posted = _posted(recruiter_client.post(edit_url(lead_draft), posted))
    del posted["move"]
    recruiter_client.post(edit_url(lead_draft), posted)
    assert _ordered(lead_draft, "stages") == [stages[1], stages[0], *stages[2:]]
    assert _ordered(lead_draft, "signals", "text", kind="red_flag") == [red[1], red[0], *red[2:]]
    # A stage keeps its focus dimensions wherever it moves.
    moved = lead_draft.stages.get(name=stages[0])
    assert moved.order == 1 and moved.focus_dimensions.exists()


@pytest.mark.parametrize("move", ["dimensions-0:up", "dimensions-99:up", "nothing-1:up", "x"])
def test_a_move_that_goes_nowhere_changes_and_saves_nothing(recruiter_client, lead_draft, move):
    before = names(lead_draft)
    data = editor_data(lead_draft)
    data["dimensions-0-name"] = "Typed, not saved"
    data["move"] = move
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.status_code == 200
    assert names(lead_draft) == before
    assert 'value="Typed, not saved"' in response.content.decode()


def test_the_editor_folds_long_parts_unless_they_hold_a_problem(recruiter_client, lead_draft):
    body = recruiter_client.get(edit_url(lead_draft)).content.decode()
    assert body.count('<details class="mb-4 editor-section" open>') == 2  # dimensions, loop
    assert body.count('<details class="mb-4 editor-section">') == 4
    data = editor_data(lead_draft)
    data["exercises-0-title"] = ""
    body = recruiter_client.post(edit_url(lead_draft), data).content.decode()
    assert body.count('<details class="mb-4 editor-section" open>') == 3


@pytest.mark.parametrize("position", ["0", "-1", str(MAX_ROWS + 1), str(10**30)])
def test_a_position_out_of_range_is_refused_beside_its_row(recruiter_client, lead_draft, position):
    before = names(lead_draft)
    data = editor_data(lead_draft)
    data["dimensions-0-ORDER"] = position
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.status_code == 400
    assert f"Give a position from 1 to {MAX_ROWS}." in response.content.decode()
    assert names(lead_draft) == before


def test_an_untouched_extra_row_is_ignored(recruiter_client, lead_draft):
    data = editor_data(lead_draft)
    data["dimensions-TOTAL_FORMS"] = "9"
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.status_code == 302
    assert lead_draft.dimensions.count() == 8


def test_stages_and_signals_can_be_added(recruiter_client, lead_draft):
    data = editor_data(lead_draft)
    dim = lead_draft.dimensions.order_by("order").last()
    data.update(
        {
            "stages-TOTAL_FORMS": "5",
            "stages-4-name": "Leadership conversation",
            "stages-4-duration_minutes": "45",
            "stages-4-exercise": "",
            "stages-4-focus_dimensions": [str(dim.pk)],
            "signals_weak-TOTAL_FORMS": str(int(data["signals_weak-TOTAL_FORMS"]) + 1),
        }
    )
    new_signal = int(data["signals_weak-TOTAL_FORMS"]) - 1
    data[f"signals_weak-{new_signal}-text"] = "Cannot explain their own project."
    assert recruiter_client.post(edit_url(lead_draft), data).status_code == 302
    stage = lead_draft.stages.get(name="Leadership conversation")
    assert stage.order == 4 and stage.duration_minutes == 45
    assert list(stage.focus_dimensions.all()) == [dim]
    signal = lead_draft.signals.get(text="Cannot explain their own project.")
    assert signal.kind == Signal.Kind.WEAK


def test_invalid_input_saves_nothing_and_marks_the_problems(recruiter_client, lead_draft):
    data = editor_data(lead_draft)
    data.update(
        {
            "dimensions-0-weight": "abc",
            "dimensions-1-name": "",
            "dimensions-2-name": "Modeling competence",
            "settings-strong_hire": "2",
            "settings-hire": "3",
            "exercises-0-duration_min": "90",
            "exercises-0-duration_max": "60",
        }
    )
    before = (names(lead_draft), weights(lead_draft))
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was saved: please correct the" in body
    assert "Enter a number." in body and "This field is required." in body
    assert "Two dimensions are called “Modeling competence”" in body
    assert "Thresholds must go down" in body
    assert "The longest duration is shorter than the shortest." in body
    assert "is-invalid" in body
    assert (names(lead_draft), weights(lead_draft)) == before


def test_without_javascript_add_posts_back_with_one_more_row(recruiter_client, lead_draft):
    data = editor_data(lead_draft)
    data["dimensions-0-name"] = "Typed but not saved"
    data["add"] = "dimensions"
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="dimensions-8-name"' in body
    assert 'value="Typed but not saved"' in body
    assert "Typed but not saved" not in names(lead_draft)


def test_import_warnings_are_dismissed_with_the_reasons_given_when_saving(
    recruiter_client, recruiter, lead_draft
):
    first, *others = lead_draft.open_warnings()
    page = recruiter_client.get(edit_url(lead_draft)).content.decode()
    assert f"{1 + len(others)} import warnings are open" in page
    data = editor_data(lead_draft)
    data[f"warnings-reason_{first.key}"] = "  Checked: the system design case covers MLOps.  "
    recruiter_client.post(edit_url(lead_draft), data)
    dismissal = lead_draft.warning_dismissals.get()
    assert (dismissal.key, dismissal.text) == (first.key, first.text)
    assert dismissal.reason == "Checked: the system design case covers MLOps."
    assert dismissal.dismissed_by == recruiter
    assert lead_draft.open_warnings() == others
    assert lead_draft.import_warnings == [first.text] + [w.text for w in others]  # as imported
    page = recruiter_client.get(edit_url(lead_draft)).content.decode()
    assert f"{len(others)} import warnings are open" in page
    assert escape(first.text) not in page and escape(others[0].text) in page
    for warning in others[1:]:
        lead_draft.dismiss_warnings({warning.key: "Checked"}, by=recruiter)
    page = recruiter_client.get(edit_url(lead_draft)).content.decode()
    assert "1 import warning is open" in page and "1 import warning are" not in page


def test_a_too_long_reason_is_refused_and_nothing_is_saved(recruiter_client, lead_draft):
    warning = lead_draft.open_warnings()[0]
    data = editor_data(lead_draft)
    data["dimensions-0-name"] = "Renamed"
    data[f"warnings-reason_{warning.key}"] = "x" * 1001
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.status_code == 400
    assert "at most 1000 characters" in response.content.decode()
    assert lead_draft.warning_dismissals.count() == 0
    assert names(lead_draft)[0] == "Production AI system design"


# --- removing ------------------------------------------------------------------------


def test_removing_asks_for_confirmation_first(recruiter_client, lead_draft):
    data = editor_data(lead_draft)
    data["dimensions-7-DELETE"] = "on"
    data["exercises-0-DELETE"] = "on"
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Remove 2 items?" in body
    assert "dimension “Leadership &amp; influence”" in body
    assert "exercise “System design case”" in body
    assert lead_draft.dimensions.count() == 8
    data["confirm_remove"] = "save"
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.status_code == 302
    assert "Leadership & influence" not in names(lead_draft)
    assert lead_draft.exercises.count() == 3
    stage = lead_draft.stages.get(name="System design case")
    assert stage.exercise is None  # the stage stays, without its removed exercise
    all_focus = Dimension.objects.filter(focus_of__revision=lead_draft)
    assert not all_focus.filter(name="Leadership & influence").exists()


def test_a_dimension_with_ratings_cannot_be_removed(recruiter_client, lead_draft):
    dimension = lead_draft.dimensions.order_by("order").last()
    factories.RatingFactory(dimension=dimension)  # on another revision's scorecard
    data = editor_data(lead_draft)
    data["dimensions-7-DELETE"] = "on"
    data["confirm_remove"] = "save"
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.status_code == 400
    assert (
        "“Leadership &amp; influence” has ratings on scorecards, so it cannot be removed."
        in response.content.decode()
    )
    assert lead_draft.dimensions.filter(pk=dimension.pk).exists()


# --- frozen and published revisions become new drafts --------------------------------


def test_editing_a_revision_an_application_uses_makes_a_new_draft(recruiter_client, lead_draft):
    application = factories.ApplicationFactory(revision=lead_draft)
    before = (names(lead_draft), weights(lead_draft))
    data = editor_data(lead_draft)
    data["dimensions-0-weight"] = "30"
    data["dimensions-1-weight"] = "5"
    data["dimensions-7-DELETE"] = "on"
    data["confirm_remove"] = "save"
    dims = list(lead_draft.dimensions.order_by("order"))
    data["stages-0-focus_dimensions"] = [str(dims[7].pk), str(dims[2].pk)]
    body = recruiter_client.get(edit_url(lead_draft)).content.decode()
    assert "saving creates a new draft revision" in body
    response = recruiter_client.post(edit_url(lead_draft), data)
    copy = RoleRevision.objects.get(number=2)
    assert response.url == edit_url(copy)
    assert copy.is_draft and copy.based_on == lead_draft
    # The old revision is exactly as it was; the application still uses it.
    assert (names(lead_draft), weights(lead_draft)) == before
    application.refresh_from_db()
    assert application.revision == lead_draft
    # The copy has the edits, applied to its own rows.
    assert weights(copy)[:2] == ["30.00", "5.00"]
    assert "Leadership & influence" not in names(copy)
    stage = copy.stages.order_by("order").first()
    assert [d.name for d in stage.focus_dimensions.all()] == [dims[2].name]
    assert stage.focus_dimensions.get().revision == copy
    page = recruiter_client.get(response.url).content.decode()
    assert "Revision 1 is used by applications, so it stays as it was" in page


def test_editing_a_published_revision_makes_a_new_draft(recruiter_client, lead_published):
    data = editor_data(lead_published)
    data["dimensions-0-name"] = "Design"
    response = recruiter_client.post(edit_url(lead_published), data)
    copy = RoleRevision.objects.get(number=2)
    assert response.url == edit_url(copy)
    lead_published.refresh_from_db()
    assert lead_published.status == RoleRevision.Status.PUBLISHED
    assert names(lead_published)[0] == "Production AI system design"
    assert names(copy)[0] == "Design"


def test_invalid_edit_of_a_frozen_revision_creates_no_copy(recruiter_client, lead_published):
    data = editor_data(lead_published)
    data["dimensions-0-weight"] = "-1"
    assert recruiter_client.post(edit_url(lead_published), data).status_code == 400
    assert RoleRevision.objects.count() == 1


# --- save and publish ----------------------------------------------------------------


def test_save_and_publish_is_refused_until_weights_total_100(recruiter_client, lead_draft):
    data = editor_data(lead_draft)
    data["dimensions-0-weight"] = "10"
    data["publish"] = "1"
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.url == edit_url(lead_draft)
    lead_draft.refresh_from_db()
    assert lead_draft.is_draft and weights(lead_draft)[0] == "10.00"
    page = recruiter_client.get(response.url).content.decode()
    assert "Saved, but not published. Revision 1 cannot be published yet." in page
    assert "The dimension weights total 90, not 100." in page
    data["dimensions-1-weight"] = "25"
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.url == edit_url(lead_draft)  # the weights total 100; warnings are open
    page = recruiter_client.get(response.url).content.decode()
    assert f"{len(lead_draft.open_warnings())} import warnings are still open" in page
    for warning in lead_draft.open_warnings():
        data[f"warnings-reason_{warning.key}"] = "Checked against the blueprint."
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.url == lead_draft.get_absolute_url()
    lead_draft.refresh_from_db()
    assert lead_draft.status == RoleRevision.Status.PUBLISHED


def test_save_and_publish_is_refused_while_a_stage_has_no_focus(recruiter_client, lead_draft):
    data = editor_data(lead_draft)
    data["stages-1-focus_dimensions"] = []
    data["publish"] = "1"
    response = recruiter_client.post(edit_url(lead_draft), data)
    page = recruiter_client.get(response.url).content.decode()
    assert "Every stage needs at least one focus dimension" in page
    lead_draft.refresh_from_db()
    assert lead_draft.is_draft


# --- hostile input -------------------------------------------------------------------


def test_an_empty_or_tampered_post_is_refused_without_error(recruiter_client, lead_draft):
    response = recruiter_client.post(edit_url(lead_draft), {})
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    data = editor_data(lead_draft)
    data["dimensions-TOTAL_FORMS"] = "100000"
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.status_code == 400
    assert lead_draft.dimensions.count() == 8


def test_a_forged_row_id_never_touches_another_revision(recruiter_client, lead_draft):
    other = factories.DimensionFactory(name="Someone else's", weight=50)
    data = editor_data(lead_draft)
    data["dimensions-0-id"] = str(other.pk)
    data["dimensions-0-name"] = "Overwritten?"
    recruiter_client.post(edit_url(lead_draft), data)
    other.refresh_from_db()
    assert (other.name, other.weight) == ("Someone else's", 50)
    assert other.revision != lead_draft


def test_focus_on_another_revisions_dimension_is_refused(recruiter_client, lead_draft):
    other = factories.DimensionFactory()
    data = editor_data(lead_draft)
    data["stages-0-focus_dimensions"] = [str(other.pk)]
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_a_threshold_off_the_rating_scale_is_refused_by_the_one_check(recruiter_client, lead_draft):
    data = editor_data(lead_draft)
    data["settings-strong_hire"] = "6"
    response = recruiter_client.post(edit_url(lead_draft), data)
    assert response.status_code == 400
    assert "The strong hire threshold must lie between 1 and 5." in response.content.decode()
    lead_draft.refresh_from_db()
    assert lead_draft.thresholds["strong_hire"] != "6"
