"""The Accession page in real headless Chromium: a shared link shows the engine's rows.

Like tests/ui/test_browser.py: the server starts on an empty SQLite database (the first
load brings in rules/); a screenshot goes to ./test-artifacts/ (gitignored).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from comparator import store
from comparator.accession import accession
from comparator.validate import load_corpus
from tests.ui.live import ARTIFACTS, CHROMIUM, ROOT, app_server, chromium, wait_until_idle

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI=true but no Chromium at {CHROMIUM}: run `make system-deps`")
    pytest.skip("system chromium not installed", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

TIMEOUT = 60_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e-accession")
    url = f"sqlite:///{folder / 'empty.sqlite'}"
    with app_server(url, folder / "streamlit.log") as base:
        yield base
    store.dispose_engine(url)


def test_a_shared_link_shows_the_same_rows(server):
    expected = accession(load_corpus([ROOT / "rules"]), "CN", ["CPTPP"], as_of="2026-06-01")
    with chromium() as browser:
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.goto(server + "accession?country=CN&agreements=CPTPP&as_of=2026-06-01")
        expect(page.get_by_text("CN joining CPTPP as of 2026-06-01")).to_be_visible(timeout=TIMEOUT)
        wait_until_idle(page)
        titles = page.locator("[data-testid=stExpander] summary").all_inner_texts()
        # A summary's text also holds the icon's ligature name; the provision is what precedes " — ".
        shown = [m.group(1) for m in (re.search(r"(CPTPP \S+) — ", " ".join(t.split())) for t in titles) if m]
        assert shown == [r.provision for r in expected.rows], titles[:3]
        expect(page.get_by_text("already bound by RCEP 12.15.2").first).to_be_visible(timeout=TIMEOUT)
        expect(page.locator("[data-testid=stVegaLiteChart]").first).to_be_visible(timeout=TIMEOUT)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "ui-accession.png"), full_page=False)
