"""Browser tests: Playwright drives the system Chromium against a live server.

Skipped only when Chromium is missing and REQUIRE_BROWSER is unset; CI sets it.
"""

import os
import shutil

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


@pytest.fixture
def page(browser, live_server):
    """A page on the live server; any Content-Security-Policy violation or JavaScript
    error on it fails the test, so a page cannot silently lose its behaviour."""
    context = browser.new_context(base_url=live_server.url)
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
    yield page
    context.close()
    assert problems == [], "the page broke its Content-Security-Policy or threw:\n" + "\n".join(
        problems
    )


def screenshot(page, name: str) -> None:
    os.makedirs(SCREENSHOTS, exist_ok=True)
    # caret="initial": hiding the caret injects a <style>, which the CSP rightly blocks.
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True, caret="initial")
