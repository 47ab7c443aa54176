"""Report format xlsx: one sheet per result, coloured by status or severity (openpyxl).

Part of the report stage (compare/checks -> **report** -> cli/ui).
"""
from __future__ import annotations

import io
import re
from typing import Iterable

from .accession import accession_view, is_accession
from .ooxml import _normalise_zip, _pinned_datetime
from .tabular import cell_text
from .views import (
    HATCH_COLOUR,
    HEADER_COLOUR,
    LIST_SEPARATOR,
    ReportOptions,
    _footer,
    _pinned,
    as_dict,
    comparison_view,
    conflicts_view,
    english_lines,
    is_comparison,
)


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(data: dict, options: ReportOptions, taken: set[str]) -> str:
    if is_accession(data):
        title = f"Accession {data['country']} " + "-".join(data["agreements"])
    elif is_comparison(data):
        title = " vs ".join(r["id"] for r in data["regimes"])
    else:
        p = data.get("perspective") or {}
        title = "Conflicts " + (p.get("country") or p.get("role") or "regimes") if p.get("kind") != "regimes" \
            else "Conflicts"
    title = _SHEET_FORBIDDEN.sub("-", title)[:31]  # Excel's limits on sheet names
    base, n = title, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _cell_lines(cell: dict) -> list[str]:
    lines = [cell["status_label"].upper()]
    lines += [f"{d['label']}: {d['text']}" for d in cell["details"]]
    if cell["quote"]:
        lines.append(f"“{cell['quote']}”")
        lines += english_lines(cell)
    if cell["citations"]:
        lines.append("Source: " + LIST_SEPARATOR.join(cell["citations"]))
    return lines


def _fill(colour: str, hatched: bool = False):
    from openpyxl.styles import PatternFill

    if hatched:
        # A pattern fill: start_color draws the stripes, end_color the ground.
        return PatternFill(fill_type="lightUp", start_color=HATCH_COLOUR, end_color=colour)
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def _xlsx_header(ws, headers: list[str], widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.append(headers)
    for i, width in enumerate(widths, 1):
        c = ws.cell(row=1, column=i)
        c.font = Font(bold=True)
        c.fill = _fill(HEADER_COLOUR)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(i)].width = width


def _xlsx_finish(ws, freeze: str, footer: dict) -> None:
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = freeze
    ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "1:1"  # the header row again on every printed page
    ws.oddFooter.center.text = footer["text"]


def _xlsx_comparison_sheet(ws, data: dict, options: ReportOptions) -> None:
    from openpyxl.styles import Alignment

    view = comparison_view(data, options)
    wrap = Alignment(wrap_text=True, vertical="top")
    headers = ["Topic", "Label", *view["ids"]] + (["Differences"] if view["show_notes"] else [])
    _xlsx_header(ws, headers, [34, 28, *[48] * len(view["ids"])] + ([60] if view["show_notes"] else []))
    for row in view["rows"]:
        values = [row["topic"], row["label"], *["\n".join(_cell_lines(c)) for c in row["cells"]]]
        if view["show_notes"]:
            values.append("\n".join(f"• {n}" for n in row["notes"]))
        ws.append([cell_text(v) for v in values])
        r = ws.max_row
        for col in range(1, len(values) + 1):
            ws.cell(row=r, column=col).alignment = wrap
        for i, cell in enumerate(row["cells"]):
            ws.cell(row=r, column=3 + i).fill = _fill(cell["colour"], cell.get("hatched", False))
    _xlsx_finish(ws, "C2", view["footer"])


def _xlsx_conflicts_sheet(ws, data: dict, options: ReportOptions) -> None:
    from openpyxl.styles import Alignment

    view = conflicts_view(data, options)
    wrap = Alignment(wrap_text=True, vertical="top")
    headers = ["#", "Severity", "Kind", "Bound", "A", "A says", "B", "B says", "Overlap", "Explanation",
               "Scenario", "Reconcilable via"]
    _xlsx_header(ws, headers, [5, 10, 22, 8, 16, 50, 16, 50, 22, 60, 50, 40])

    def says(s: dict) -> str:
        return "\n".join(x for x in (s["norm"], f"“{s['quote']}”" if s["quote"] else "", *english_lines(s),
                                     f"Source: {s['citation']}" if s["citation"] else "",
                                     "encoded from a paraphrase" if s["status"] == "unverified" else "") if x)

    for c in view["conflicts"]:
        ws.append([cell_text(v) for v in (
            c["number"], c["severity"], c["kind_label"], c["bound"], c["a"]["provision"], says(c["a"]),
            c["b"]["provision"], says(c["b"]), ", ".join(c["overlap"]), c["explanation"], c["scenario"],
            "\n".join(c["reconcile"] or c["reconcilable_via"]) + (f"\n{c['reconcilable_if']}" if c["reconcilable_if"] else ""))])
        r = ws.max_row
        for col in range(1, len(headers) + 1):
            ws.cell(row=r, column=col).alignment = wrap
        ws.cell(row=r, column=2).fill = _fill(c["colour"])
    _xlsx_finish(ws, "B2", view["footer"])


def _xlsx_accession_sheet(ws, data: dict, options: ReportOptions) -> None:
    from openpyxl.styles import Alignment

    view = accession_view(data, options)
    wrap = Alignment(wrap_text=True, vertical="top")
    headers = ["Topic", "Provision", "Verdict", "Reason", "Measure", "New", "Agreement's words", "Measure's words",
               "Why", "Room", "Out of scope", "Dispute settlement", "Precedents"]
    _xlsx_header(ws, headers, [28, 16, 22, 50, 16, 18, 50, 50, 60, 50, 40, 24, 40])

    def says(s: dict) -> str:
        return "\n".join(x for x in (f"“{s['quote']}”" if s["quote"] else "", f"Source: {s['citation']}" if s["citation"] else "",
                                     "encoded from a paraphrase" if s["status"] == "unverified" else "") if x)

    for r in view["rows"]:
        verdict = r["verdict_label"] + (f" ({r['exception']}, {r['strength_label']})" if r["exception"] else "")
        tail = ["\n".join(r["room"]), "\n".join(r["out_of_scope"]), r["dispute_settlement_words"], "\n".join(r["precedents"])]
        lines = [[c["measure"], c["status_text"], says(c["ours"]), says(c["theirs"]), c["explanation"]]
                 for c in r["conflicts"]] or [["", "", f"“{r['quote']}”" if r["quote"] else "", "", ""]]
        for line in lines:
            ws.append([r["topic_label"], r["provision"], verdict, r["reason"], *line, *tail])
            row = ws.max_row
            for col in range(1, len(headers) + 1):
                ws.cell(row=row, column=col).alignment = wrap
            ws.cell(row=row, column=3).fill = _fill(r["colour"])
    _xlsx_finish(ws, "C2", view["footer"])


def render_workbook(results: Iterable, options: ReportOptions | None = None) -> bytes:
    """One workbook, one sheet per result (comparisons and conflict reports), in the order given."""
    from openpyxl import Workbook

    options = _pinned(options)
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for result in results:
        data = as_dict(result)
        ws = wb.create_sheet(_sheet_title(data, options, taken))
        if is_accession(data):
            _xlsx_accession_sheet(ws, data, options)
        elif is_comparison(data):
            _xlsx_comparison_sheet(ws, data, options)
        else:
            _xlsx_conflicts_sheet(ws, data, options)
    stamp = _pinned_datetime(options)
    wb.properties.creator = "dtrc"
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.description = _footer(options)["text"]
    buf = io.BytesIO()
    wb.save(buf)
    return _normalise_zip(buf.getvalue(), options)


def render(data: dict, options: ReportOptions) -> bytes:
    return render_workbook([data], options)
