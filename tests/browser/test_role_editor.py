"""The role editor and the role page as the recruiter uses them, in Chromium: rows reordered
by dragging and by the keyboard (and without JavaScript), a focused field never hidden under
the sticky save bar, import warnings dismissed with a reason at publishing, and an
interviewer who never sees them."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from hiring_site.management.commands.demo import DEMO_USERS, ensure_demo_users
from roles.models import RoleRevision
from tests import factories
from tests.browser.conftest import assert_accessible, checked_page, login, screenshot
from tests.roles.conftest import F002, import_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What is under the sticky save bar, if anything, of the element that has the focus.
FOCUS_UNDER_BAR = """async () => {
  // Bootstrap scrolls smoothly: wait until the page has stopped moving.
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  let still = 0, last = window.scrollY;
  while (still < 5) {
    await frame();
    still = window.scrollY === last ? still + 1 : 0;
    last = window.scrollY;
  }
  const el = document.activeElement;
  const bar = document.querySelector(".action-bar");
  if (!el || el === document.body || bar.contains(el)) return null;
  const box = el.getBoundingClientRect();
  const barTop = bar.getBoundingClientRect().top;
  return {name: el.name || el.id || el.textContent.trim(), bottom: box.bottom, barTop};
}"""


@pytest.fixture
def draft(db):
    """Lead AI Engineer (file 002), imported as a draft: 8 dimensions, 4 stages, 2 import
    warnings; the demo users exist."""
    ensure_demo_users()
    return import_file(F002).revision


def as_user(page, index: int) -> None:
    username, password = DEMO_USERS[index][:2]
    login(page, username, password)


def edit_url(live_server, revision) -> str:
    return f"{live_server.url}{reverse('roles:edit', args=[revision.role.slug, revision.number])}"


def ordered(revision, related: str) -> list[str]:
    return list(getattr(revision, related).order_by("order", "id").values_list("name", flat=True))


def row_names(page, prefix: str) -> list[str]:
    body = page.locator(f'[data-formset-body="{prefix}"]')
    return body.locator(":scope > [data-row] input[name$='-name']").evaluate_all(
        "inputs => inputs.map(input => input.value)"
    )


def positions(page, prefix: str) -> list[str]:
    body = page.locator(f'[data-formset-body="{prefix}"]')
    return body.locator(":scope > [data-row] .position-input").evaluate_all(
        "inputs => inputs.map(input => input.value)"
    )


def test_recruiter_reorders_by_keyboard_and_by_dragging_then_saves(page, live_server, draft):
    dimensions, stages = ordered(draft, "dimensions"), ordered(draft, "stages")
    as_user(page, 0)
    page.goto(edit_url(live_server, draft))
    page.get_by_role("heading", name="Edit Lead AI Engineer").wait_for()
    assert_accessible(page, "role editor")
    screenshot(page, "role-editor")

    # Keyboard: the third dimension's "Move up", with Enter; the focus stays on the button
    # and the move is announced.
    rows = page.locator('[data-formset-body="dimensions"] > [data-row]')
    move_up = page.locator('button[value="dimensions-2:up"]')  # the third row's, wherever it is
    expect(rows.nth(2).get_by_role("button", name="Move up")).to_have_attribute(
        "value", "dimensions-2:up"
    )
    move_up.focus()
    page.keyboard.press("Enter")
    expect(move_up).to_be_focused()
    expect(page.locator("#move-status")).to_have_text("Moved to position 2 of 8.")
    assert (
        row_names(page, "dimensions")
        == [dimensions[0], dimensions[2], dimensions[1]] + (dimensions[3:])
    )
    assert positions(page, "dimensions") == [str(n) for n in range(1, 9)]
    page.keyboard.press("Enter")  # again: now first
    assert row_names(page, "dimensions")[:2] == [dimensions[2], dimensions[0]]
    page.keyboard.press("Enter")  # at the top already: nothing moves, nothing breaks
    assert row_names(page, "dimensions")[:2] == [dimensions[2], dimensions[0]]

    # Dragging: the last stage by its handle, dropped above the first.
    stage_rows = page.locator('[data-formset-body="stages"] > [data-row]')
    handle = stage_rows.nth(3).locator("[data-drag-handle]")
    expect(handle).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 1600})  # both rows in view
    stage_rows.nth(3).scroll_into_view_if_needed()
    handle.drag_to(stage_rows.nth(0), target_position={"x": 40, "y": 4})
    assert row_names(page, "stages") == [stages[3], *stages[:3]]
    assert positions(page, "stages") == ["1", "2", "3", "4"]
    screenshot(page, "role-editor-reordered")

    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".alert-success").first).to_contain_text("Saved revision 1 (draft).")
    assert (
        ordered(draft, "dimensions")
        == [dimensions[2], dimensions[0], dimensions[1]] + (dimensions[3:])
    )
    assert ordered(draft, "stages") == [stages[3], *stages[:3]]
    # The stages kept their focus dimensions wherever they went.
    assert all(stage.focus_dimensions.exists() for stage in draft.stages.all())


def test_move_buttons_work_without_javascript(browser, live_server, draft):
    dimensions = ordered(draft, "dimensions")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        as_user(page, 0)
        page.goto(edit_url(live_server, draft))
        expect(page.locator("[data-drag-handle]").first).to_be_hidden()  # needs the script
        rows = page.locator('[data-formset-body="dimensions"] > [data-row]')
        # Without the script the button posts the form: wait for the page it comes back
        # with before reading it (read mid-navigation, the rows are not there yet).
        with page.expect_navigation():
            rows.nth(0).get_by_role("button", name="Move down").click()
        # The page comes back with the row moved, nothing saved yet, its button focused.
        expect(rows.nth(1).get_by_role("button", name="Move down")).to_be_focused()
        assert row_names(page, "dimensions")[:2] == [dimensions[1], dimensions[0]]
        assert ordered(draft, "dimensions") == dimensions
        screenshot(page, "role-editor-moved-without-javascript")
        page.get_by_role("button", name="Save draft").click()
        expect(page.locator(".alert-success").first).to_contain_text("Saved revision 1 (draft).")
        assert ordered(draft, "dimensions") == [dimensions[1], dimensions[0], *dimensions[2:]]
    finally:
        context.close()


def test_a_focused_field_is_never_under_the_sticky_save_bar(page, live_server, draft):
    page.set_viewport_size({"width": 1280, "height": 640})
    as_user(page, 0)
    page.goto(edit_url(live_server, draft))
    page.get_by_role("heading", name="Edit Lead AI Engineer").wait_for()
    bar = page.locator(".action-bar")
    expect(bar).to_be_visible()
    # Walk the form with the keyboard from its first field: every field the focus lands
    # on is fully above the bar (WCAG 2.4.11, focus not obscured).
    page.locator('[name="dimensions-0-name"]').focus()
    seen = 0
    for _ in range(60):
        page.keyboard.press("Tab")
        found = page.evaluate(FOCUS_UNDER_BAR)
        if found is None:
            continue
        seen += 1
        assert found["bottom"] <= found["barTop"] + 0.5, found
    assert seen > 40
    # A field the page scrolls to by script (as the browser's "next field") is clear too.
    page.locator('[name="stages-3-name"]').focus()
    found = page.evaluate(FOCUS_UNDER_BAR)
    assert found["bottom"] <= found["barTop"] + 0.5, found
    screenshot(page, "role-editor-focus-above-bar")


def test_warnings_are_dismissed_with_reasons_at_publishing_and_interviewers_never_see_them(
    browser, page, live_server, draft
):
    warnings = draft.open_warnings()
    as_user(page, 0)
    page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    section = page.get_by_test_id("open-warnings")
    expect(section.get_by_role("heading")).to_have_text(f"{len(warnings)} import warnings are open")
    assert_accessible(page, "role page with open warnings")
    screenshot(page, "role-page-open-warnings")

    # Publishing with a reason for all but the last: refused, the reasons given are kept.
    page.get_by_label("Reason for dismissing warning 1").fill("Checked: MLOps is in the case.")
    for n in range(2, len(warnings)):
        page.get_by_label(f"Reason for dismissing warning {n}").fill(
            "Checked: a fair general anchor until the first calibration."
        )
    page.get_by_role("button", name="Publish revision 1").click()
    expect(page.locator(".alert-danger").first).to_contain_text("1 import warning is still open")
    assert RoleRevision.objects.get().is_draft
    assert set(draft.warning_dismissals.values_list("key", flat=True)) == {
        w.key for w in warnings[:-1]
    }

    # The editor says so in the singular, and takes the last reason; then publish.
    page.goto(edit_url(live_server, draft))
    heading = page.get_by_test_id("open-warnings").get_by_role("heading")
    expect(heading).to_have_text("1 import warning is open")
    page.get_by_label("Reason for dismissing warning 1").fill(
        "Checked: the loop has no behavioural stage; this is the closest."
    )
    page.get_by_role("button", name="Save and publish").click()
    expect(page.locator(".alert-success").first).to_contain_text(
        "Published revision 1 of Lead AI Engineer."
    )
    expect(page.get_by_test_id("open-warnings")).to_have_count(0)
    dismissed = page.get_by_test_id("dismissed-warnings")
    dismissed.locator("summary").click()
    expect(dismissed).to_contain_text(f"{len(warnings)} import warnings dismissed")
    expect(dismissed).to_contain_text("Checked: MLOps is in the case.")
    expect(dismissed).to_contain_text("by Rita Recruiter")
    assert_accessible(page, "role page with dismissed warnings")
    screenshot(page, "role-page-warnings-dismissed")

    # An interviewer on this role sees their stage, never a warning.
    interviewer = get_user_model().objects.get(username=DEMO_USERS[2][0])
    stage = draft.stages.order_by("order").first()
    application = factories.ApplicationFactory(revision=draft)
    factories.InterviewFactory(application=application, stage=stage, interviewer=interviewer)
    with checked_page(browser, live_server.url) as other:
        as_user(other, 2)
        other.goto(f"{live_server.url}{draft.get_absolute_url()}")
        expect(other.get_by_role("heading", name="The stages you interview for")).to_be_visible()
        expect(other.get_by_role("cell", name=stage.name, exact=True)).to_be_visible()
        expect(other.locator("body")).not_to_contain_text("import warning")
        expect(other.locator("body")).not_to_contain_text(warnings[0].text)
        expect(other.locator("body")).not_to_contain_text("Checked: MLOps")
        assert_accessible(other, "role page as an interviewer")
        screenshot(other, "role-page-interviewer-no-warnings")
