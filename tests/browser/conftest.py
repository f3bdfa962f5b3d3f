"""Browser tests: Playwright drives the system Chromium against a live server.

Skipped only when Chromium is missing and REQUIRE_BROWSER is unset; CI sets it.
"""

import contextlib
import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make around it are still synchronous, so Django's async guard must stand aside.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR", "test-screenshots")
# axe-core, vendored for the tests only (vendor/README.md): never served by the app.
AXE_SOURCE = Path(__file__).with_name("vendor") / "axe.min.js"
# What assert_accessible refuses; "moderate" and "minor" findings are reported by axe too,
# but issue 7 sets the bar at these two.
BLOCKING_IMPACTS = ("serious", "critical")


def _chromium_available() -> bool:
    return os.path.exists(CHROMIUM)


@pytest.fixture(scope="session")
def browser():
    if not _chromium_available():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"REQUIRE_BROWSER is set but Chromium is not at {CHROMIUM}.")
        pytest.skip(f"Chromium not found at {CHROMIUM} (set REQUIRE_BROWSER=1 to fail instead).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@contextlib.contextmanager
def checked_page(browser, base_url, **context_options):
    """A page in a browser context of its own (its own cookies: one person each); any
    Content-Security-Policy violation or JavaScript error on it fails the test, so a page
    cannot silently lose its behaviour. `context_options` go to Playwright's new_context
    (e.g. timezone_id, the browser's time zone)."""
    context = browser.new_context(base_url=base_url, **context_options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    try:
        yield page
    finally:
        context.close()
    assert problems == [], "the page broke its Content-Security-Policy or threw:\n" + "\n".join(
        problems
    )


@pytest.fixture
def page(browser, live_server):
    with checked_page(browser, live_server.url) as page:
        yield page


def screenshot(page, name: str) -> None:
    os.makedirs(SCREENSHOTS, exist_ok=True)
    # caret="initial": hiding the caret injects a <style>, which the CSP rightly blocks.
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True, caret="initial")


def login(page, username: str, password: str, *, succeed: bool = True) -> None:
    """Log in through the real form; unless told it should fail, wait until the next page
    shows who is logged in."""
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    if succeed:
        page.get_by_test_id("current-user").wait_for()


SAVED = re.compile(r"Saved \d\d:\d\d")


def rate(page, dimension, level) -> None:
    """Choose `level` for `dimension` on the scorecard form, with the mouse."""
    page.locator(f'label[for="id_score_{dimension.id}_{level}"]').click()


def wait_saved(page) -> None:
    """Wait for the autosave to say it saved, with the time."""
    page.get_by_test_id("saved").wait_for()
    assert SAVED.search(page.locator("#save-status").inner_text())


def assert_accessible(page, label: str) -> None:
    """Run axe-core on the page as it is now; fail listing every serious or critical
    violation. axe is evaluated through the DevTools protocol, which the page's CSP does
    not govern (a <script> tag would be blocked, rightly), so the CSP checks stay on."""
    page.wait_for_load_state("load")  # never a document still being replaced
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    problems = [
        _describe_violation(violation)
        for violation in results["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert not problems, f"axe-core on {label} ({page.url}):\n" + "\n".join(problems)


def _describe_violation(violation: dict) -> str:
    lines = [f"- {violation['id']} ({violation['impact']}): {violation['help']}"]
    for node in violation["nodes"]:
        lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
        lines += [f"      {line}" for line in node.get("failureSummary", "").splitlines()]
    return "\n".join(lines)
