"""Each report format read back with the library a reader's tool would use: csv, openpyxl,
python-docx, json. Expected values come from the result itself (its to_dict()), never typed in."""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook

from comparator.report import (CELL_FIELDS, COMPARISON_CSV_COLUMNS, CONFLICT_CSV_COLUMNS, SEVERITY_COLOURS,
                               STATUS_COLOURS, ReportError, ReportOptions, corpus_hash, md_escape, parse_fields,
                               render, render_workbook, resolve_generated_at, write_report)
from comparator.validate import load_corpus

from .conftest import CORPUS, SCRIPT


def cells_of(comparison):
    d = comparison.to_dict()
    return [(row["topic"], rid, cell) for row in d["rows"] for rid, cell in row["cells"].items()]


# ---------------------------------------------------------------------------- csv

def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_comparison_csv_has_one_row_per_topic_and_regime_in_the_documented_order(comparison, options):
    text = render(comparison, "csv", options)
    assert text.splitlines()[0].split(",") == list(COMPARISON_CSV_COLUMNS)
    rows = read_csv(text)
    assert [(r["topic"], r["regime"]) for r in rows] == [(t, rid) for t, rid, _ in cells_of(comparison)]
    for row, (_, _, cell) in zip(rows, cells_of(comparison)):
        assert row["status"] == cell["status"]
        assert row["provisions"].split("; ") == cell["provisions"] or (row["provisions"], cell["provisions"]) == ("", [])
        assert row["modality"] == (cell["modality"] or "") and row["stance"] == (cell["stance"] or "")
        assert row["quote"] == (cell["quote"] or "")


def test_csv_keeps_quotes_verbatim_including_markup(comparison, options):
    rows = read_csv(render(comparison, "csv", options))
    assert any(SCRIPT in r["quote"] for r in rows)  # CSV is data, not markup: nothing escaped


def test_csv_column_selection_drops_columns_but_keeps_the_order(comparison):
    chosen = ReportOptions(fields=parse_fields("quote,objects,modality"), quotes=True, generated_at="2026-06-01")
    header = render(comparison, "csv", chosen).splitlines()[0].split(",")
    assert header == ["topic", "topic_label", "regime", "status", "modality", "stance", "objects", "quote",
                      "quote_language", "english", "english_label"]
    no_quotes = ReportOptions(fields=parse_fields("quote,objects"), quotes=False, generated_at="2026-06-01")
    assert "quote" not in render(comparison, "csv", no_quotes).splitlines()[0].split(",")


def test_unknown_column_is_refused_with_the_list():
    with pytest.raises(ReportError) as err:
        parse_fields("provisions,quotes")
    assert "quotes" in err.value.message and "quote" in err.value.hint


def test_conflict_csv_one_row_per_conflict_most_severe_first(conflicts, options):
    text = render(conflicts, "csv", options)
    assert text.splitlines()[0].split(",") == list(CONFLICT_CSV_COLUMNS)
    rows = read_csv(text)
    expected = conflicts.to_dict()["conflicts"]
    assert [(r["a_provision"], r["b_provision"]) for r in rows] == [(c["a"]["provision"], c["b"]["provision"]) for c in expected]
    assert [r["number"] for r in rows] == [str(i) for i in range(1, len(expected) + 1)]
    order = ["high", "medium", "low"]
    assert [order.index(r["severity"]) for r in rows] == sorted(order.index(r["severity"]) for r in rows)
    assert rows[0]["a_quote"] == expected[0]["a"]["quote"]
    assert "a_quote" not in render(conflicts, "csv", ReportOptions(quotes=False)).splitlines()[0]


# ---------------------------------------------------------------------------- json

def test_json_is_exactly_the_contract(comparison, conflicts, options):
    assert json.loads(render(comparison, "json", options)) == comparison.to_dict()
    assert json.loads(render(conflicts, "json", options)) == conflicts.to_dict()


# ---------------------------------------------------------------------------- markdown

def test_markdown_escaping_shows_markup_as_text():
    assert md_escape(SCRIPT) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert md_escape("a | b *c* [x](y)") == r"a \| b \*c\* \[x\](y)"
    assert md_escape("personal_data _x_") == r"personal_data \_x\_"  # intraword underscores stay readable
    assert md_escape("two\nlines") == "two lines"  # a table cell cannot hold a newline


def test_markdown_table_rows_have_one_cell_per_regime(comparison, options):
    text = render(comparison, "md", options)
    ids = [r.id for r in comparison.regimes]
    summary = [line for line in text.splitlines() if line.startswith("| [")]
    assert len(summary) == len(comparison.rows)
    for line in summary:
        assert line.count(" | ") == len(ids)  # escaped pipes in labels would break this
    assert SCRIPT not in text


# ---------------------------------------------------------------------------- xlsx

def open_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content))


def test_xlsx_comparison_sheet_cells_colours_frozen_header_filter(comparison, options):
    wb = open_xlsx(render(comparison, "xlsx", options))
    assert wb.sheetnames == ["ALPHA vs BETA vs GB_LAW"]
    ws = wb.active
    ids = [r.id for r in comparison.regimes]
    assert [c.value for c in ws[1]] == ["Topic", "Label", *ids, "Differences"]
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=ws.max_column).column_letter}{ws.max_row}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$1"  # the header row printed on every page
    assert ws.max_row == 1 + len(comparison.rows)
    for r, row in enumerate(comparison.rows, start=2):
        assert ws.cell(row=r, column=1).value == row.topic
        for col, rid in enumerate(ids, start=3):
            cell, source = ws.cell(row=r, column=col), row.cells[rid]
            assert cell.fill.fgColor.rgb[-6:] == STATUS_COLOURS[source.status]
            assert cell.alignment.wrap_text
            assert cell.value.splitlines()[0] == source.status.replace("_", " ").upper()
            if source.quote:
                assert source.quote in cell.value
    assert "corpus sha256" in ws.oddFooter.center.text


def test_xlsx_workbook_one_sheet_per_result_plus_conflicts(comparison, conflicts, options):
    wb = open_xlsx(render_workbook([comparison, conflicts], options))
    assert wb.sheetnames == ["ALPHA vs BETA vs GB_LAW", "Conflicts GB"]
    ws = wb["Conflicts GB"]
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref
    expected = conflicts.to_dict()["conflicts"]
    assert ws.max_row == 1 + len(expected)
    for r, c in enumerate(expected, start=2):
        assert ws.cell(row=r, column=2).value == c["severity"]
        assert ws.cell(row=r, column=2).fill.fgColor.rgb[-6:] == SEVERITY_COLOURS[c["severity"]]
        assert ws.cell(row=r, column=5).value == c["a"]["provision"]
        assert c["b"]["quote"] in ws.cell(row=r, column=8).value
        assert ws.cell(row=r, column=10).value == c["explanation"]


# ---------------------------------------------------------------------------- docx

def open_docx(content: bytes):
    return Document(io.BytesIO(content))


def shading(cell) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return None if shd is None else shd.get(qn("w:fill"))


def test_docx_comparison_is_a_landscape_table_with_colours_and_a_repeated_header(comparison, options):
    doc = open_docx(render(comparison, "docx", options))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    table = doc.tables[-1]
    ids = [r.id for r in comparison.regimes]
    assert [c.text for c in table.rows[0].cells] == ["Topic", *ids]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    topic_rows = [row for row in table.rows[1:] if len({id(c._tc) for c in row.cells}) > 1]  # not the merged notes rows
    assert len(topic_rows) == len(comparison.rows)
    for row, source in zip(topic_rows, comparison.rows):
        assert source.topic in row.cells[0].text
        for cell, rid in zip(row.cells[1:], ids):
            assert shading(cell) == STATUS_COLOURS[source.cells[rid].status]
            if source.cells[rid].quote:
                assert source.cells[rid].quote in cell.text
    assert "corpus sha256" in section.footer.paragraphs[0].text


def test_docx_conflicts_side_by_side_grouped_by_severity(conflicts, options):
    doc = open_docx(render(conflicts, "docx", options))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 2")]
    severities = [c.severity for c in conflicts.conflicts]
    assert headings == [f"{s.capitalize()} severity ({severities.count(s)})" for s in dict.fromkeys(severities)]
    assert len(doc.tables) == len(conflicts.conflicts)
    for table, c in zip(doc.tables, conflicts.conflicts):
        assert [cell.text for cell in table.rows[0].cells] == ["", f"A: {c.a.provision}", f"B: {c.b.provision}"]
        quote_row = next(r for r in table.rows if r.cells[0].text == "Quote")
        assert (quote_row.cells[1].text, quote_row.cells[2].text) == (c.a.quote, c.b.quote)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert all(c.explanation in text and c.scenario in text for c in conflicts.conflicts)


# ---------------------------------------------------------------------------- determinism

@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json", "xlsx", "docx"])
def test_same_result_and_options_give_the_same_bytes(comparison, options, fmt):
    assert render(comparison, fmt, options) == render(comparison, fmt, options)


def test_the_footer_date_is_the_only_thing_that_moves(comparison, options):
    from dataclasses import replace

    a = render(comparison, "html", options)
    b = render(comparison, "html", replace(options, generated_at="2027-01-02"))
    changed = [(x, y) for x, y in zip(a.splitlines(), b.splitlines()) if x != y]
    assert len(changed) == 1 and "2026-06-01" in changed[0][0] and "2027-01-02" in changed[0][1]
    assert render(comparison, "csv", options) == render(comparison, "csv", replace(options, generated_at="2027-01-02"))


def test_zip_entries_and_properties_carry_the_pinned_date(comparison, options):
    for fmt in ("xlsx", "docx"):
        content = render(comparison, fmt, options)
        infos = zipfile.ZipFile(io.BytesIO(content)).infolist()
        assert {i.date_time for i in infos} == {(2026, 6, 1, 0, 0, 0)}
        core = zipfile.ZipFile(io.BytesIO(content)).read("docProps/core.xml").decode()
        assert core.count("2026-06-01T00:00:00Z") == 2  # created and modified


def test_generated_at_sources(monkeypatch):
    assert resolve_generated_at("2026-06-01") == "2026-06-01"
    assert resolve_generated_at("2026-06-01T10:30+02:00") == "2026-06-01 08:30 UTC"
    assert resolve_generated_at(None, {"SOURCE_DATE_EPOCH": "1780272000"}) == "2026-06-01 00:00 UTC"
    now = resolve_generated_at(None, {})
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", now)
    assert resolve_generated_at(now) == now  # a resolved stamp can be handed on as it is
    with pytest.raises(ReportError):
        resolve_generated_at("1 June")
    with pytest.raises(ReportError):
        resolve_generated_at(None, {"SOURCE_DATE_EPOCH": "yesterday"})


def test_corpus_hash_follows_meaning_not_layout(tmp_path, corpus):
    import shutil

    copy = tmp_path / "corpus"
    shutil.copytree(CORPUS, copy, ignore=shutil.ignore_patterns("expected"))
    alpha = copy / "alpha.dtr"
    alpha.write_text("# a comment moves every line\n\n" + alpha.read_text(encoding="utf-8"), encoding="utf-8")
    assert corpus_hash(load_corpus([copy])) == corpus_hash(corpus)
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("Each Party shall allow", "Each Party may allow"),
                     encoding="utf-8")
    assert corpus_hash(load_corpus([copy])) != corpus_hash(corpus)


# ---------------------------------------------------------------------------- selection, writing

def test_no_quotes_leaves_every_quote_out(comparison, conflicts):
    opts = ReportOptions(quotes=False, generated_at="2026-06-01")
    quotes = [c.quote for row in comparison.rows for c in row.cells.values() if c.quote]
    quotes += [s.quote for c in conflicts.conflicts for s in (c.a, c.b) if s.quote]
    for result in (comparison, conflicts):
        for fmt in ("md", "html", "csv"):
            text = render(result, fmt, opts)
            assert not any(q in text or md_escape(q) in text for q in quotes), fmt


def test_fields_selection_shows_only_those_details(comparison):
    html = render(comparison, "html", ReportOptions(fields=("objects",), generated_at="2026-06-01"))
    assert 'data-field="objects"' in html
    for other in set(CELL_FIELDS) - {"objects", "quote", "citations", "differences"}:
        assert f'data-field="{other}"' not in html
    assert 'class="notes"' not in html and "Source:" not in html


def test_binary_formats_need_a_file(comparison, tmp_path):
    with pytest.raises(ReportError) as err:
        write_report(comparison, "xlsx", None)
    assert "-o" in err.value.message
    out = tmp_path / "c.xlsx"
    write_report(comparison, "xlsx", out, ReportOptions(generated_at="2026-06-01"))
    assert open_xlsx(out.read_bytes()).sheetnames


def test_unwritable_target_is_a_report_error(comparison, tmp_path):
    with pytest.raises(ReportError) as err:
        write_report(comparison, "md", tmp_path / "missing" / "c.md")
    assert "cannot write" in err.value.message


def test_corpus_hash_is_the_same_from_rule_files_and_from_the_database(tmp_path, corpus):
    from typer.testing import CliRunner

    from comparator.cli import app
    from comparator.store import load_corpus_from_db

    url = f"sqlite:///{tmp_path / 'dtrc.sqlite'}"
    result = CliRunner().invoke(app, ["load", str(CORPUS), "--db", url])
    assert result.exit_code == 0, result.output
    assert corpus_hash(load_corpus_from_db(url)) == corpus_hash(corpus)
