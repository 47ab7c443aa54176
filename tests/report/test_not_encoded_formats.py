"""A not-encoded cell in every format: its own label, meaning, hatched grey, and JSON status.

DEPA declares its Article 6.3 (online consumer protection) not encoded; CPTPP 14.7 binds.
Expected values come from the comparison itself and the report palette, never typed twice.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from comparator.compare import compare
from comparator.report import HATCH_COLOUR, STATUS_COLOURS, STATUS_LABELS, STATUS_MEANINGS, ReportOptions, render
from comparator.validate import load_corpus

RULES = Path(__file__).resolve().parents[2] / "rules"
TOPIC = "consumer_protection.online"


@pytest.fixture(scope="module")
def comparison():
    return compare(load_corpus([RULES]), ["CPTPP", "DEPA"], topics=TOPIC, as_of="2026-11-23")


@pytest.fixture(scope="module")
def options():
    return ReportOptions(generated_at="2026-06-01", corpus_hash="0" * 64)


def test_the_cell_is_not_encoded_and_the_difference_says_so(comparison):
    (row,) = comparison.rows
    assert row.cells["DEPA"].status == "not_encoded" and row.cells["CPTPP"].status == "binding"
    assert any("is not encoded for DEPA" in d for d in row.differences)
    assert not any("DEPA has no provision" in d for d in row.differences)


def test_json_keeps_the_identifier(comparison, options):
    d = json.loads(render(comparison, "json", options))
    cell = d["rows"][0]["cells"]["DEPA"]
    assert cell["status"] == "not_encoded" and cell["provisions"] == []


def test_csv_status_column(comparison, options):
    rows = {r["regime"]: r for r in csv.DictReader(io.StringIO(render(comparison, "csv", options)))}
    assert rows["DEPA"]["status"] == "not_encoded"


def test_markdown_and_html_label_and_legend(comparison, options):
    md = render(comparison, "md", options)
    assert f"**{STATUS_LABELS['not_encoded']}**: {STATUS_MEANINGS['not_encoded']}" in md
    assert f"| {STATUS_LABELS['not_encoded']} |" in md
    html = render(comparison, "html", options)
    assert 'class="cell status-not_encoded" data-regime="DEPA" data-status="not_encoded"' in html
    assert f".status-not_encoded {{ background: #{STATUS_COLOURS['not_encoded']}; background-image: repeating-linear-gradient" in html
    assert STATUS_COLOURS["not_encoded"] != STATUS_COLOURS["absent"]


def test_xlsx_hatches_the_cell(comparison, options):
    ws = load_workbook(io.BytesIO(render(comparison, "xlsx", options))).active
    ids = [r.id for r in comparison.regimes]
    cell = ws.cell(row=2, column=3 + ids.index("DEPA"))
    assert cell.fill.fill_type == "lightUp"
    assert (cell.fill.fgColor.rgb[-6:], cell.fill.bgColor.rgb[-6:]) == (HATCH_COLOUR, STATUS_COLOURS["not_encoded"])
    assert cell.value.splitlines()[0] == "NOT ENCODED"
    assert ws.cell(row=2, column=3 + ids.index("CPTPP")).fill.fill_type == "solid"


def test_docx_hatches_the_cell_and_the_legend(comparison, options):
    doc = Document(io.BytesIO(render(comparison, "docx", options)))
    legend, table = doc.tables[0], doc.tables[-1]

    def shd(cell):
        el = cell._tc.tcPr.find(qn("w:shd"))
        return el.get(qn("w:val")), el.get(qn("w:fill"))

    depa = table.rows[1].cells[1 + [r.id for r in comparison.regimes].index("DEPA")]
    assert shd(depa) == ("diagStripe", STATUS_COLOURS["not_encoded"])
    assert ("diagStripe", STATUS_COLOURS["not_encoded"]) in [shd(c) for c in legend.rows[0].cells]
