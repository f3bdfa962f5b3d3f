"""The three journeys of DESIGN.md as one story, in Chromium, through the UI only.

A recruiter imports blueprint 000 (Senior AI Consultant), fixes its weights and publishes
it, adds a candidate, opens an application and assigns two interviewers. Ivy fills her
scorecard with the mouse, reloads half-way and finds her draft; Ian fills his with the
keyboard alone. The hiring manager reads the panel and records the decision. Each person
logs in through the form in a browser context of their own; every page they reach is
checked by axe-core, and the database is checked after each step.

Hand-computed panel (weights after the fixes: 20, 20, 20, 15, 20, 5):
Ivy rates Problem framing 4 and Responsible AI 3, Ian rates System design 4 and Stakeholder
communication 3. Rated weight 75 of 100, so coverage 0.75 (at least 0.70 needed);
weighted score (20*4 + 15*3 + 20*4 + 20*3) / 75 = 265/75 = 3.53: band hire, no gate fires.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hiring.models import Application, Decision, Interview
from roles.models import Dimension, RoleRevision, Signal
from scorecards.models import Scorecard
from tests import factories
from tests.browser.conftest import (
    assert_accessible,
    checked_page,
    login,
    rate,
    screenshot,
    wait_saved,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLUEPRINT = (
    Path(__file__).resolve().parents[2] / "roles" / "blueprints" / "000_07d9d084b1b621e0.txt"
)
ROLE = "Senior AI Consultant"
STAGE_A = "Case Study A: Use case discovery + solution design"
STAGE_B = "Case Study B: Production incident scenario"
CANDIDATE = "Grace Hopper"


def visit(page, label: str, shot: str | None = None) -> None:
    """Every page of the journey: axe-core finds nothing serious; the main ones are kept."""
    assert_accessible(page, label)
    if shot:
        screenshot(page, f"journey-{shot}")


def local_time(delta: timedelta) -> str:
    """A value for <input type="datetime-local"> in the app's time zone."""
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


def focused(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def tab_to(page, selector: str, *, key: str = "Tab", limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until the element matching selector has the focus."""
    for _ in range(limit):
        if focused(page, selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} cannot be reached with {key}")


def arrow_to(page, name: str, value: str) -> None:
    """In the focused radio group, move with the arrow keys until `value` is chosen."""
    for _ in range(8):
        if focused(page, f'[name="{name}"][value="{value}"]:checked'):
            return
        page.keyboard.press("ArrowRight")
    raise AssertionError(f"the arrow keys never chose {value} in {name}")


@pytest.fixture
def people():
    return {
        "recruiter": factories.RecruiterFactory(
            username="rita", first_name="Rita", last_name="Reyes"
        ),
        "ivy": factories.InterviewerFactory(username="ivy", first_name="Ivy", last_name="Ito"),
        "ian": factories.InterviewerFactory(username="ian", first_name="Ian", last_name="Ng"),
        "manager": factories.HiringManagerFactory(
            username="hana", first_name="Hana", last_name="Hill"
        ),
    }


def test_recruiter_interviewers_and_hiring_manager_take_a_candidate_to_a_decision(
    browser, live_server, people
):
    with checked_page(browser, live_server.url) as page:
        application = recruiter_sets_up_the_loop(page)
    with checked_page(browser, live_server.url) as page:
        ivy_fills_with_the_mouse_and_reloads_midway(page, application)
    with checked_page(browser, live_server.url) as page:
        ian_fills_with_the_keyboard_only(page, application)
    with checked_page(browser, live_server.url) as page:
        manager_reads_the_panel_and_decides(page, application, people["manager"])


def recruiter_sets_up_the_loop(page) -> Application:
    page.goto("/login/")
    visit(page, "login", "login")
    login(page, "rita", factories.PASSWORD)
    page.get_by_role("heading", name="Role library").wait_for()
    expect(page.get_by_text("No roles yet.")).to_be_visible()
    visit(page, "role list (empty)")

    # Import: the preview shows what was read and what was guessed; nothing is saved yet.
    page.get_by_role("link", name="Import blueprint").click()
    page.get_by_role("heading", name="Import a role blueprint").wait_for()
    visit(page, "import")
    page.get_by_label("Blueprint file").set_input_files(str(BLUEPRINT))
    page.get_by_role("button", name="Read the file").click()
    page.get_by_role("heading", name=f"Preview: {ROLE}").wait_for()
    expect(page.get_by_test_id("import-warnings")).to_contain_text(
        f'Dimension "Stakeholder communication" matched no exercise; it was added to stage '
        f'"{STAGE_B}"'
    )
    total = page.get_by_test_id("weight-total")
    expect(total).to_contain_text("Weights total 100")
    assert not RoleRevision.objects.exists()
    visit(page, "import preview", "import-preview")

    # The recruiter weighs stakeholder communication up, which breaks the total...
    page.get_by_label("Weight of dimension 5 (%)").fill("20")
    expect(total).to_contain_text("Weights total 105")
    expect(total).to_contain_text("5 too many")
    page.get_by_role("button", name="Import as draft").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        f"Imported {ROLE} as revision 1 (draft)"
    )
    expect(page.locator("#publish-problems")).to_contain_text("105")
    revision = RoleRevision.objects.get()
    assert revision.is_draft
    assert sum(revision.dimensions.values_list("weight", flat=True)) == 105
    visit(page, "role page (draft)", "role-draft")

    # ...and mends it in the editor: the live total follows, then it publishes.
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_role("heading", name=f"Edit {ROLE}").wait_for()
    expect(total).to_contain_text("5 too many")
    page.locator('[name="dimensions-5-weight"]').fill("5")
    expect(total).to_contain_text("Weights total 100")
    # The import warning: checked, and dismissed with the reason (publishing waits for it).
    page.get_by_label("Reason for dismissing warning 1").fill(
        "Checked: the incident scenario is where communication shows best."
    )
    # The anchors the importer had to guess: read, and kept until the first calibration.
    for n in range(2, len(revision.open_warnings()) + 1):
        page.get_by_label(f"Reason for dismissing warning {n}").fill(
            "Checked: a fair general anchor for now; the panel rewrites it after calibration."
        )
    visit(page, "role editor", "role-edit")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.locator(".alert-success").first).to_contain_text(f"Published revision 1 of {ROLE}.")
    expect(page.get_by_test_id("revision-status")).to_contain_text("Revision 1 · published")
    visit(page, "role page (published)", "role-published")
    revision.refresh_from_db()
    assert revision.status == RoleRevision.Status.PUBLISHED
    assert [str(d.weight) for d in revision.dimensions.order_by("order")] == [
        "20.00",
        "20.00",
        "20.00",
        "15.00",
        "20.00",
        "5.00",
    ]
    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="Roles").click()
    expect(page.get_by_role("row", name=ROLE)).to_contain_text("r1 published")
    visit(page, "role list", "role-list")

    # A candidate, and an application for the published role.
    nav.get_by_role("link", name="Candidates").click()
    page.get_by_role("heading", name="Candidates").wait_for()
    visit(page, "candidates (empty)")
    page.get_by_role("link", name="Add candidate").click()
    page.get_by_label("Name").wait_for()  # the form loaded: axe reads a whole document
    visit(page, "candidate form")
    page.get_by_label("Name").fill(CANDIDATE)
    page.get_by_label("Email").fill("grace@example.org")
    page.get_by_label("Source").fill("referral")
    page.get_by_role("button", name="Add candidate").click()
    expect(page.get_by_role("alert").first).to_contain_text(f"{CANDIDATE} added.")
    visit(page, "candidate page", "candidate")
    page.get_by_role("link", name="Open an application").click()
    visit(page, "application form")
    page.get_by_label("Role").select_option(label=f"{ROLE} (revision 1)")
    # The hiring manager: typed, then picked from the matches htmx shows.
    page.get_by_label("Hiring manager").press_sequentially("han")
    page.get_by_role("radio", name=re.compile("Hana Hill")).check()
    page.get_by_role("button", name="Open application").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        f"Application opened for {ROLE}. Now assign the interviewers."
    )
    application = Application.objects.get()
    assert (application.candidate.name, application.revision_id) == (CANDIDATE, revision.pk)
    assert application.hiring_manager.username == "hana"
    assert application.recruiter.username == "rita"

    # Two interviewers, one stage each; Ian's interview then moves to earlier today.
    assign = page.locator("#assign")
    for stage, interviewer, when in [
        (STAGE_A, "Ivy Ito", timedelta(hours=-3)),
        (STAGE_B, "Ian Ng", timedelta(days=1)),
    ]:
        visit(page, "application page (assigning)")
        assign.get_by_label("Stage").select_option(label=stage)
        assign.get_by_label("Interviewer").press_sequentially(interviewer.split()[0])
        assign.get_by_role("radio", name=re.compile(interviewer)).check()
        assign.get_by_label(re.compile(r"Time \(")).fill(local_time(when))
        assign.get_by_role("button", name="Assign").click()
        expect(page.get_by_role("alert").first).to_contain_text(
            f"{interviewer} interviews for {stage}."
        )
    page.get_by_role("link", name=f"Change {STAGE_B} with Ian Ng").click()
    page.get_by_role("heading", name=f"Change the interview for {STAGE_B}").wait_for()
    visit(page, "interview assignment", "interview-change")
    page.get_by_label(re.compile(r"Time \(")).fill(local_time(timedelta(hours=-1)))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").first).to_contain_text("Interview updated.")
    loop = page.get_by_test_id("loop")
    expect(loop.get_by_role("row", name=re.compile("Ivy Ito"))).to_contain_text("Not started")
    expect(loop.get_by_role("row", name=re.compile("Ian Ng"))).to_contain_text("Not started")
    visit(page, "application page", "application")
    assert sorted(application.interviews.values_list("stage__name", "interviewer__username")) == [
        (STAGE_A, "ivy"),
        (STAGE_B, "ian"),
    ]
    assert application.interviews.get(interviewer__username="ian").scheduled_at < timezone.now()
    return application


def dimension(application, name_start: str) -> Dimension:
    return application.revision.dimensions.get(name__startswith=name_start)


def ivy_fills_with_the_mouse_and_reloads_midway(page, application) -> None:
    framing = dimension(application, "Problem framing")
    responsible = dimension(application, "Responsible AI")
    login(page, "ivy", factories.PASSWORD)
    page.get_by_role("heading", name="My interviews").wait_for()
    row = page.get_by_role("row", name=re.compile(CANDIDATE))
    expect(row).to_contain_text(STAGE_A)
    expect(row).not_to_contain_text(STAGE_B)  # Ian's stage is not hers
    visit(page, "my interviews", "my-interviews")
    # The role, as far as she interviews for it: her stage, not Ian's.
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Roles").click()
    page.get_by_role("link", name=ROLE).click()
    expect(page.get_by_test_id("interviewer-scope")).to_be_visible()
    expect(page.locator("main")).to_contain_text(STAGE_A)
    expect(page.locator("main")).not_to_contain_text(STAGE_B)
    visit(page, "role page (interviewer)", "role-interviewer")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="My interviews"
    ).click()
    row.get_by_role("link", name=re.compile("Fill in")).click()
    page.get_by_role("heading", name=f"Stage brief: {STAGE_A}").wait_for()
    visit(page, "scorecard (empty)", "scorecard-empty")

    rate(page, framing, 4)
    page.get_by_label(f"Evidence for {framing.name}").fill("Mapped the claims workflow first.")
    wait_saved(page)
    page.reload()
    expect(page.get_by_label(f"Evidence for {framing.name}")).to_have_value(
        "Mapped the claims workflow first."
    )
    expect(page.locator(f"#id_score_{framing.id}_4")).to_be_checked()
    expect(page.locator(f"#id_score_{responsible.id}_0")).to_be_checked()  # not assessed yet
    expect(page.locator("#save-status")).to_contain_text("Last saved")
    card = Scorecard.objects.get(interview__interviewer__username="ivy")
    assert card.status == Scorecard.Status.DRAFT
    assert {r.dimension_id: r.score for r in card.ratings.all()} == {framing.id: 4}
    visit(page, "scorecard (draft after reload)")

    rate(page, responsible, 3)
    page.get_by_label(f"Evidence for {responsible.name}").fill("Named the consent gaps.")
    page.get_by_role("checkbox", name=re.compile("Uses structured thinking")).check()
    page.get_by_text("Yes", exact=True).click()
    page.get_by_label("Summary").fill("Frames problems crisply.")
    wait_saved(page)
    visit(page, "scorecard (complete)", "scorecard-complete")
    page.get_by_role("button", name="Submit scorecard").click()
    page.get_by_test_id("read-only").wait_for()
    expect(page.get_by_role("alert").first).to_contain_text("Scorecard submitted.")
    visit(page, "submitted scorecard", "scorecard-submitted")
    card.refresh_from_db()
    assert card.status == Scorecard.Status.SUBMITTED and card.recommendation == "yes"
    assert {r.dimension_id: r.score for r in card.ratings.all()} == {
        framing.id: 4,
        responsible.id: 3,
    }
    assert card.ratings.get(dimension=responsible).evidence == "Named the consent gaps."
    assert [c.signal.text[:24] for c in card.signal_checks.all()] == ["Uses structured thinking"]


def ian_fills_with_the_keyboard_only(page, application) -> None:
    """No clicks and no fill() on the scorecard: Tab, Shift+Tab, arrows, Space, Enter."""
    design = dimension(application, "System design")
    stakeholder = dimension(application, "Stakeholder communication")
    weak = application.revision.signals.get(kind=Signal.Kind.WEAK, text__startswith="Vague")
    login(page, "ian", factories.PASSWORD)
    page.get_by_role("heading", name="My interviews").wait_for()
    tab_to(page, f'a[href="/scorecards/interviews/{ian_interview(application).pk}/"]')
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=f"Stage brief: {STAGE_B}").wait_for()

    # The focus dimensions come first; within a rating the arrow keys choose the level.
    design_score = f"score_{design.id}"
    tab_to(page, ".level-input")
    assert focused(page, f'[name="{design_score}"]')
    arrow_to(page, design_score, "3")
    expect(page.locator(f"#anchor-{design.id}-3")).to_be_visible()
    page.keyboard.press("Tab")
    assert focused(page, f'[name="evidence_{design.id}"]')
    page.keyboard.type("Rolled back first, then found the drifting feature.")
    # On second thought a 4: back to the levels with Shift+Tab.
    page.keyboard.press("Shift+Tab")
    arrow_to(page, design_score, "4")
    expect(page.locator(f"#anchor-{design.id}-4")).to_be_visible()

    stakeholder_score = f"score_{stakeholder.id}"
    tab_to(page, f'[name="{stakeholder_score}"]')
    arrow_to(page, stakeholder_score, "3")
    page.keyboard.press("Tab")
    page.keyboard.type("Clear status updates to the business.")

    # Space ticks a weak signal; its note follows.
    tab_to(page, f'[name="signal_{weak.id}"]')
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused(page, f'[name="note_{weak.id}"]')
    page.keyboard.type("No success metric for the fix.")

    tab_to(page, '[name="recommendation"]')
    page.keyboard.press("Space")
    arrow_to(page, "recommendation", "yes")
    page.keyboard.press("Tab")
    assert focused(page, "#id_summary")
    page.keyboard.type("Calm under pressure.")
    wait_saved(page)
    tab_to(page, 'button[value="submit"]')
    page.keyboard.press("Enter")
    page.get_by_test_id("read-only").wait_for()
    expect(page.get_by_role("alert").first).to_contain_text("Scorecard submitted.")
    screenshot(page, "journey-keyboard-scorecard-submitted")

    card = Scorecard.objects.get(interview__interviewer__username="ian")
    assert card.status == Scorecard.Status.SUBMITTED and card.recommendation == "yes"
    assert {r.dimension_id: (r.score, r.evidence) for r in card.ratings.all()} == {
        design.id: (4, "Rolled back first, then found the drifting feature."),
        stakeholder.id: (3, "Clear status updates to the business."),
    }
    assert [(c.signal_id, c.note) for c in card.signal_checks.all()] == [
        (weak.id, "No success metric for the fix.")
    ]
    assert card.summary == "Calm under pressure."


def ian_interview(application) -> Interview:
    return application.interviews.get(interviewer__username="ian")


def manager_reads_the_panel_and_decides(page, application, manager) -> None:
    login(page, "hana", factories.PASSWORD)
    page.get_by_role("heading", name="My applications").wait_for()
    visit(page, "my applications", "my-applications")
    page.get_by_role("link", name=CANDIDATE, exact=True).click()
    page.get_by_role("heading", name=f"Panel: {CANDIDATE}").wait_for()

    expect(page.get_by_test_id("recommendation")).to_have_text("Hire")
    expect(page.get_by_test_id("weighted-score")).to_have_text("3.53")
    expect(page.get_by_test_id("coverage")).to_contain_text("0.75")
    explanation = page.get_by_test_id("explanation")
    expect(explanation).to_contain_text(
        "Problem framing & value: weight 20, ratings 4, mean 4.00, contributes 1.07"
    )
    expect(explanation).to_contain_text(
        "Stakeholder communication: weight 20, ratings 3, mean 3.00, contributes 0.80"
    )
    expect(explanation).to_contain_text("Delivery leadership: weight 5, not assessed")
    expect(explanation).to_contain_text(
        "Weighted score 3.53 with coverage 0.75 falls in the Hire band"
    )
    expect(page.get_by_test_id("coverage-gaps")).to_contain_text("Case Study C")
    expect(page.get_by_test_id("matrix")).to_contain_text("Ivy Ito")
    expect(page.get_by_test_id("matrix")).to_contain_text("Ian Ng")
    visit(page, "panel", "panel")

    form = page.get_by_test_id("decision-form")
    form.get_by_label("Hire", exact=True).check()
    form.get_by_role("textbox", name="Rationale").fill("Strong framing and calm in incidents.")
    form.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("alert").first).to_contain_text("Decision recorded: Hire.")
    expect(page.get_by_test_id("application-status")).to_have_text("Hired")
    history = page.get_by_test_id("decision-history")
    expect(history).to_contain_text("Strong framing and calm in incidents.")
    expect(history).to_contain_text("Hana Hill")
    visit(page, "panel (decided)", "panel-decided")

    decision = Decision.objects.get()
    assert (decision.application_id, decision.outcome, decision.decided_by) == (
        application.pk,
        Decision.Outcome.HIRE,
        manager,
    )
    assert decision.rationale == "Strong framing and calm in incidents."
    application.refresh_from_db()
    assert application.status == Application.Status.HIRED
    assert Scorecard.objects.submitted().count() == 2
