"""The HTML reports in a real headless Chromium (Debian's /usr/bin/chromium driven by playwright).

What only a browser can tell: a quote holding ``<script>`` is shown as text and never runs,
the file needs no network, the colours a reader sees are the legend's, the table of
contents leads somewhere, and the printed page is landscape. Screenshots go to
``test-artifacts/report/`` (gitignored; set TEST_ARTIFACTS to move it).

Under CI (CI=true) these tests never skip; locally they skip only when Chromium is missing.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from comparator.report import SEVERITY_COLOURS, STATUS_COLOURS, render
from comparator.sentences import countries

from .conftest import ROOT, SCRIPT

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", ROOT / "test-artifacts")) / "report"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists() and os.environ.get("CI") != "true",
                       reason="Debian chromium not installed (never skipped under CI=true)"),
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def open_report(browser, tmp_path):
    """Write a report to a file and open it; fails the test on any dialog or network request."""
    pages = []

    def open_(html: str, name: str):
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        dialogs: list[str] = []
        requests: list[str] = []

        def on_dialog(dialog):
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file://") else None)
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        pages.append((page, dialogs, requests))
        return page

    yield open_
    for page, dialogs, requests in pages:
        page.close()
        assert dialogs == [], f"a script ran in the report: dialog {dialogs}"
        assert requests == [], f"the report reached for the network: {requests}"


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"


@pytest.mark.parametrize("kind", ["comparison", "conflicts"])
def test_markup_in_a_quote_is_shown_as_text_and_never_runs(open_report, comparison, conflicts, options, kind):
    result = comparison if kind == "comparison" else conflicts
    page = open_report(render(result, "html", options), f"{kind}.html")
    quote = page.locator("blockquote.quote", has_text=SCRIPT)
    assert quote.count() == 1
    assert quote.first.is_visible()
    assert SCRIPT in quote.first.inner_text()
    # The report itself has no script at all, so any script element would be the quote's.
    assert page.locator("script").count() == 0
    assert page.evaluate("document.querySelectorAll('blockquote.quote script').length") == 0


def test_comparison_table_as_rendered(open_report, comparison, options):
    page = open_report(render(comparison, "html", options), "comparison.html")
    ids = [r.id for r in comparison.regimes]
    assert page.locator("table.comparison thead th").all_inner_texts() == ["Topic", *ids]
    topics = page.locator("table.comparison tbody.topic")
    assert topics.count() == len(comparison.rows)
    for i, row in enumerate(comparison.rows):
        body = topics.nth(i)
        assert body.get_attribute("data-topic") == row.topic
        cells = body.locator("td.cell")
        assert cells.count() == len(ids)
        for j, rid in enumerate(ids):
            cell, source = cells.nth(j), row.cells[rid]
            assert cell.get_attribute("data-regime") == rid
            assert cell.locator(".badge").inner_text().lower() == source.status.replace("_", " ")
            colour = cell.evaluate("e => getComputedStyle(e).backgroundColor")
            assert colour == rgb(STATUS_COLOURS[source.status])
            for provision in source.provisions:
                assert provision in cell.inner_text()
        notes = body.locator("tr.notes li").all_inner_texts()
        assert notes[len(row.verdicts):] == row.differences  # differences under their row
    # Legend: one swatch per status, in the colour the cells use.
    swatches = page.locator(".legend .swatch")
    assert [swatches.nth(i).evaluate("e => getComputedStyle(e).backgroundColor") for i in range(swatches.count())] \
        == [rgb(c) for c in STATUS_COLOURS.values()]
    # Table of contents: every topic, and every link lands on its row.
    links = page.locator("nav.toc a")
    assert links.count() == len(comparison.rows)
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")
        assert page.locator(f"[id='{target[1:]}']").count() == 1
    assert re.search(r"Generated 2026-06-01 · corpus sha256 [0-9a-f]{16}$", page.locator("footer").inner_text())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "comparison.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_printed_comparison_is_landscape_with_the_header_on_every_page(open_report, comparison, options):
    page = open_report(render(comparison, "html", options), "comparison.html")
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('table.comparison thead')).display") \
        == "table-header-group"
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "comparison.pdf").write_bytes(pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes, "no page size in the PDF"
    assert all(float(w) > float(h) for w, h in boxes)  # every page landscape (A4: 842 x 595 pt)


def test_conflict_report_as_rendered(open_report, conflicts, options):
    page = open_report(render(conflicts, "html", options), "conflicts.html")
    groups = page.locator("section.group")
    severities = list(dict.fromkeys(c.severity for c in conflicts.conflicts))
    assert [groups.nth(i).get_attribute("data-severity") for i in range(groups.count())] == severities
    articles = page.locator("article.conflict")
    assert articles.count() == len(conflicts.conflicts)
    for i, c in enumerate(conflicts.conflicts):
        article = articles.nth(i)
        heading = article.locator("h3")
        assert heading.evaluate("e => getComputedStyle(e).backgroundColor") == rgb(SEVERITY_COLOURS[c.severity])
        header = article.locator("table.sides thead th").all_inner_texts()
        # Countries by name in the report (the JSON keeps the code in `bound`).
        bound = countries(c.bound_countries) if c.bound_countries else c.bound
        assert header == [f"Bound: {bound}", f"A: {c.a.provision}", f"B: {c.b.provision}"]
        quotes = article.locator("table.sides blockquote.quote").all_inner_texts()
        assert quotes == [c.a.quote, c.b.quote]  # both provisions' words, side by side
        text = article.inner_text()
        assert c.explanation in text and c.scenario in text
        for via in c.reconcilable_via:
            assert via in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "conflicts.png"), full_page=True)


def test_chinese_quotes_render_with_real_glyphs_beside_their_english(open_report):
    """The Chinese original is drawn by a CJK font (not boxes) and sits in a column beside the English.

    Chromium reports, per node, which platform fonts drew how many glyphs (CDP
    CSS.getPlatformFontsForNode): every Chinese character must come from a font that has it.
    """
    import datetime as dt

    from comparator.checks import conflict_report
    from comparator.model import Perspective
    from comparator.report import ReportOptions
    from comparator.validate import load_corpus

    corpus = load_corpus([ROOT / "rules"])
    report = conflict_report(corpus, Perspective(kind="country", country="CN", as_of=dt.date(2026, 6, 1),
                                                 assume_party=[("CPTPP", "CN")]))
    page = open_report(render(report, "html", ReportOptions(generated_at="2026-06-01", corpus_hash="0" * 64)),
                       "cn.html")
    original = page.locator('.bilingual blockquote[lang="zh"]').first
    english = page.locator('.bilingual blockquote[lang="en"]').first
    text = original.inner_text()
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    assert len(han) > 10, text

    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": '.bilingual blockquote[lang="zh"]'})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cjk = [f for f in fonts if "CJK" in f["familyName"] or "Han" in f["familyName"]]
    assert cjk, f"no CJK font drew the Chinese quote: {fonts} (install fonts-noto-cjk: .ci/system-deps.sh)"
    assert sum(f["glyphCount"] for f in cjk) >= len(han), fonts
    assert original.evaluate("e => getComputedStyle(e).fontStyle") == "normal"  # italic CJK is a slanted fake

    # A font without the characters would draw same-width boxes; real glyphs are full-width.
    widths = page.evaluate("""() => {
        const probe = (s, lang) => { const e = document.createElement('span'); e.lang = lang; e.textContent = s;
                                     document.body.appendChild(e); const w = e.getBoundingClientRect().width; e.remove(); return w; };
        return [probe('中'.repeat(20), 'zh'), probe('i'.repeat(20), 'zh')];
    }""")
    assert widths[0] > 2 * widths[1], widths

    a, b = original.bounding_box(), english.bounding_box()
    assert a["x"] + a["width"] <= b["x"] + 1 and abs(a["y"] - b["y"]) < 40, (a, b)  # side by side, not stacked
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    original.locator("xpath=ancestor::article").screenshot(path=str(ARTIFACTS / "conflict-chinese.png"))
