"""Anchors at every level, from the blueprint: the recruiter sees each proposal with the
line it came from in the import preview, rewrites one in the role editor (its source goes),
and the interviewer rates against them on the fill page and the read-only card."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from hiring_site.management.commands.demo import ensure_demo_users
from roles import services
from roles.models import RoleRevision
from tests import factories
from tests.browser.conftest import assert_accessible, rate, screenshot, wait_saved
from tests.browser.test_panel_decision import demo_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLUEPRINT = (
    Path(__file__).resolve().parents[2] / "roles" / "blueprints" / "001_705bb18053cb3e59.txt"
)
LEVEL_5 = "Teams rely on this engineer to keep AI services healthy."
SOURCE_5 = "Behaviour “Ownership and operational accountability”"


def test_recruiter_reads_the_proposed_anchors_and_rewrites_one_in_the_editor(page):
    ensure_demo_users()
    demo_login(page, "recruiter")
    page.goto("/roles/import/")
    page.get_by_label("Blueprint file").set_input_files(str(BLUEPRINT))
    page.get_by_role("button", name="Read the file").click()
    page.get_by_role("heading", name="Preview: Senior AI Engineer").wait_for()
    anchors = page.get_by_test_id("proposed-anchors")
    first = anchors.locator("details").first
    expect(first.locator("summary")).to_have_text("Production ML engineering")
    # Level 5 from the soft-skills section, with its line; level 3 from the table row.
    expect(first.locator("tr", has_text="5 · Exceptional")).to_contain_text(LEVEL_5)
    expect(first.locator("tr", has_text="5 · Exceptional")).to_contain_text(SOURCE_5)
    expect(first.locator("tr", has_text="3 · Meets bar")).to_contain_text(
        "Scorecard dimensions: | Production ML engineering |"
    )
    expect(first.locator("tr", has_text="1 · Well below bar")).to_contain_text("Red flags:")
    # A guess is said among the warnings, and its row is marked.
    expect(page.get_by_test_id("import-warnings")).to_contain_text(
        'The level 2 anchor of "Software engineering" is a guess'
    )
    assert_accessible(page, "the import preview with its proposed anchors")
    screenshot(page, "import-preview-anchors")
    page.get_by_role("button", name="Import as draft").click()
    revision = RoleRevision.objects.get()
    dimension = revision.dimensions.order_by("order").first()
    assert dimension.anchor(5) == LEVEL_5 and dimension.anchor_source(5).startswith(SOURCE_5)

    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_role("heading", name="Edit Senior AI Engineer").wait_for()
    page.get_by_text("Anchors: what each level 1–5 looks like").first.click()
    level_5 = page.locator('[name="dimensions-0-anchor_5"]')
    expect(level_5).to_have_value(LEVEL_5)
    expect(page.locator("#id_dimensions-0-anchor_5_helptext")).to_contain_text(
        f"From the blueprint, {SOURCE_5}"
    )
    screenshot(page, "role-editor-anchors")
    level_5.fill("Runs the team's AI services; others learn operations from them.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    dimension.refresh_from_db()
    assert dimension.anchor(5) == "Runs the team's AI services; others learn operations from them."
    assert dimension.anchor_source(5) == ""  # the recruiter's words now
    assert dimension.anchor_source(4).startswith(SOURCE_5)  # level 4 kept its line


def test_interviewer_rates_against_the_blueprints_anchors(page):
    users = ensure_demo_users()
    services.import_builtin_roles(user=users["recruiter"])
    revision = RoleRevision.objects.published().get(role__title="Senior AI Engineer")
    stage = revision.stages.order_by("order").first()
    focus = stage.focus_dimensions.order_by("order").first()
    application = factories.ApplicationFactory(revision=revision, hiring_manager=users["manager"])
    interview = factories.InterviewFactory(
        application=application, stage=stage, interviewer=users["interviewer1"]
    )
    demo_login(page, "interviewer1")
    page.goto(f"/scorecards/interviews/{interview.pk}/")
    # Choosing a level shows that level's anchor, the blueprint's line for it.
    rate(page, focus, 2)
    level_2 = page.locator(f"#anchor-{focus.id}-2")
    expect(level_2).to_be_visible()
    expect(level_2).to_contain_text(focus.anchor(2))
    rate(page, focus, 5)
    expect(page.locator(f"#anchor-{focus.id}-5")).to_contain_text(focus.anchor(5))
    # The autosave done before this test writes rows of its own (SQLite: one writer).
    wait_saved(page)
    assert len({focus.anchor(level) for level in range(1, 6)}) == 5
    assert_accessible(page, "the scorecard with the blueprint's anchors")
    screenshot(page, "scorecard-fill-anchors")

    # The read-only card says what the chosen level means.
    other = factories.InterviewFactory(
        application=application,
        stage=revision.stages.order_by("order")[1],
        interviewer=users["interviewer1"],
    )
    card = factories.scorecard_with_ratings(other, {focus: 4})
    page.goto(f"/scorecards/{card.pk}/")
    expect(page.locator(".rating-anchor").first).to_have_text(focus.anchor(4))
    assert_accessible(page, "the read-only card with its anchor")
    screenshot(page, "scorecard-readonly-anchor")
