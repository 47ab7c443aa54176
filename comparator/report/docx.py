"""Report format docx: a Word document with one table per result (python-docx).

Part of the report stage (compare/checks -> **report** -> cli/ui).
"""
from __future__ import annotations

import io
import re

from .accession import accession_view, is_accession
from .ooxml import _normalise_zip, _pinned_datetime
from .views import (
    HATCH_COLOUR,
    HEADER_COLOUR,
    LIST_SEPARATOR,
    ReportOptions,
    _footer,
    comparison_view,
    conflicts_view,
    is_comparison,
)


def _shade(cell, colour: str, hatched: bool = False) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    # w:val names the pattern drawn in w:color over the w:fill ground.
    shd.set(qn("w:val"), "diagStripe" if hatched else "clear")
    shd.set(qn("w:color"), HATCH_COLOUR if hatched else "auto")
    shd.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row) -> None:
    """Mark a table row as its header: Word repeats it at the top of every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _docx_document(footer: dict):
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)  # A4, turned
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    doc.styles["Normal"].font.size = Pt(9)
    section.footer.paragraphs[0].text = footer["text"]
    return doc


EAST_ASIAN_FONT = "Noto Serif CJK SC"
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]")


def _docx_cell(cell, lines: list[tuple[str, str]]) -> None:
    """Fill a table cell with (style, text) lines: "bold", "italic" or "" for plain."""
    cell.text = ""
    first = True
    for style, text in lines:
        para = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        run = para.add_run(text)
        run.bold = style == "bold"
        # Chinese is set upright in an East Asian face: Word applies w:eastAsia to CJK characters.
        cjk = bool(_CJK.search(text))
        run.italic = style == "italic" and not cjk
        if cjk:
            from docx.oxml.ns import qn

            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def _docx_header_row(table, headers: list[str]) -> None:
    row = table.rows[0]
    _repeat_header(row)
    for cell, text in zip(row.cells, headers):
        _docx_cell(cell, [("bold", text)])
        _shade(cell, HEADER_COLOUR)


def _docx_comparison(doc, data: dict, options: ReportOptions) -> None:
    view = comparison_view(data, options)
    doc.add_heading(view["title"], level=1)
    doc.add_paragraph(f"As of {view['as_of']}. " + "; ".join(f"{r['id']}: {r['title']} ({r['kind']})"
                                                             for r in view["regimes"]))
    legend = doc.add_table(rows=1, cols=len(view["legend"]))
    legend.style = "Table Grid"
    for cell, entry in zip(legend.rows[0].cells, view["legend"]):
        _docx_cell(cell, [("bold", entry["label"]), ("", entry["meaning"])])
        _shade(cell, entry["colour"], entry.get("hatched", False))
    doc.add_paragraph()
    table = doc.add_table(rows=1, cols=1 + len(view["ids"]))
    table.style = "Table Grid"
    _docx_header_row(table, ["Topic", *view["ids"]])
    for row in view["rows"]:
        cells = table.add_row().cells
        _docx_cell(cells[0], [("bold", row["label"]), ("", row["topic"])])
        for target, cell in zip(cells[1:], row["cells"]):
            lines = [("bold", cell["status_label"])] + [("", f"{d['label']}: {d['text']}") for d in cell["details"]]
            if cell["quote"]:
                lines.append(("italic", f"“{cell['quote']}”"))
                if cell["english"]:
                    lines += [("bold", cell["english_label"]), ("italic" if cell["english_kind"] == "translation" else "",
                                                                cell["english"])]
            if cell["citations"]:
                lines.append(("", "Source: " + LIST_SEPARATOR.join(cell["citations"])))
            _docx_cell(target, lines)
            _shade(target, cell["colour"], cell.get("hatched", False))
        if row["notes"]:
            notes = table.add_row().cells
            merged = notes[0].merge(notes[-1])
            _docx_cell(merged, [("bold", "Differences")] + [("", f"• {n}") for n in row["notes"]])


def _docx_conflicts(doc, data: dict, options: ReportOptions) -> None:
    view = conflicts_view(data, options)
    doc.add_heading(view["title"], level=1)
    doc.add_paragraph(f"As of {view['as_of']}. Regimes in play: {', '.join(view['regimes']) or 'none'}."
                      + "".join(f" Assuming {a}." for a in view["assumed"]))
    if not view["conflicts"]:
        doc.add_paragraph("No conflicts found.")
    for group in view["groups"]:
        doc.add_heading(f"{group['severity'].capitalize()} severity ({len(group['conflicts'])})", level=2)
        for c in group["conflicts"]:
            doc.add_heading(f"{c['number']}. {c['kind_label']}: {c['a']['provision']} vs {c['b']['provision']}",
                            level=3)
            table = doc.add_table(rows=1, cols=3)
            table.style = "Table Grid"
            _docx_header_row(table, ["", f"A: {c['a']['provision']}", f"B: {c['b']['provision']}"])
            for label, key in (("Norm", "norm"), ("Quote", "quote"), ("English", "english"), ("Source", "citation"),
                               ("Status", "status")):
                if key in ("quote", "english") and not options.quotes:
                    continue
                if key == "english" and not (c["a"]["english"] or c["b"]["english"]):
                    continue
                cells = table.add_row().cells
                _docx_cell(cells[0], [("bold", label)])
                for target, side in zip(cells[1:], (c["a"], c["b"])):
                    if key == "english":
                        _docx_cell(target, [("bold", side["english_label"]), ("", side["english"])]
                                   if side["english"] else [])
                    else:
                        _docx_cell(target, [("italic" if key == "quote" else "", side[key])])
            _shade(table.rows[0].cells[0], c["colour"])
            for label, text in (("Bound", c["bound"]), ("Overlap", ", ".join(c["overlap"])),
                                ("Why", c["explanation"]), ("Scenario", c["scenario"]),
                                ("Reconcilable via", "; ".join(c["reconcile"] or c["reconcilable_via"]) or "none"),
                                ("Reconcilable if", c["reconcilable_if"])):
                if text:
                    para = doc.add_paragraph()
                    para.add_run(f"{label}: ").bold = True
                    para.add_run(text)


def _docx_accession(doc, data: dict, options: ReportOptions) -> None:
    view = accession_view(data, options)
    doc.add_heading(view["title"], level=1)
    c = view["counts"]
    doc.add_paragraph(f"As of {view['as_of']}. {view['country']} is assumed to be a party to {view['agreements']} from "
                      f"that date. {c['provisions']} provisions would newly bind it; {c['conflicts']} conflicts with its "
                      f"measures, {c['new']} new and {c['already_bound']} already bound; measures out of scope: {c['out_of_scope']}.")
    legend = doc.add_table(rows=1, cols=len(view["verdicts"]))
    legend.style = "Table Grid"
    for cell, v in zip(legend.rows[0].cells, view["verdicts"]):
        _docx_cell(cell, [("bold", f"{v['label']}: {v['count']}"), ("", v["meaning"])])
        _shade(cell, v["colour"])
    for a in view["assumptions"]:
        doc.add_paragraph(a, style="List Bullet")
    for group in view["groups"]:
        doc.add_heading(group["label"], level=2)
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        _docx_header_row(table, ["Provision", "Verdict", "Measures", "Dispute settlement"])
        for r in group["rows"]:
            cells = table.add_row().cells
            _docx_cell(cells[0], [("bold", r["provision"])])
            _docx_cell(cells[1], [("", r["verdict_label"] + (f" ({r['exception']}, {r['strength_label']})" if r["exception"] else ""))])
            _shade(cells[1], r["colour"])
            _docx_cell(cells[2], [("", "; ".join(r["measures"]) or "none")])
            _docx_cell(cells[3], [("", r["dispute_settlement"])])
        for r in (r for r in group["rows"] if r["detailed"]):
            doc.add_heading(f"{r['provision']}: {r['verdict_label']}", level=3)
            doc.add_paragraph(r["reason"])
            for k in r["conflicts"]:
                sides = doc.add_table(rows=1, cols=3)
                sides.style = "Table Grid"
                _docx_header_row(sides, [f"{k['measure']}: {k['status_text']}", k["ours"]["provision"], k["theirs"]["provision"]])
                for label, key in (("Quote", "quote"), ("Source", "citation"), ("Status", "status")):
                    if key == "quote" and not options.quotes:
                        continue
                    cells = sides.add_row().cells
                    _docx_cell(cells[0], [("bold", label)])
                    for target, side in zip(cells[1:], (k["ours"], k["theirs"])):
                        _docx_cell(target, [("italic" if key == "quote" else "", side[key])])
                para = doc.add_paragraph()
                para.add_run("Why: ").bold = True
                para.add_run(k["explanation"])
            for label, items in (("Room", r["room"]), ("Out of scope", r["out_of_scope"]),
                                 ("Dispute settlement", [r["dispute_settlement_words"]]), ("Precedent", r["precedents"])):
                for text in items:
                    para = doc.add_paragraph()
                    para.add_run(f"{label}: ").bold = True
                    para.add_run(text)


def render_docx(data: dict, options: ReportOptions) -> bytes:
    doc = _docx_document(_footer(options))
    if is_accession(data):
        _docx_accession(doc, data, options)
    elif is_comparison(data):
        _docx_comparison(doc, data, options)
    else:
        _docx_conflicts(doc, data, options)
    stamp = _pinned_datetime(options)
    props = doc.core_properties
    props.author = props.last_modified_by = "dtrc"
    props.created = props.modified = stamp
    props.revision = 1
    props.comments = _footer(options)["text"]
    buf = io.BytesIO()
    doc.save(buf)
    return _normalise_zip(buf.getvalue(), options)


def render(data: dict, options: ReportOptions) -> bytes:
    return render_docx(data, options)
