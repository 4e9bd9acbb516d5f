"""End to end in a real headless Chromium (Debian's, driven by Playwright) against a real server.

Filter the events page by type, open an event, see its evidence highlighted inside the article,
toggle the boilerplate, review an event, and check that hostile article text never runs. A
screenshot of the event page is saved as a test artifact (the test's temp folder, and
``CHRONICLE_SCREENSHOT_DIR`` when set).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from chronicle.serve.app import create_app
from chronicle.serve.loadtest import running_server
from test_serve_support import build_crafted

CHROMIUM = "/usr/bin/chromium"
TOKEN = "browser-test-token"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = build_crafted(tmp_path_factory.mktemp("browser") / "browser.db")
    app = create_app(url, review=True, token=TOKEN, reviewer="Browser Tester")
    with running_server(app) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.dialogs = []  # any alert() would mean article text ran as code
    pg.problems = []  # console errors, e.g. a CSP violation or a failed asset
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()


def test_filter_open_event_see_evidence(server, page, tmp_path):
    page.goto(f"{server}/events")
    assert page.locator("table.events tbody tr").count() == 5
    page.select_option("#filter-type", "COERCE")
    page.click("#filter-submit")
    page.wait_for_url("**/events?*type=COERCE*")
    rows = page.locator("table.events tbody tr")
    assert rows.count() == 1
    rows.first.locator("a.evlink").click()
    page.wait_for_url("**/events/*")
    evidence = page.locator("#evidence")
    evidence.scroll_into_view_if_needed()
    assert evidence.is_visible()
    assert "mark-evidence" in evidence.get_attribute("class")
    assert evidence.inner_text().startswith("Police in Bishkek detained activist Aibek Tokonov")
    background = evidence.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    # The hostile text is on the page as text, and nothing ran.
    assert "<script>alert(1)</script>" in page.locator(".article").first.inner_text()
    assert page.locator("img").count() == 0
    assert page.dialogs == [] and page.problems == []
    shot = tmp_path / "event-page.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    if os.environ.get("CHRONICLE_SCREENSHOT_DIR"):
        shutil.copy(shot, Path(os.environ["CHRONICLE_SCREENSHOT_DIR"]) / "event-page.png")


def test_boilerplate_toggle_and_map(server, page):
    page.goto(f"{server}/documents")
    page.click("text=Journalist charged in Almaty")
    chrome = page.locator(".boilerplate").first
    assert chrome.is_hidden()
    page.click("label.toggle-label")
    assert chrome.is_visible() and "Menu | Login | Donate" in chrome.inner_text()
    page.goto(server + "/")
    markers = page.locator("svg.map circle.marker")
    assert markers.count() == 3
    box = page.locator("svg.map").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 150
    assert page.locator("svg.chart rect[data-type]").count() >= 4
    assert page.dialogs == [] and page.problems == []


def test_review_from_the_event_page(server, page):
    page.goto(f"{server}/events?type=SANCTION")
    page.locator("a.evlink").first.click()
    page.wait_for_url("**/events/*")
    event_url = page.url
    page.click("text=Sign in to review this event.")
    page.fill("input[name=token]", TOKEN)
    page.fill("input[name=reviewer]", "Browser Tester")
    page.click("button[type=submit]")
    page.wait_for_url(event_url)
    page.fill(".review-form input[name=sentence_years]", "4")
    page.fill(".review-form input[name=note]", "the verdict says four")
    page.click("button[value=correct]")
    page.wait_for_url(event_url + "#review")
    assert page.locator("h1 .status").inner_text() == "corrected"
    assert page.locator(".field-sentence_years").inner_text().startswith("4.0")
    assert "machine: 3.0" in page.locator(".field-sentence_years").inner_text()
    assert "Browser Tester" in page.locator("table.reviews").inner_text()
    # A wrong value is refused with a message, and nothing is stored.
    page.fill(".review-form input[name=date]", "yesterday")
    page.click("button[value=correct]")
    assert page.locator("h1").inner_text() == "Error 422"
    assert "not an ISO date" in page.locator("p.error").inner_text()
    assert page.problems == [
        "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"
    ]
    page.problems.clear()
    page.goto(event_url)
    assert page.locator("table.reviews tbody tr").count() == 1
    assert page.dialogs == [] and page.problems == []
    # Signing out ends the session: the header offers sign-in again and the form is gone.
    page.click("header form.logout button")
    page.wait_for_url(f"{server}/")
    assert "Sign in to review" in page.locator("header .mode").inner_text()
    page.goto(event_url)
    assert page.locator(".review-form").count() == 0
    assert page.dialogs == [] and page.problems == []
