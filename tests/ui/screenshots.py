"""Regenerate the documentation screenshots in docs/img/ from a real run of the app.

    python -m tests.ui.screenshots

Serves the UI on a free port over a fresh temporary SQLite database (so the first start
loads rules/), drives headless Chromium through each page and saves one PNG per page.
These are the only screenshots committed; the test suite's go to test-artifacts/.
"""
from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from tests.ui.live import ROOT, app_server, chromium

OUT = ROOT / "docs" / "img"
TIMEOUT = 60_000


def pick(page, label: str, option, typed: str | None = None) -> None:
    widget = page.locator("[data-testid=stSelectbox], [data-testid=stMultiSelect]").filter(
        has=page.get_by_text(label, exact=True))
    widget.get_by_role("combobox").click()
    if typed:  # long option lists are virtualised: filter so that the option is rendered
        page.keyboard.type(typed)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def settle(page, text: str) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_text(text).first).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(1500)  # charts draw after their element appears


def to_top(locator) -> None:
    """Scroll so that the element is at the top of the window (the app scrolls inside a container)."""
    locator.evaluate("e => e.scrollIntoView({block: 'start'})")
    locator.page.wait_for_timeout(500)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        folder = Path(tmp)
        with app_server(f"sqlite:///{folder / 'docs.sqlite'}", folder / "streamlit.log") as base:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})

            page.goto(base)
            settle(page, "Coverage: regime × topic")
            page.screenshot(path=str(OUT / "ui-overview.png"))
            pick(page, "Regime", "CPTPP (trade agreement)", typed="CPTPP")
            pick(page, "Topic", "Location of computing facilities", typed="Location of computing")
            settle(page, "CPTPP 14.13.2")
            to_top(page.get_by_text("Provisions behind a cell"))
            page.screenshot(path=str(OUT / "ui-overview-cell.png"))

            page.goto(base + "compare")
            settle(page, "Side by side")
            pick(page, "Regimes to compare (two or more)", re.compile(r"^UK_GDPR — "), typed="UK_GDPR")
            pick(page, "Topics (empty: every topic the regimes address)", "Cross-border transfer of information", typed="Cross-border transfer of information")
            settle(page, "CPTPP vs DEPA vs UK_GDPR")
            page.screenshot(path=str(OUT / "ui-compare.png"))
            to_top(page.get_by_role("heading", name="Side by side"))
            page.screenshot(path=str(OUT / "ui-compare-side-by-side.png"))

            page.goto(base + "conflicts")
            settle(page, "Why they conflict")
            pick(page, "Start from", "China (CN), assuming CPTPP and DEPA accession")
            settle(page, "is a party to CPTPP")
            page.screenshot(path=str(OUT / "ui-conflicts.png"))
            to_top(page.get_by_text("Why they conflict").first)
            page.screenshot(path=str(OUT / "ui-conflicts-detail.png"))

            page.goto(base + "accession?country=CN&agreements=CPTPP&as_of=2026-06-01")
            settle(page, "CPTPP 14.13.2")
            page.screenshot(path=str(OUT / "ui-accession.png"))

            page.goto(base + "search")
            settle(page, "Type a word or a phrase")
            box = page.get_by_label("Words to find in citations, quotes, notes and terms")
            box.fill("computing facilities")
            box.press("Enter")
            settle(page, "provision(s) matching")
            page.screenshot(path=str(OUT / "ui-search.png"))

            page.goto(base + "editor")
            settle(page, "No problems in rules/example.dtr")
            area = page.get_by_label("Rule file", exact=True)
            area.fill(area.input_value().replace("of information", "of informaton"))
            area.press("Control+Enter")
            settle(page, "1 error(s)")
            to_top(page.get_by_text("File name", exact=True))
            page.screenshot(path=str(OUT / "ui-editor.png"))
    for png in sorted(OUT.glob("ui-*.png")):
        print(png.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
