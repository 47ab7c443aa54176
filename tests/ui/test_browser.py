"""End to end in real headless Chromium: the app served by Streamlit on a free port.

The server starts on an EMPTY temporary SQLite database, so the first page load also
proves the first-start load of rules/. Assertions are on rendered text (st.dataframe is
a canvas: table contents are asserted with AppTest in the other tests). Screenshots and
page timings go to ./test-artifacts/ (gitignored). Under CI (CI=true) a missing Chromium
fails instead of skipping.
"""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from comparator import store
from tests.ui.live import ARTIFACTS, CHROMIUM, ROOT, app_server, chromium

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI=true but no Chromium at {CHROMIUM}: run `make system-deps`")
    pytest.skip("system chromium not installed", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 - only once we know the browser tests run

TIMEOUT = 30_000
TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{folder / 'empty.sqlite'}"
    with app_server(url, folder / "streamlit.log") as base:
        yield base, url
    store.dispose_engine(url)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "ui-page-timings.json").write_text(json.dumps(TIMINGS, indent=2) + "\n")


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    p = context.new_page()
    yield p
    context.close()


def open_page(page, base: str, path: str, ready_text: str, name: str):
    """Go to a page and wait until ``ready_text`` is rendered; record how long that took."""
    started = time.perf_counter()
    page.goto(base + path)
    expect(page.get_by_text(ready_text).first).to_be_visible(timeout=TIMEOUT)
    TIMINGS[name] = round(time.perf_counter() - started, 2)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"ui-{name}.png"))


def pick(page, label: str, option, typed: str | None = None) -> None:
    """Choose ``option`` in the selectbox or multiselect labelled ``label``."""
    widget = page.locator("[data-testid=stSelectbox], [data-testid=stMultiSelect]").filter(
        has=page.get_by_text(label, exact=True))
    widget.get_by_role("combobox").click()
    if typed:  # long option lists are virtualised: filter so that the option is rendered
        page.keyboard.type(typed)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def test_overview_first_start_and_cell_click(server, page):
    base, url = server
    open_page(page, base, "", "Coverage: regime × topic", "overview (first start: loads rules/)")
    # The empty database now holds the bundled rules.
    regimes = store.list_regimes(url)
    assert len(regimes) == len(list((ROOT / "rules").glob("*.dtr")))  # one regime per top-level rule file
    metrics = page.get_by_test_id("stMetric")
    expect(metrics.filter(has_text="Provisions")).to_contain_text(str(sum(r.provisions for r in regimes)))
    # Click the CPTPP x cross-border-transfer cell of the heatmap (cells are a fixed grid).
    kinds = {r.id: r.kind for r in regimes}
    columns = sorted(kinds, key=lambda r: (kinds[r], r))
    grid = page.locator("[data-testid=stVegaLiteChart] g.mark-rect").first
    expect(page.locator("[data-testid=stSelectbox]").filter(has=page.get_by_text("Topic", exact=True))).to_be_visible()
    grid.scroll_into_view_if_needed()
    rows = _topics_in(url, columns)
    box = grid.bounding_box()
    col, row = columns.index("CPTPP"), rows.index("data_flows.cross_border_transfer")
    page.mouse.click(box["x"] + (col + 0.5) * box["width"] / len(columns),
                     box["y"] + (row + 0.5) * box["height"] / len(rows))
    dialog = page.get_by_role("dialog")  # the cell opens in a dialog: the chart is taller than the screen
    expect(dialog.get_by_text("Each Party shall allow the cross-border transfer of information")).to_be_visible(timeout=TIMEOUT)
    expect(dialog.get_by_text("CPTPP 14.11.2")).to_be_visible()
    expect(dialog.get_by_text("A Party must allow a covered person to transfer information and personal information "
                              "across borders")).to_be_visible()
    shot(page, "overview")


def _topics_in(url, regime_ids):
    from comparator.compare import compare

    return [r.topic for r in compare(store.load_corpus_from_db(url), regime_ids).rows]


def test_compare_pick_regimes_and_download_a_report(server, page):
    base, _ = server
    open_page(page, base, "compare", "Side by side", "compare")
    expect(page.get_by_text("CPTPP vs DEPA", exact=False).first).to_be_visible()
    pick(page, "Regimes to compare (two or more)", re.compile(r"^UK_GDPR — "), typed="UK_GDPR")
    expect(page.get_by_text("CPTPP vs DEPA vs UK_GDPR").first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("UK_GDPR 44A").first).to_be_visible(timeout=TIMEOUT)
    # Quotes are shown as written: UK GDPR 44A opens "1. A controller ...", which must not become a list.
    expect(page.get_by_text("1. A controller or processor may transfer personal data").first).to_be_attached()
    with page.expect_download() as download:
        page.get_by_role("button", name="Markdown").click()
    assert download.value.suggested_filename == "compare-CPTPP-DEPA-UK_GDPR.md"
    report = Path(download.value.path()).read_text(encoding="utf-8")
    assert "CPTPP" in report and "UK_GDPR" in report and "44A" in report
    ARTIFACTS.mkdir(exist_ok=True)
    Path(download.value.path()).replace(ARTIFACTS / download.value.suggested_filename)
    shot(page, "compare")


def test_conflicts_for_the_united_kingdom_then_china(server, page):
    base, _ = server
    open_page(page, base, "conflicts", "Why they conflict", "conflicts")
    expect(page.get_by_text("Conflicts for country GB").first).to_be_visible()
    expect(page.get_by_text("UK_GDPR 44A.3").first).to_be_visible()
    shot(page, "conflicts")
    pick(page, "Start from", "China (CN), assuming CPTPP and DEPA accession")
    expect(page.get_by_text("assuming CN is a party to CPTPP").first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("CN_PIPL").first).to_be_visible(timeout=TIMEOUT)


def test_search(server, page):
    base, _ = server
    open_page(page, base, "search", "Type a word or a phrase", "search")
    box = page.get_by_label("Words to find in citations, quotes, notes and terms")
    box.fill("computing facilities")
    box.press("Enter")
    expect(page.get_by_text(re.compile(r"\d+ provision\(s\) matching"))).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("CPTPP 14.13.2").first).to_be_visible()
    shot(page, "search")


def test_editor_shows_the_error_with_its_line(server, page):
    base, _ = server
    open_page(page, base, "editor", "No problems in rules/example.dtr", "editor")
    area = page.get_by_label("Rule file", exact=True)
    area.fill(area.input_value().replace("must allow", "must alow"))
    area.press("Control+Enter")
    expect(page.get_by_text("1 error(s), 0 warning(s) in rules/example.dtr")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("rules/example.dtr:10:", exact=False).first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("button", name="Load into the database")).to_be_disabled(timeout=TIMEOUT)
    shot(page, "editor")


def test_editor_uploads_refuses_over_one_megabyte_then_takes_a_rule_file(server, page, tmp_path):
    base, _ = server
    open_page(page, base, "editor", "No problems in rules/example.dtr", "editor (upload)")
    dropzone = page.locator("[data-testid=stFileUploaderDropzoneInput]")
    big = tmp_path / "big.dtr"
    big.write_bytes(b"#" * 1_100_000)
    dropzone.set_input_files(str(big))
    # Refused in the browser by the widget's own limit (max_upload_size=1): the file never reaches the app.
    expect(page.get_by_test_id("stFileUploader").get_by_text("File must be 1.0MB or smaller.")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("No problems in rules/example.dtr")).to_be_visible()  # the editor kept its text

    rule_file = tmp_path / "uploaded_rules.dtr"
    rule_file.write_text((ROOT / "rules" / "us_cloud_act.dtr").read_text(encoding="utf-8"), encoding="utf-8")
    dropzone.set_input_files(str(rule_file))
    expect(page.get_by_text("No problems in rules/uploaded_rules.dtr")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_label("Rule file", exact=True)).to_have_value(rule_file.read_text(encoding="utf-8"))
