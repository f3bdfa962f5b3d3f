"""A recruiter imports a blueprint, corrects it, reweights it and publishes it, in Chromium.

File 003 (Senior AI Architect) has no weights: the importer sets them equal and says so.
"""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from hiring_site.management.commands.demo import DEMO_USERS, ensure_demo_users
from roles.blueprint import limits
from roles.models import ImportPreview, RoleRevision
from tests.browser.conftest import assert_accessible, login, screenshot
from tests.roles.test_limits import import_doc, role_doc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLUEPRINTS = Path(__file__).resolve().parents[2] / "roles" / "blueprints"
FILE_003 = BLUEPRINTS / "003_2d4d99d7bf8c210a.txt"


def login_as_recruiter(page):
    ensure_demo_users()
    username, password = DEMO_USERS[0][:2]
    login(page, username, password)
    page.get_by_role("heading", name="Role library").wait_for()


def upload(page, path):
    page.get_by_role("link", name="Import blueprint").click()
    page.get_by_label("Blueprint file").set_input_files(str(path))
    page.get_by_role("button", name="Read the file").click()


def test_recruiter_imports_fixes_reweights_and_publishes_a_blueprint(page):
    login_as_recruiter(page)
    upload(page, FILE_003)

    # The preview: everything parsed and every warning, nothing saved yet.
    page.get_by_role("heading", name="Preview: Senior AI Architect").wait_for()
    warnings = page.get_by_test_id("import-warnings")
    expect(warnings).to_contain_text("set to equal weights (12.5 each)")
    expect(warnings).to_contain_text('Check where the dimension name "Security/privacy')
    expect(page.get_by_test_id("weight-total")).to_contain_text("Weights total 100")
    expect(page.get_by_role("heading", name="Red flags")).to_be_visible()
    assert not RoleRevision.objects.exists()
    screenshot(page, "role-import-preview")

    # Rename the dimension the parser was unsure about, then confirm.
    name = page.get_by_label("Name of dimension 4")
    expect(name).to_have_value("Security/privacy & responsible AI")
    name.fill("Security, privacy & responsible AI")
    page.get_by_role("button", name="Import as draft").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Imported Senior AI Architect as revision 1 (draft)"
    )
    expect(
        page.get_by_role("cell", name="Security, privacy & responsible AI", exact=True)
    ).to_be_visible()
    screenshot(page, "role-imported-draft")

    # Reweight in the editor; the total follows the typing (htmx), before any save.
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_role("heading", name="Edit Senior AI Architect").wait_for()
    total = page.get_by_test_id("weight-total")
    expect(total).to_contain_text("Weights total 100")
    page.locator('[name="dimensions-0-weight"]').fill("20")
    expect(total).to_contain_text("Weights total 107.5")
    expect(total).to_contain_text("7.5 too many")
    screenshot(page, "role-edit-live-total")

    # Publishing with a total of 107.5 is refused, with the reason; the edit is kept.
    page.get_by_role("button", name="Save and publish").click()
    alert = page.locator(".alert-danger")
    expect(alert).to_contain_text("Saved, but not published.")
    expect(alert).to_contain_text("The dimension weights total 107.5, not 100.")
    expect(page.locator('[name="dimensions-0-weight"]')).to_have_value("20")
    assert RoleRevision.objects.get().is_draft
    screenshot(page, "role-publish-refused")

    # Five of the table and the loop, and five anchors the importer had to guess.
    expect(alert).to_contain_text("10 import warnings are still open")

    # Fix it, give each import warning the reason it can stand, and publish.
    page.locator('[name="dimensions-1-weight"]').fill("5")
    expect(total).to_contain_text("Weights total 100")
    for n in range(1, 11):
        page.get_by_label(f"Reason for dismissing warning {n}", exact=True).fill(f"Checked ({n}).")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.locator(".alert-success").first).to_contain_text(
        "Published revision 1 of Senior AI Architect."
    )
    expect(page.get_by_test_id("revision-status")).to_contain_text("Revision 1 · published")
    screenshot(page, "role-published")

    revision = RoleRevision.objects.get()
    assert revision.status == RoleRevision.Status.PUBLISHED
    weights = [str(d.weight) for d in revision.dimensions.order_by("order")]
    assert weights[:3] == ["20.00", "5.00", "12.50"]
    assert revision.dimensions.filter(name="Security, privacy & responsible AI").exists()
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Roles").click()
    row = page.get_by_role("row", name="Senior AI Architect")
    expect(row).to_contain_text("r1 published")
    # Its weights total 100: nothing to flag (the list shows a total only when it is not).
    expect(row.get_by_test_id("weight-total")).to_have_count(0)
    expect(row.get_by_test_id("open-applications")).to_contain_text("0")
    screenshot(page, "role-library-after-publish")


def test_rows_added_in_the_browser_are_saved(page):
    login_as_recruiter(page)
    upload(page, FILE_003)
    page.get_by_role("button", name="Import as draft").click()
    page.get_by_role("link", name="Edit", exact=True).click()
    page.locator("summary", has_text="Signals").click()  # the part is folded
    page.get_by_role("button", name="Add red flag").click()
    new_flag = page.locator('[name="signals_red_flag-5-text"]')
    expect(new_flag).to_be_focused()  # added by roles.js, no round trip
    new_flag.fill("Hand-waves away data privacy.")
    page.get_by_role("button", name="Add dimension").click()
    page.locator('[name="dimensions-8-name"]').fill("Product sense")
    page.locator('[name="dimensions-8-weight"]').fill("0")
    expect(page.get_by_test_id("weight-total")).to_contain_text("Weights total 100")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".alert-success").first).to_contain_text("Saved revision 1 (draft).")
    revision = RoleRevision.objects.get()
    assert revision.signals.filter(kind="red_flag", text="Hand-waves away data privacy.").exists()
    assert revision.dimensions.order_by("order").last().name == "Product sense"
    screenshot(page, "role-edit-added-rows")


def test_a_file_that_is_not_a_blueprint_is_refused_on_the_page(page, tmp_path):
    login_as_recruiter(page)
    image = tmp_path / "scan.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    upload(page, image)
    expect(page.get_by_test_id("upload-error")).to_have_text(
        "scan.txt is a PNG image, not a text blueprint."
    )
    screenshot(page, "role-import-refused")
    assert not RoleRevision.objects.exists()


def test_a_cancelled_preview_is_gone_and_a_stale_tab_is_told_why(page):
    login_as_recruiter(page)
    upload(page, FILE_003)
    page.get_by_role("heading", name="Preview: Senior AI Architect").wait_for()
    assert ImportPreview.objects.count() == 1
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Import of 003_2d4d99d7bf8c210a.txt cancelled; nothing was saved."
    )
    assert not ImportPreview.objects.exists()
    # The upload page again, and a new preview; then a stale tab: its preview is gone
    # (cancelled in another tab) when it confirms.
    page.get_by_label("Blueprint file").set_input_files(str(FILE_003))
    page.get_by_role("button", name="Read the file").click()
    page.get_by_role("heading", name="Preview: Senior AI Architect").wait_for()
    ImportPreview.objects.all().delete()
    page.get_by_role("button", name="Import as draft").click()
    page.get_by_role("heading", name="Import preview not available").wait_for()
    expect(page.get_by_test_id("error-reason")).to_contain_text("it was cancelled")
    assert_accessible(page, "the page of a preview that is gone")
    screenshot(page, "role-import-preview-gone")
    page.get_by_role("link", name="Upload a blueprint").click()
    page.get_by_role("heading", name="Import a role blueprint").wait_for()
    assert not RoleRevision.objects.exists()


def test_a_full_list_takes_no_more_rows_in_the_browser(page, live_server):
    # A role one red flag short of the limit (roles.blueprint.limits): one more may be
    # added, then the button is off and says why; what was added is saved.
    doc = role_doc()
    doc["signals"]["red_flag"] = [f"Flag {i}" for i in range(limits.MAX_ITEMS - 1)]
    revision = import_doc(doc)
    login_as_recruiter(page)
    page.goto(f"{live_server.url}{reverse('roles:edit', args=[revision.role.slug, 1])}")
    page.locator("summary", has_text="Signals").click()  # the part is folded
    add = page.get_by_role("button", name="Add red flag")
    note = page.locator('[data-row-limit="signals_red_flag"]')
    expect(note).to_be_hidden()
    add.click()
    page.locator(f'[name="signals_red_flag-{limits.MAX_ITEMS - 1}-text"]').fill("The last one.")
    expect(add).to_be_disabled()
    expect(note).to_have_text(f"A revision holds at most {limits.MAX_ITEMS} red flags.")
    assert page.locator(f'[name="signals_red_flag-{limits.MAX_ITEMS}-text"]').count() == 0
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".alert-success").first).to_contain_text("Saved revision 1 (draft).")
    assert revision.signals.filter(kind="red_flag").count() == limits.MAX_ITEMS
    assert revision.signals.filter(kind="red_flag", text="The last one.").exists()
