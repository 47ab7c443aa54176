"""Report format csv: one row per cell (comparison) or per conflict.

Part of the report stage (compare/checks -> **report** -> cli/ui); the columns are
the contract's, filtered by ``ReportOptions.fields``.
"""
from __future__ import annotations

import csv
import io

from .accession import accession_csv, is_accession
from .views import (
    _ALWAYS,
    _CSV_COLUMN_FIELD,
    COMPARISON_CSV_COLUMNS,
    CONFLICT_CSV_COLUMNS,
    QUOTE_COLUMN_SUFFIXES,
    SENTENCE_SEPARATOR,
    ReportOptions,
    _join,
    comparison_view,
    conflicts_view,
    is_comparison,
)


# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (`=HYPERLINK(...)`, `=cmd|...`, `+1`, `@SUM`, and after a tab or CR): OWASP "CSV injection".
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value):
    """A value for a spreadsheet cell that no spreadsheet evaluates: text a formula could start
    with gets a leading ``'`` (the OWASP advice; a reader sees the text as written)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_text(header: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell_text(row[c]) for c in header])
    return buf.getvalue()


def comparison_csv_columns(options: ReportOptions) -> list[str]:
    return [c for c in COMPARISON_CSV_COLUMNS if c in _ALWAYS or options.shows(_CSV_COLUMN_FIELD.get(c, c))]


def conflict_csv_columns(options: ReportOptions) -> list[str]:
    return [c for c in CONFLICT_CSV_COLUMNS if options.quotes or not c.endswith(QUOTE_COLUMN_SUFFIXES)]


def _english_columns(v: dict) -> dict:
    """The quote's language and, for a quote not in English, the English beside it and its label
    (empty when the quote is English or not shown: a spreadsheet filter then finds the originals)."""
    return {"quote_language": v["quote_language"] if v["quote"] else "", "english": v["english"],
            "english_label": v["english_label"]}


def comparison_csv(data: dict, options: ReportOptions) -> str:
    view = comparison_view(data, options)
    out = []
    for row in view["rows"]:
        for cell in row["cells"]:
            # Machine-readable columns: modality and stance apart, as in the JSON.
            out.append({"topic": row["topic"], "topic_label": row["label"], "regime": cell["regime"],
                        "status": cell["status"], **cell["values"], **_english_columns(cell),
                        "modality": cell["data"].get("modality") or "", "stance": cell["data"].get("stance") or "",
                        "differences": SENTENCE_SEPARATOR.join(row["differences"])})
    return _csv_text(comparison_csv_columns(options), out)


def conflicts_csv(data: dict, options: ReportOptions) -> str:
    view = conflicts_view(data, options)
    out = []
    for c in view["conflicts"]:
        row = {"number": c["number"], "severity": c["severity"], "kind": c["kind"], "bound": c["bound"],
               "bound_countries": _join(c["bound_countries"]), "overlap": _join(c["overlap"]),
               "explanation": c["explanation"], "scenario": c["scenario"],
               "reconcilable_via": _join(c["reconcilable_via"]), "reconcilable_if": c["reconcilable_if"]}
        for side in ("a", "b"):
            s = c[side]
            row.update({f"{side}_regime": s["regime"], f"{side}_provision": s["provision"], f"{side}_norm": s["norm"],
                        f"{side}_quote": s["quote"], f"{side}_status": s["status"], f"{side}_citation": s["citation"],
                        **{f"{side}_{k}": v for k, v in _english_columns(s).items()}})
        out.append(row)
    return _csv_text(conflict_csv_columns(options), out)


def render(data: dict, options: ReportOptions) -> str:
    if is_accession(data):
        return accession_csv(data, options)
    return comparison_csv(data, options) if is_comparison(data) else conflicts_csv(data, options)
