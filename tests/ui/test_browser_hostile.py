"""Hostile text in the served app, in real headless Chromium (issue 14).

tests/fixtures/hostile (titles, quotes, notes and sources carrying script, HTML, javascript:
links and outside images; every payload sets ``window.__pwned``) is loaded into a temporary
SQLite database and served by the real app. On each page that shows rule text the browser
must see it as text: no dialog, no ``window.__pwned``, no request leaving 127.0.0.1, no
``javascript:`` link. Nothing is injected: the page renders what the database holds.
tests/ui/test_hostile.py checks the Markdown bodies in-process (AppTest).
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from comparator import store
from tests.ui.live import CHROMIUM, app_server, chromium, wait_until_idle

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI=true but no Chromium at {CHROMIUM}: run `make system-deps`")
    pytest.skip("system chromium not installed", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 - only once we know the browser tests run

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
TIMEOUT = 30_000
LOCAL_SCHEMES = {"data", "blob", "about"}  # in-page resources: nothing leaves the machine


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-e2e")
    url = f"sqlite:///{folder / 'hostile.sqlite'}"
    store.load_paths([HOSTILE], url)  # not empty: the app serves this, not the bundled rules
    with app_server(url, folder / "streamlit.log") as base:
        yield base
    store.dispose_engine(url)


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def watched(browser):
    """A fresh page whose dialogs and requests are recorded from before the first navigation."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    dialogs, requests = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    yield page, dialogs, requests
    context.close()


def assert_inert(page, dialogs, requests) -> None:
    wait_until_idle(page)
    page.wait_for_timeout(500)  # let any <img onerror> or <svg onload> that slipped through fire
    assert dialogs == []
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    outside = [u for u in requests
               if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []
    assert page.locator('a[href^="javascript:" i]').count() == 0
    for tag in ("script:not([src])", "iframe", "img[src^='https://evil']", "svg[onload]", "[onerror]", "[onload]"):
        # Streamlit has its own bundles; none of the fixture's elements may appear in the app's view.
        assert page.locator(f"[data-testid=stMain] {tag}").count() == 0, tag


def test_overview(server, watched):
    page, dialogs, requests = watched
    page.goto(server)
    expect(page.get_by_text("Coverage: regime × topic")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("HOSTILE", exact=False).first).to_be_attached()
    assert_inert(page, dialogs, requests)


def test_compare_hostile_regimes(server, watched):
    page, dialogs, requests = watched
    page.goto(server + "compare")  # the only two regimes, HOSTILE and HOSTILE_LAW, are chosen by default
    expect(page.get_by_text("HOSTILE vs HOSTILE_LAW").first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Side by side")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("window.__pwned=6", exact=False).first).to_be_attached(timeout=TIMEOUT)  # shown as text
    assert_inert(page, dialogs, requests)


def test_conflicts(server, watched):
    page, dialogs, requests = watched
    page.goto(server + "conflicts")  # the default perspective is GB, a party to HOSTILE and HOSTILE_LAW's country
    expect(page.get_by_text("Conflicts for country GB").first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("HOSTILE_LAW 44", exact=False).first).to_be_visible(timeout=TIMEOUT)
    assert_inert(page, dialogs, requests)


def test_search(server, watched):
    page, dialogs, requests = watched
    page.goto(server + "search")
    box = page.get_by_label("Words to find in citations, quotes, notes and terms")
    box.fill("HYPERLINK")
    box.press("Enter")
    expect(page.get_by_text("provision(s) matching", exact=False)).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("window.__pwned=6", exact=False).first).to_be_attached(timeout=TIMEOUT)
    assert_inert(page, dialogs, requests)
