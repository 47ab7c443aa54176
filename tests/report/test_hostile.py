"""Hostile text in every report format (issue 14): tests/fixtures/hostile holds titles, quotes,
notes, conditions and source URLs made of ``<script>``, ``"><img onerror=…>``, ``javascript:``
links, Markdown links and images to an outside host, and spreadsheet formulas.

The promises (docs/reliability.md): the HTML runs no script and fetches nothing (checked in
headless Chromium); the Markdown, rendered by a CommonMark renderer, holds no raw HTML and no
link or image; no CSV or XLSX cell is one a spreadsheet would evaluate (OWASP: a leading
``= + - @``, tab or CR is prefixed with ``'``), and no cell is a link.
"""
from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest

from comparator.checks import conflict_report
from comparator.compare import compare
from comparator.model import Perspective
from comparator.report import ReportOptions, render, render_workbook
from comparator.validate import load_corpus

from .conftest import AS_OF, ROOT

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
FORMULA_START = tuple("=+-@\t\r")
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def results():
    corpus = load_corpus([HOSTILE])
    comparison = compare(corpus, ["HOSTILE", "HOSTILE_LAW"], as_of=AS_OF)
    conflicts = conflict_report(corpus, Perspective(kind="country", country="GB", as_of=AS_OF))
    assert conflicts.conflicts, "the fixture must produce conflicts, or the conflict report goes untested"
    return {"comparison": comparison, "conflicts": conflicts}


def test_the_fixture_reaches_the_reports(results):
    text = render(results["comparison"], "csv", ReportOptions())
    assert "HYPERLINK" in text and "cmd|" in text and "javascript:" in text


@pytest.mark.parametrize("kind", ["comparison", "conflicts"])
def test_no_csv_cell_is_a_formula(results, kind):
    rows = list(csv.reader(io.StringIO(render(results[kind], "csv", ReportOptions()))))
    cells = [c for row in rows for c in row]
    assert any(c.startswith("'=") for c in cells) and any(c.startswith("'+") for c in cells)
    bad = [c for c in cells if c.startswith(FORMULA_START)]
    assert bad == [], f"cells a spreadsheet would evaluate: {bad[:3]}"


def test_no_xlsx_cell_is_a_formula_or_a_link(results, tmp_path):
    import openpyxl

    path = tmp_path / "hostile.xlsx"
    path.write_bytes(render_workbook([results["comparison"], results["conflicts"]], ReportOptions()))
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert any(isinstance(c.value, str) and "HYPERLINK" in c.value for c in cells)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [c.value for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA_START)] == []
    assert [c.hyperlink.target for c in cells if c.hyperlink and not str(c.hyperlink.target).startswith(
        ("http://", "https://"))] == []


@pytest.mark.parametrize("kind", ["comparison", "conflicts"])
def test_markdown_renders_to_text_only(results, kind):
    from markdown_it import MarkdownIt

    text = render(results[kind], "md", ReportOptions())
    html = MarkdownIt("commonmark").render(text)  # CommonMark passes raw HTML through: the worst case
    assert "window.__pwned" in html  # the payload is there, as text
    tags = re.findall(r"<(?:script|img|svg|iframe|style|a|body)\b[^>]*>", html, re.I)
    # The report's own table of contents (anchors and links to them) is the only markup allowed.
    assert [t for t in tags if not re.fullmatch(r'<a (href="#[^"]*"|id="[^"]*")>', t)] == []


@pytest.mark.parametrize("kind", ["comparison", "conflicts"])
def test_html_has_no_link_but_to_itself(results, kind):
    html = render(results[kind], "html", ReportOptions())
    targets = re.findall(r'(?:href|src|action)\s*=\s*"([^"]*)"', html, re.I)
    assert [t for t in targets if not t.startswith("#")] == []
    assert "<script" not in html.lower()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() and os.environ.get("CI") != "true":
        pytest.skip("Debian chromium not installed (never skipped under CI=true)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["comparison", "conflicts", "index"])
def test_html_in_chromium_runs_no_script_and_fetches_nothing(browser, results, kind, tmp_path):
    from comparator.report import render_index

    if kind == "index":
        title = load_corpus([HOSTILE]).files[0].regime.title
        html = render_index([{"section": title, "title": title, "files": {"html": "#"}}], ReportOptions(),
                            meta=title)
    else:
        html = render(results[kind], "html", ReportOptions())
    path = tmp_path / f"{kind}.html"
    path.write_text(html, encoding="utf-8")
    page = browser.new_page()
    dialogs, requests = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # let any onerror/onload handler fire
    # Click every link too: none may lead anywhere but into the page.
    for link in page.locator("a").all():
        link.click()
    pwned = page.evaluate("window.__pwned")
    body = page.inner_text("body")
    page.close()
    assert pwned is None and dialogs == []
    assert requests == [path.as_uri()], f"the report reached out: {requests}"
    assert "window.__pwned" in body  # the hostile text is shown, as text

