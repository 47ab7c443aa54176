"""Reports: comparison and conflict results as md, html, csv, xlsx, docx and json files.

Pipeline position: compare/checks -> **report** -> cli (``dtrc compare/conflicts --format``,
``dtrc report``) and ui. Nothing here decides anything about the law: every format is
rendered from the result's ``to_dict()`` (DESIGN.md section 5), the one source of every
output, the way sqlfluff renders all its formats from one dict. A dict goes through one
*view* step (:func:`comparison_view`, :func:`conflicts_view`) that turns contract fields into
the labelled lines a reader sees; every format draws those same lines, so a cell says the
same thing in Markdown, HTML, a spreadsheet and a Word table.

Public API::

    render(result, fmt, options=None) -> str | bytes
    write_report(result, fmt, out=None, options=None)   # out=None: stdout (text formats only)
    check_target(fmt, out)                              # refuse a binary format without a file, early
    render_workbook(results, options=None) -> bytes     # several results, one sheet each
    render_index(entries, options=None) -> str          # index.html of a report set
    corpus_hash(corpus) -> str

``result`` is a :class:`~comparator.model.Comparison`, a
:class:`~comparator.model.ConflictReport`, or the dict of either. Output is deterministic
for the same result and options: rows keep the engine's (sorted) order, and the only time
stamp is the footer's "generated" date, which ``ReportOptions.generated_at`` or the
``SOURCE_DATE_EPOCH`` environment variable pins. xlsx and docx are zip files; their entry
times and document properties are set from that same date so that they too come out
byte-identical.

Templates live in ``comparator/templates``: Markdown and HTML side by side, jinja2 with
StrictUndefined (a misspelt field fails loudly instead of printing nothing) and autoescape on
for ``*.html.j2``; Markdown text goes through :func:`md_escape`.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import sys
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable

from .perspective import InputError

FORMATS: tuple[str, ...] = ("md", "html", "csv", "xlsx", "docx", "json")
BINARY_FORMATS: frozenset[str] = frozenset({"xlsx", "docx"})
EXTENSIONS = {fmt: fmt for fmt in FORMATS}

# Cell fields a reader can choose to see (``--columns``), in the order every format shows
# them. ``status`` is always shown (it is the colour); the CSV key columns (topic,
# topic_label, regime) always come first.
CELL_FIELDS: tuple[str, ...] = ("provisions", "modality", "bearers", "actions", "objects", "excludes",
                                "exceptions", "escape_routes", "dispute_settlement", "deferrals", "quote",
                                "citations", "differences")
FIELD_LABELS = {"provisions": "Provisions", "modality": "Modality", "bearers": "Bearers", "actions": "Actions",
                "objects": "Objects", "excludes": "Excludes", "exceptions": "Exceptions",
                "escape_routes": "Unless", "dispute_settlement": "Dispute settlement", "deferrals": "Deferrals",
                "quote": "Quote", "citations": "Source", "differences": "Differences"}

# The CSV of a comparison: one row per (topic, regime). Documented in docs/reports.md;
# columns are only ever appended, and a --columns selection drops columns but keeps this order.
COMPARISON_CSV_COLUMNS: tuple[str, ...] = ("topic", "topic_label", "regime", "status", "provisions", "modality",
                                           "stance", "bearers", "actions", "objects", "excludes", "exceptions",
                                           "escape_routes", "dispute_settlement", "deferrals", "quote", "citations",
                                           "differences")
# The CSV of a conflict report: one row per conflict, most severe first.
CONFLICT_CSV_COLUMNS: tuple[str, ...] = ("number", "severity", "kind", "bound", "bound_countries",
                                         "a_regime", "a_provision", "a_norm", "a_quote", "a_status", "a_citation",
                                         "b_regime", "b_provision", "b_norm", "b_quote", "b_status", "b_citation",
                                         "overlap", "explanation", "scenario", "reconcilable_via", "reconcilable_if")
# CSV columns that belong to a selectable cell field other than their own name.
_CSV_COLUMN_FIELD = {"stance": "modality"}
_ALWAYS = {"topic", "topic_label", "regime", "status"}

STATUS_LABELS = {"binding": "binding", "best_endeavour": "best endeavour", "recognition": "recognition",
                 "absent": "absent"}
STATUS_MEANINGS = {"binding": "must / must not: an obligation",
                   "best_endeavour": "should / shall endeavour: best endeavour only",
                   "recognition": "recognises, or only a permission (may): no obligation",
                   "absent": "no provision on the topic"}
# One palette for HTML, XLSX and DOCX (hex RGB, no '#'): light fills so that black text
# stays readable on screen and in print, and distinct in greyscale by lightness order.
STATUS_COLOURS = {"binding": "C6E0B4", "best_endeavour": "FFE699", "recognition": "BDD7EE", "absent": "EDEDED"}
SEVERITIES: tuple[str, ...] = ("high", "medium", "low")
SEVERITY_COLOURS = {"high": "F4B6B6", "medium": "FCE4C4", "low": "DDEBF7"}
SEVERITY_MEANINGS = {"high": "cannot both be complied with as written",
                     "medium": "pull against each other; an exception or escape route may reconcile them",
                     "low": "tension worth knowing about"}
HEADER_COLOUR = "D9D9D9"
# Between ids in one text field (provisions, objects...): ids never hold a semicolon.
LIST_SEPARATOR = "; "
# Between sentences (differences): a sentence may hold "; " itself.
SENTENCE_SEPARATOR = " | "


class ReportError(InputError):
    """A report that cannot be written as asked (binary format to a terminal, bad option)."""


@dataclass(frozen=True)
class ReportOptions:
    """What a reader chose to see, and what the footer says.

    ``fields``: the cell fields shown (a subset of CELL_FIELDS, any order; shown in
    CELL_FIELDS order). ``quotes=False`` drops quotes everywhere, conflict sides included.
    ``generated_at``: the footer's date, pinned (``2026-06-01`` or an ISO date-time);
    None means SOURCE_DATE_EPOCH when set, else now. ``corpus_hash``: shown in the footer.
    ``title``: overrides the heading.
    """

    fields: tuple[str, ...] = CELL_FIELDS
    quotes: bool = True
    generated_at: str | None = None
    corpus_hash: str | None = None
    title: str | None = None

    def shows(self, name: str) -> bool:
        if name == "quote" and not self.quotes:
            return False
        return name in self.fields


def parse_fields(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """``--columns provisions,objects,quote`` -> the fields, checked (ReportError on a typo)."""
    if text is None:
        return CELL_FIELDS
    names = [n.strip() for part in ([text] if isinstance(text, str) else text) for n in part.split(",") if n.strip()]
    unknown = [n for n in names if n not in CELL_FIELDS]
    if unknown:
        raise ReportError(f"unknown column `{unknown[0]}`", "columns: " + ", ".join(CELL_FIELDS))
    return tuple(n for n in CELL_FIELDS if n in names)


# ---------------------------------------------------------------------------- footer facts

def corpus_hash(corpus) -> str:
    """SHA-256 of what the corpus means: the same rules give the same hash whether they were
    read from rule files or from a database, laid out one way or another (spans, comments,
    layout and file paths are left out, files are taken in a stable order)."""
    corpus = getattr(corpus, "corpus", corpus)  # a perspective.Prepared holds its corpus
    dumps = sorted(json.dumps(f.model_dump(mode="json", exclude={"path"}), sort_keys=True, ensure_ascii=False)
                   for f in corpus.files)
    digest = hashlib.sha256()
    for d in dumps:
        digest.update(d.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def resolve_generated_at(value: str | None, environ: dict | None = None) -> str:
    """The footer's "generated" stamp: ``value`` if given (checked), else SOURCE_DATE_EPOCH
    (reproducible-builds convention, seconds since the epoch), else the current UTC minute."""
    environ = os.environ if environ is None else environ
    if value:
        try:
            if len(value) == 10:
                return dt.date.fromisoformat(value).isoformat()
            if value.endswith(" UTC"):  # this function's own output, passed back in: already resolved
                return dt.datetime.strptime(value, "%Y-%m-%d %H:%M UTC").strftime("%Y-%m-%d %H:%M UTC")
            stamp = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ReportError(f"--generated-at `{value}` is not a date",
                              "write YYYY-MM-DD or YYYY-MM-DDTHH:MM, e.g. 2026-06-01") from None
        if stamp.tzinfo is not None:
            stamp = stamp.astimezone(dt.timezone.utc)
        return stamp.strftime("%Y-%m-%d %H:%M UTC")
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            stamp = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise ReportError(f"SOURCE_DATE_EPOCH `{epoch}` is not a number of seconds",
                              "e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)") from None
    else:
        stamp = dt.datetime.now(dt.timezone.utc)
    return stamp.strftime("%Y-%m-%d %H:%M UTC")


def _zip_time(generated: str) -> tuple[int, int, int, int, int, int]:
    """Zip entry time for the pinned date (zip cannot store dates before 1980)."""
    stamp = dt.datetime.strptime(generated[:16], "%Y-%m-%d %H:%M") if len(generated) > 10 else \
        dt.datetime.fromisoformat(generated)
    stamp = max(stamp, dt.datetime(1980, 1, 1))
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, 0)


def _pinned(options: ReportOptions | None) -> ReportOptions:
    """``options`` with the footer date resolved once, so that one report cannot straddle a
    minute between its footer and its zip entries when the clock is the source."""
    options = options or ReportOptions()
    return replace(options, generated_at=resolve_generated_at(options.generated_at))


def _footer(options: ReportOptions) -> dict:
    generated = resolve_generated_at(options.generated_at)
    digest = options.corpus_hash
    return {"generated_at": generated, "corpus_hash": digest, "corpus_hash_short": digest[:16] if digest else None,
            "text": f"Generated {generated}" + (f" · corpus sha256 {digest[:16]}" if digest else "")}


# ---------------------------------------------------------------------------- views

def as_dict(result) -> dict:
    return result if isinstance(result, dict) else result.to_dict()


def is_comparison(data: dict) -> bool:
    return "rows" in data


def _words(term: str) -> str:
    return term.replace("_", " ")


def _join(items: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(items)


def _exception_text(e: dict) -> str:
    tests = f": {', '.join(e['tests'])}" if e.get("tests") else ""
    scope = ", all provisions" if e.get("applies_to_all") else ""
    return f"{e['kind']} ({e['provision']}{scope}){tests}"


def _citation_text(c: dict | None) -> str:
    if not c:
        return ""
    if c.get("path"):
        return f"{c['path']}:{c['line']}"
    return f"{c['regime']} {c['ref']}"


def _modality_text(modality: str | None, stance: str | None) -> str:
    return " ".join(x for x in (modality, stance) if x)


def _cell_values(cell: dict) -> dict[str, str]:
    """Every selectable field of a cell as the one line of text every format shows."""
    ds = cell.get("dispute_settlement")
    return {
        "provisions": _join(cell.get("provisions", [])),
        "modality": _modality_text(cell.get("modality"), cell.get("stance"))
        + (" (permission only)" if cell.get("permission") else ""),
        "bearers": _join(cell.get("bearers", [])),
        "actions": _join(cell.get("actions", [])),
        "objects": _join(cell.get("objects", [])),
        "excludes": _join(cell.get("excludes", [])),
        "exceptions": _join(_exception_text(e) for e in cell.get("exceptions", [])),
        "escape_routes": _join(cell.get("escape_routes", [])),
        "dispute_settlement": "" if ds is None else ("applies" if ds else "does not apply"),
        "deferrals": _join(cell.get("deferrals", [])),
        "quote": cell.get("quote") or "",
        "citations": _join(_citation_text(c) for c in cell.get("citations", [])),
    }


def _verdict_text(v: dict) -> str:
    link = " than " if v["verdict"] in ("stricter", "looser") else " vs "
    reason = f": {v['reasons'][0]}" if v.get("reasons") and v["verdict"] != "equivalent" else ""
    return f"{v['a']} is {v['verdict']}{link}{v['b']}{reason}"


def comparison_view(data: dict, options: ReportOptions) -> dict:
    """The comparison as the lines a reader sees; every comparison format renders this."""
    ids = [r["id"] for r in data["regimes"]]
    detail_fields = [f for f in CELL_FIELDS if f not in ("quote", "citations", "differences") and options.shows(f)]
    rows = []
    for row in data["rows"]:
        cells = []
        for rid in ids:
            cell = row["cells"][rid]
            values = _cell_values(cell)
            cells.append({
                "regime": rid,
                "status": cell["status"],
                "status_label": STATUS_LABELS[cell["status"]],
                "colour": STATUS_COLOURS[cell["status"]],
                "details": [{"field": f, "label": FIELD_LABELS[f], "text": values[f]} for f in detail_fields if values[f]],
                "quote": values["quote"] if options.shows("quote") else "",
                "citations": [_citation_text(c) for c in cell.get("citations", [])] if options.shows("citations") else [],
                "values": values,
                "data": cell,
            })
        notes = [*(_verdict_text(v) for v in row.get("verdicts", [])), *row.get("differences", [])] \
            if options.shows("differences") else []
        rows.append({"topic": row["topic"], "label": row.get("label") or _words(row["topic"]),
                     "anchor": "topic-" + row["topic"], "cells": cells, "notes": notes,
                     "differences": row.get("differences", [])})
    regimes = [{"id": r["id"], "title": r["title"], "kind": _words(r["kind"]),
                "parties": ", ".join(r.get("parties") or r.get("jurisdiction") or []),
                "in_force": r.get("in_force") or "", "in_force_on_as_of": r.get("in_force_on_as_of", True)}
               for r in data["regimes"]]
    return {
        "title": options.title or "Comparison: " + " vs ".join(ids),
        "as_of": data.get("as_of") or "",
        "regimes": regimes,
        "ids": ids,
        "rows": rows,
        "legend": [{"status": s, "label": STATUS_LABELS[s], "meaning": STATUS_MEANINGS[s], "colour": STATUS_COLOURS[s]}
                   for s in STATUS_COLOURS],
        "show_notes": options.shows("differences"),
        "footer": _footer(options),
    }


def _norm_text(side: dict) -> str:
    """A conflict side's norm, read back in the rule language's word order."""
    text = f"{', '.join(side.get('bearers') or [])} {_modality_text(side['modality'], side.get('stance'))} {side['action']}"
    if side.get("objects"):
        text += " of " + ", ".join(side["objects"])
    if side.get("destinations"):
        text += " to " + ", ".join(side["destinations"])
    for cond in side.get("conditions") or []:
        text += f' when "{cond}"'
    if side.get("escape_routes"):
        text += " unless " + " | ".join(side["escape_routes"])
    return text.strip()


def _side_view(side: dict, options: ReportOptions) -> dict:
    return {"regime": side["regime"], "provision": side["provision"], "norm": _norm_text(side),
            "quote": (side.get("quote") or "") if options.quotes else "",
            "status": side.get("status", "verified"), "citation": _citation_text(side.get("citation"))}


def conflicts_view(data: dict, options: ReportOptions) -> dict:
    """The conflict report grouped by severity (most severe first), numbered in that order."""
    conflicts = []
    for c in data["conflicts"]:
        conflicts.append({
            "kind": c["kind"], "kind_label": _words(c["kind"]), "severity": c["severity"],
            "colour": SEVERITY_COLOURS[c["severity"]], "bound": c["bound"],
            "bound_countries": c.get("bound_countries") or [],
            "a": _side_view(c["a"], options), "b": _side_view(c["b"], options),
            "overlap": c.get("overlap") or [], "explanation": c["explanation"], "scenario": c["scenario"],
            "reconcilable_via": c.get("reconcilable_via") or [],
            "reconcile": [_exception_text(r) for r in c.get("reconcile") or []],
            "reconcilable_if": c.get("reconcilable_if") or "",
        })
    order = {s: i for i, s in enumerate(SEVERITIES)}
    conflicts.sort(key=lambda c: order[c["severity"]])  # stable: keeps the engine's order within a severity
    for number, c in enumerate(conflicts, 1):
        c["number"] = number
        c["anchor"] = f"conflict-{number}"
    groups = [{"severity": s, "colour": SEVERITY_COLOURS[s], "meaning": SEVERITY_MEANINGS[s],
               "conflicts": [c for c in conflicts if c["severity"] == s]} for s in SEVERITIES]
    perspective = data.get("perspective") or {}
    return {
        "title": options.title or "Conflicts for " + _describe(perspective),
        "perspective": _describe(perspective),
        "as_of": perspective.get("as_of") or "",
        "assumed": [f"{country} is a party to {regime}" for regime, country in perspective.get("assume_party") or []],
        "regimes": data.get("regimes") or [],
        "conflicts": conflicts,
        "groups": [g for g in groups if g["conflicts"]],
        "legend": [{"severity": s, "meaning": SEVERITY_MEANINGS[s], "colour": SEVERITY_COLOURS[s]} for s in SEVERITIES],
        "footer": _footer(options),
    }


def _describe(p: dict) -> str:
    """Perspective.describe() without the model (the report works from the dict)."""
    kind = p.get("kind")
    if kind == "country":
        return f"country {p.get('country')}"
    if kind == "role":
        return f"{p.get('role')} operating in {', '.join(p.get('jurisdictions') or [])}"
    if kind == "regimes":
        return "regimes " + ", ".join(p.get("regimes") or [])
    return "the regimes given"


# ---------------------------------------------------------------------------- templates

# `_` only at a word's edge: inside a word (personal_data) CommonMark never reads it as emphasis,
# and leaving it bare keeps identifiers readable in the Markdown source.
_MD_SPECIAL = re.compile(r"([\\`*\[\]|#~!]|(?<!\w)_|_(?!\w))")


def md_escape(value: Any) -> str:
    """Text for Markdown, shown as written: markup characters escaped, HTML as entities (so
    a quote holding ``<script>`` is text on any renderer), one line (tables need it)."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())


def md_code(value: Any) -> str:
    """An identifier as a code span (identifiers never hold a backtick: the grammar forbids it)."""
    return f"`{value}`"


_ENV = None


def environment():
    global _ENV
    if _ENV is None:
        import jinja2  # lazy: `dtrc check` and friends never pay for it

        _ENV = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
            autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=True,
                                                default=False),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        _ENV.filters["md"] = md_escape
        _ENV.filters["code"] = md_code
    return _ENV


def _render_template(name: str, view: dict) -> str:
    return environment().get_template(name).render(**view)


# ---------------------------------------------------------------------------- csv

def _csv_text(header: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row[c] for c in header])
    return buf.getvalue()


def comparison_csv_columns(options: ReportOptions) -> list[str]:
    return [c for c in COMPARISON_CSV_COLUMNS if c in _ALWAYS or options.shows(_CSV_COLUMN_FIELD.get(c, c))]


def conflict_csv_columns(options: ReportOptions) -> list[str]:
    return [c for c in CONFLICT_CSV_COLUMNS if options.quotes or not c.endswith("_quote")]


def comparison_csv(data: dict, options: ReportOptions) -> str:
    view = comparison_view(data, options)
    out = []
    for row in view["rows"]:
        for cell in row["cells"]:
            # Machine-readable columns: modality and stance apart, as in the JSON.
            out.append({"topic": row["topic"], "topic_label": row["label"], "regime": cell["regime"],
                        "status": cell["status"], **cell["values"],
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
                        f"{side}_quote": s["quote"], f"{side}_status": s["status"], f"{side}_citation": s["citation"]})
        out.append(row)
    return _csv_text(conflict_csv_columns(options), out)


# ---------------------------------------------------------------------------- xlsx

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(data: dict, options: ReportOptions, taken: set[str]) -> str:
    if is_comparison(data):
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
    if cell["citations"]:
        lines.append("Source: " + LIST_SEPARATOR.join(cell["citations"]))
    return lines


def _fill(colour: str):
    from openpyxl.styles import PatternFill

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
        ws.append(values)
        r = ws.max_row
        for col in range(1, len(values) + 1):
            ws.cell(row=r, column=col).alignment = wrap
        for i, cell in enumerate(row["cells"]):
            ws.cell(row=r, column=3 + i).fill = _fill(cell["colour"])
    _xlsx_finish(ws, "C2", view["footer"])


def _xlsx_conflicts_sheet(ws, data: dict, options: ReportOptions) -> None:
    from openpyxl.styles import Alignment

    view = conflicts_view(data, options)
    wrap = Alignment(wrap_text=True, vertical="top")
    headers = ["#", "Severity", "Kind", "Bound", "A", "A says", "B", "B says", "Overlap", "Explanation",
               "Scenario", "Reconcilable via"]
    _xlsx_header(ws, headers, [5, 10, 22, 8, 16, 50, 16, 50, 22, 60, 50, 40])

    def says(s: dict) -> str:
        return "\n".join(x for x in (s["norm"], f"“{s['quote']}”" if s["quote"] else "",
                                     f"Source: {s['citation']}" if s["citation"] else "",
                                     "encoded from a paraphrase" if s["status"] == "unverified" else "") if x)

    for c in view["conflicts"]:
        ws.append([c["number"], c["severity"], c["kind_label"], c["bound"], c["a"]["provision"], says(c["a"]),
                   c["b"]["provision"], says(c["b"]), ", ".join(c["overlap"]), c["explanation"], c["scenario"],
                   "\n".join(c["reconcile"] or c["reconcilable_via"]) + (f"\n{c['reconcilable_if']}" if c["reconcilable_if"] else "")])
        r = ws.max_row
        for col in range(1, len(headers) + 1):
            ws.cell(row=r, column=col).alignment = wrap
        ws.cell(row=r, column=2).fill = _fill(c["colour"])
    _xlsx_finish(ws, "B2", view["footer"])


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
        if is_comparison(data):
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


def _pinned_datetime(options: ReportOptions) -> dt.datetime:
    return dt.datetime(*_zip_time(resolve_generated_at(options.generated_at)))


def _normalise_zip(data: bytes, options: ReportOptions) -> bytes:
    """Rewrite a zip (xlsx, docx) with every entry stamped with the pinned date, so the same
    report is the same bytes (openpyxl and python-docx stamp entries with the current time)."""
    when = _zip_time(resolve_generated_at(options.generated_at))
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*when)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl overwrites "modified" with the clock while saving, whatever we set.
                content = _CORE_MODIFIED.sub(lambda m: m.group(1) + stamp.encode() + m.group(3), content)
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()


_CORE_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)([^<]*)(</dcterms:modified>)")


# ---------------------------------------------------------------------------- docx

def _shade(cell, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
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


def _docx_cell(cell, lines: list[tuple[str, str]]) -> None:
    """Fill a table cell with (style, text) lines: "bold", "italic" or "" for plain."""
    cell.text = ""
    first = True
    for style, text in lines:
        para = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        run = para.add_run(text)
        run.bold = style == "bold"
        run.italic = style == "italic"


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
        _shade(cell, entry["colour"])
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
            if cell["citations"]:
                lines.append(("", "Source: " + LIST_SEPARATOR.join(cell["citations"])))
            _docx_cell(target, lines)
            _shade(target, cell["colour"])
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
            for label, key in (("Norm", "norm"), ("Quote", "quote"), ("Source", "citation"), ("Status", "status")):
                if key == "quote" and not options.quotes:
                    continue
                cells = table.add_row().cells
                _docx_cell(cells[0], [("bold", label)])
                for target, side in zip(cells[1:], (c["a"], c["b"])):
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


def render_docx(data: dict, options: ReportOptions) -> bytes:
    doc = _docx_document(_footer(options))
    if is_comparison(data):
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


# ---------------------------------------------------------------------------- entry points

def render(result, fmt: str, options: ReportOptions | None = None) -> str | bytes:
    """``result`` (a Comparison, a ConflictReport, or the dict of one) in format ``fmt``."""
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format `{fmt}`", "formats: " + ", ".join(FORMATS))
    options = _pinned(options)
    data = as_dict(result)
    comparison = is_comparison(data)
    if fmt == "json":
        # Exactly what `dtrc compare/conflicts --format json` prints: the contract, unfiltered.
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return comparison_csv(data, options) if comparison else conflicts_csv(data, options)
    if fmt == "xlsx":
        return render_workbook([data], options)
    if fmt == "docx":
        return render_docx(data, options)
    view = comparison_view(data, options) if comparison else conflicts_view(data, options)
    return _render_template(f"{'comparison' if comparison else 'conflicts'}.{fmt}.j2", view)


def render_index(entries: list[dict], options: ReportOptions | None = None, title: str = "Digital trade rules: reports",
                 meta: str = "") -> str:
    """index.html of a report set. ``entries``: ``{"section", "title", "files": {fmt: name}}``;
    ``meta``: one line under the title (as-of date, topics)."""
    options = _pinned(options)
    sections: dict[str, list[dict]] = {}
    for entry in entries:
        sections.setdefault(entry["section"], []).append(entry)
    return _render_template("index.html.j2", {"title": title, "meta": meta, "sections": [
        {"name": name, "entries": items} for name, items in sections.items()], "footer": _footer(options)})


def check_target(fmt: str, out: Path | str | None) -> None:
    """Refuse, before any work, a format we do not know or a binary format bound for a terminal."""
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format `{fmt}`", "formats: text, " + ", ".join(FORMATS))
    if fmt in BINARY_FORMATS and out is None:
        raise ReportError(f"--format {fmt} writes a binary file: give it a name with -o FILE",
                          f"e.g. -o report.{EXTENSIONS[fmt]}")


def write_report(result, fmt: str, out: Path | str | None = None, options: ReportOptions | None = None) -> None:
    """Render ``result`` and write it to ``out`` (created or replaced), or to stdout when ``out``
    is None or ``-`` (text formats only: see :func:`check_target`)."""
    out = None if out in (None, "-") else Path(out)
    check_target(fmt, out)
    content = render(result, fmt, options)
    if out is None:
        sys.stdout.write(content)
        sys.stdout.flush()
        return
    try:
        if isinstance(content, bytes):
            out.write_bytes(content)
        else:
            out.write_text(content, encoding="utf-8", newline="")
    except OSError as exc:
        raise ReportError(f"cannot write {out}: {exc.strerror or exc}", "check the folder exists and is writable") from None


def with_corpus(options: ReportOptions, corpus) -> ReportOptions:
    """``options`` with the corpus hash filled in (unless already given)."""
    return options if options.corpus_hash else replace(options, corpus_hash=corpus_hash(corpus))
