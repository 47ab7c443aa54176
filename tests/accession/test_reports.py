"""Accession reports in every format: the same rows, words from labels, deterministic bytes."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from comparator.accession import accession
from comparator.report import ReportOptions, render
from comparator.report.accession import ACCESSION_CSV_COLUMNS

OPTIONS = ReportOptions(generated_at="2026-06-01", corpus_hash="0" * 64)


@pytest.fixture(scope="module")
def cn(bundled):
    return accession(bundled, "CN", ["CPTPP"], as_of="2026-06-01")


def test_markdown_has_the_summary_the_rows_and_both_texts(cn):
    md = render(cn, "md", OPTIONS)
    assert md.startswith("# Accession: CN joining CPTPP\n")
    assert "| compatible via an exception | 2 |" in md
    assert "### CPTPP 14.13.2: compatible via an exception (CPTPP 14.13.3, reviewable)" in md
    assert "already bound by RCEP 12.15.2" in md
    assert "Out of scope: CN_PIPL 36 is outside CPTPP 14.13.2" in md
    assert "Precedent: MY obtained a deferral for CPTPP 14.11.2" in md
    # Text for a reader: vocabulary terms as labels, not identifiers.
    prose = "\n".join(line for line in md.splitlines() if line.startswith(("- Precedent", "Room", "- CPTPP", "CN_")))
    assert not re.search(r"\b(legitimate_public_policy|non_discrimination|essential_security)\b", prose)


def test_html_is_one_file_with_the_same_rows(cn):
    html = render(cn, "html", OPTIONS)
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert len(re.findall(r'<tr data-verdict="', html)) == len(cn.rows)
    assert 'data-measure="CN_PIPL 40"' in html and "Generated 2026-06-01" in html


def test_csv_has_a_line_per_provision_and_measure(cn):
    rows = list(csv.DictReader(io.StringIO(render(cn, "csv", OPTIONS))))
    assert list(rows[0]) == list(ACCESSION_CSV_COLUMNS)
    assert len(rows) == sum(max(1, len(r.conflicts)) for r in cn.rows)
    pipl = next(r for r in rows if r["measure"] == "CN_PIPL 38.1")
    assert (pipl["provision"], pipl["new"], pipl["already_bound_by"]) == ("CPTPP 14.11.2", "no", "RCEP 12.15.2")


def test_xlsx_and_docx_open_and_are_byte_identical(cn):
    from docx import Document
    from openpyxl import load_workbook

    xlsx = render(cn, "xlsx", OPTIONS)
    assert xlsx == render(cn, "xlsx", OPTIONS)
    wb = load_workbook(io.BytesIO(xlsx))
    assert wb.sheetnames == ["Accession CN CPTPP"]
    assert any(c.value == "CN_PIPL 40" for row in wb.active.iter_rows() for c in row)
    docx = render(cn, "docx", OPTIONS)
    assert docx == render(cn, "docx", OPTIONS)
    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert "Accession: CN joining CPTPP" in text and "CPTPP 14.13.2: compatible via an exception" in text


def test_json_is_the_contract(cn):
    assert json.loads(render(cn, "json", OPTIONS)) == cn.to_dict()


def test_already_party_says_so(bundled):
    r = accession(bundled, "GB", ["CPTPP"], as_of="2026-06-01")
    assert "GB is already a party to CPTPP: joining adds nothing." in render(r, "md", OPTIONS)
