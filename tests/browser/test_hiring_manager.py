"""The hiring manager's way through, in a browser: My applications to triage (ready to
decide first, results hidden where their own card is pending), the panel in plain words
with breadcrumbs back the way they came, a decision, and the form folded once decided.
axe-core finds nothing serious on any page; no CSP or JavaScript error."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from hiring.models import Application
from hiring_site.access import INTERVIEWER
from hiring_site.management.commands.demo import DEMO_USERS, ensure_demo_users
from roles.models import Signal
from scorecards.models import Scorecard
from tests import factories
from tests.browser.conftest import assert_accessible, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def build(manager):
    """Four applications of `manager` for one role (two dimensions, 50/50):
    - Grace Hopper, ready to decide: 3 and 5 on design (a disagreement), 4 and 4 on
      communication, a no and a strong yes (split), a red flag: weighted 4.00, strong
      hire, vetoed to No hire;
    - Alan Turing, in progress: one card of two in;
    - Blaise Blind, in progress, where the manager interviews and has a draft;
    - Edsger Done, decided: hired.
    """
    revision, (design, comms) = factories.revision_with_dimensions(
        [50, 50], names=["System design", "Communication"], role__title="Platform Engineer"
    )
    flag = factories.SignalFactory(
        revision=revision, kind=Signal.Kind.RED_FLAG, text="Blames others for failures"
    )

    def application(name, cards, pending=0):
        app = factories.ApplicationFactory(
            revision=revision, hiring_manager=manager, candidate__name=name
        )
        for scores, recommendation, signals in cards:
            factories.scorecard_with_ratings(
                factories.InterviewFactory(application=app),
                {design: scores[0], comms: scores[1]},
                recommendation=recommendation,
                signals=signals,
            )
        for _ in range(pending):
            factories.InterviewFactory(application=app)
        return app

    grace = application(
        "Grace Hopper",
        [((3, 4), "no", [(flag, "Blamed the SRE team")]), ((5, 4), "strong_yes", [])],
    )
    application("Alan Turing", [((3, 3), "yes", [])], pending=1)
    blind = application("Blaise Blind", [((4, 4), "yes", []), ((2, 2), "no", [])])
    manager.groups.add(Group.objects.get(name=INTERVIEWER))
    own = factories.InterviewFactory(application=blind, interviewer=manager)
    factories.ScorecardFactory(interview=own, status=Scorecard.Status.DRAFT)
    done = application("Edsger Done", [((4, 4), "yes", []), ((4, 5), "strong_yes", [])])
    done.record_decision("hire", "Strong all round.", by=manager)
    return grace


def sections(page) -> list[str]:
    return [
        heading.strip() for heading in page.locator('[data-testid="section"] h2').all_inner_texts()
    ]


def test_hiring_manager_triages_reads_decides_and_goes_back(page):
    users = ensure_demo_users()
    grace = build(users["manager"])
    password = next(user[1] for user in DEMO_USERS if user[0] == "manager")
    login(page, "manager", password)

    # Home is My applications: ready to decide first, then in progress, then decided.
    expect(page).to_have_title(re.compile("My applications"))
    assert sections(page) == ["Ready to decide", "In progress", "Decided"]
    ready = page.get_by_test_id("section").nth(0)
    row = ready.get_by_test_id("application-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Grace Hopper")
    expect(row.get_by_test_id("cards-in")).to_have_text("2 of 2")
    expect(row.get_by_test_id("recommendation")).to_contain_text("No hire")
    expect(row.get_by_test_id("red-flags")).to_have_text("1")
    expect(row.get_by_test_id("disagreement")).to_have_text("1 dimension; recommendations split")
    in_progress = page.get_by_test_id("section").nth(1)
    blind_row = in_progress.get_by_test_id("application-row").filter(has_text="Blaise Blind")
    expect(blind_row.get_by_test_id("results-hidden")).to_have_text(
        "Results hidden until your own card is submitted."
    )
    decided = page.get_by_test_id("section").nth(2)
    expect(decided.get_by_test_id("decision")).to_contain_text("Hire")
    assert_accessible(page, "My applications")
    screenshot(page, "manager-my-applications")

    # The panel, in plain words, with the way back to My applications.
    row.get_by_role("link", name="Grace Hopper", exact=True).click()
    expect(page.get_by_test_id("recommendation")).to_have_text("No hire")
    crumbs = page.get_by_test_id("breadcrumbs")
    expect(crumbs.get_by_role("link")).to_have_text(["My applications"])
    explanation = page.get_by_test_id("explanation")
    expect(explanation).to_contain_text("falls in the Strong hire band (at least 4.00)")
    expect(explanation).to_contain_text('A red flag was observed ("Blames others for failures" by')
    expect(explanation).to_contain_text(
        "so the recommendation is capped at No hire (the score alone gives Strong hire)"
    )
    expect(page.get_by_test_id("disagreements")).to_contain_text(
        "Recommendations split: 1 No, 1 Strong yes"
    )
    expect(page.get_by_test_id("red-flag-policy")).to_have_text(
        "(any red flag caps the recommendation at No hire)"
    )
    for text in [explanation.inner_text(), page.get_by_test_id("disagreements").inner_text()]:
        assert "_" not in text, text
    json_link = page.get_by_test_id("panel-json")
    expect(json_link).to_have_text("Panel as JSON")
    expect(json_link).to_have_class("small link-secondary")
    expect(page.get_by_test_id("change-decision")).to_have_count(0)
    assert_accessible(page, "the panel, undecided")
    screenshot(page, "manager-panel-from-my-applications")

    # Decide with the recommendation; the page after keeps the way back.
    form = page.get_by_test_id("decision-form")
    form.get_by_label("No hire", exact=True).check()
    form.get_by_role("textbox", name="Rationale").fill("The red flag outweighs the design work.")
    form.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("alert").first).to_contain_text("Decision recorded: No hire.")
    assert "from=mine" in page.url
    expect(page.get_by_test_id("breadcrumbs").get_by_role("link")).to_have_text(["My applications"])
    grace.refresh_from_db()
    assert grace.status == Application.Status.REJECTED

    # Decided: the form folds under "Change decision", and opens without a script.
    fold = page.get_by_test_id("change-decision")
    expect(fold).to_have_count(1)
    expect(page.get_by_test_id("decision-form")).to_be_hidden()
    assert_accessible(page, "the panel, decided")
    screenshot(page, "manager-panel-decided")
    fold.locator("summary").click()
    expect(page.get_by_test_id("decision-form")).to_be_visible()
    assert_accessible(page, "the panel, changing the decision")
    screenshot(page, "manager-panel-change-decision")

    # Back to My applications: Grace is with the decided now.
    page.get_by_test_id("breadcrumbs").get_by_role("link", name="My applications").click()
    assert sections(page) == ["In progress", "Decided"]
    decided = page.get_by_test_id("section").nth(1)
    grace_row = decided.get_by_test_id("application-row").filter(has_text="Grace Hopper")
    expect(grace_row.get_by_test_id("decision")).to_contain_text("No hire")

    # Through the application page, the panel's way back goes through it.
    grace_row.get_by_role("link", name="Interview loop of Grace Hopper").click()
    page.get_by_role("link", name="Panel", exact=True).click()
    expect(page.get_by_test_id("breadcrumbs").get_by_role("link")).to_have_text(
        ["My applications", "Grace Hopper"]
    )
    assert page.url.endswith("?from=application")
    assert_accessible(page, "the panel from the application page")
    screenshot(page, "manager-panel-from-application")

    # The row whose results are hidden opens the panel that asks for the own card first.
    page.get_by_test_id("breadcrumbs").get_by_role("link", name="My applications").click()
    page.get_by_role("link", name="Blaise Blind", exact=True).click()
    expect(page.get_by_test_id("own-card-first")).to_contain_text("Submit your own scorecard first")
    expect(page.get_by_test_id("breadcrumbs").get_by_role("link")).to_have_text(["My applications"])
    assert_accessible(page, "the panel asking for the own card first")
    screenshot(page, "manager-panel-own-card-first")
