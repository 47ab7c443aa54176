"""Report views: a result's dict -> the labelled lines every format draws.

First step of the report stage (compare/checks -> **report** -> cli/ui). Holds the
formats, labels, severities and colours, :class:`ReportOptions`, and the *view* step
(:func:`comparison_view`, :func:`conflicts_view`) that turns contract fields into the
words a reader sees, so a cell says the same thing in Markdown, HTML, a spreadsheet and
a Word table. Nothing here decides anything about the law.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Iterable

from .. import sentences as en
from ..bilingual import quoted
from ..perspective import InputError


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
                                           "differences", "quote_language", "english", "english_label")
# The CSV of a conflict report: one row per conflict, most severe first.
CONFLICT_CSV_COLUMNS: tuple[str, ...] = ("number", "severity", "kind", "bound", "bound_countries",
                                         "a_regime", "a_provision", "a_norm", "a_quote", "a_status", "a_citation",
                                         "b_regime", "b_provision", "b_norm", "b_quote", "b_status", "b_citation",
                                         "overlap", "explanation", "scenario", "reconcilable_via", "reconcilable_if",
                                         "a_quote_language", "a_english", "a_english_label",
                                         "b_quote_language", "b_english", "b_english_label")
# CSV columns that belong to a selectable cell field other than their own name.
# The English beside a quote (a translation or a gloss, and its label) goes with the quote.
_CSV_COLUMN_FIELD = {"stance": "modality", "quote_language": "quote", "english": "quote", "english_label": "quote"}
# Conflict CSV columns that --no-quotes drops.
QUOTE_COLUMN_SUFFIXES = ("_quote", "_quote_language", "_english", "_english_label")
_ALWAYS = {"topic", "topic_label", "regime", "status"}

STATUS_LABELS = {"binding": "binding", "best_endeavour": "best endeavour", "recognition": "recognition",
                 "absent": "absent", "not_encoded": "not encoded"}
STATUS_MEANINGS = {"binding": "must / must not: an obligation",
                   "best_endeavour": "should / shall endeavour: best endeavour only",
                   "recognition": "recognises, or only a permission (may): no obligation",
                   "absent": "no provision on the topic",
                   "not_encoded": "the corpus does not encode this instrument's words on the topic "
                                  "(declared by the rule file, or only unverified drafts): not the same as no provision"}
# One palette for HTML, XLSX and DOCX (hex RGB, no '#'): light fills so that black text
# stays readable on screen and in print, and distinct in greyscale by lightness order.
STATUS_COLOURS = {"binding": "C6E0B4", "best_endeavour": "FFE699", "recognition": "BDD7EE", "absent": "EDEDED",
                  "not_encoded": "D0D0D0"}
# Statuses drawn hatched over their fill (diagonal grey stripes), so that "not encoded" never
# reads as "absent" in greyscale either; HATCH_COLOUR is the stripes' colour.
HATCHED = frozenset({"not_encoded"})
HATCH_COLOUR = "8C8C8C"
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


def _exception_text(e: dict, labels: dict) -> str:
    tests = f": {', '.join(en.label(labels, t) for t in e['tests'])}" if e.get("tests") else ""
    scope = ", all provisions" if e.get("applies_to_all") else ""
    return f"{en.label(labels, e['kind'])} ({e['provision']}{scope}){tests}"


def _terms(labels: dict, terms: Iterable[str]) -> str:
    return _join(en.label(labels, t) for t in terms)


def _citation_text(c: dict | None) -> str:
    if not c:
        return ""
    if c.get("path"):
        return f"{c['path']}:{c['line']}"
    return f"{c['regime']} {c['ref']}"


def _modality_text(modality: str | None, stance: str | None) -> str:
    return " ".join(x for x in (modality, stance) if x)


def _cell_values(cell: dict, labels: dict) -> dict[str, str]:
    """Every selectable field of a cell as the one line of text every format shows."""
    ds = cell.get("dispute_settlement")
    return {
        "provisions": _join(cell.get("provisions", [])),
        "modality": _modality_text(cell.get("modality"), cell.get("stance"))
        + (" (permission only)" if cell.get("permission") else ""),
        "bearers": _terms(labels, cell.get("bearers", [])),
        "actions": _terms(labels, cell.get("actions", [])),
        "objects": _terms(labels, cell.get("objects", [])),
        "excludes": _terms(labels, cell.get("excludes", [])),
        "exceptions": _join(_exception_text(e, labels) for e in cell.get("exceptions", [])),
        "escape_routes": _join(cell.get("escape_routes", [])),
        "dispute_settlement": "" if ds is None else ("applies" if ds else "does not apply"),
        "deferrals": _join(cell.get("deferrals", [])),
        "quote": cell.get("quote") or "",
        "citations": _join(_citation_text(c) for c in cell.get("citations", [])),
    }


def _english(d: dict, shown: bool) -> dict:
    """The quote's language and the English beside it, labelled, for every format's view."""
    q = quoted(d) if shown else None
    return {"quote_language": q.language if q else "en", "original_label": q.original_label if q else "",
            "english": (q.english or "") if q else "", "english_label": (q.label or "") if q else "",
            "english_kind": (q.kind or "") if q else ""}


def english_lines(v: dict) -> list[str]:
    """Narrow outputs (spreadsheet cells, plain lines): the English under the original, labelled."""
    if not v["english"]:
        return []
    english = f"“{v['english']}”" if v["english_kind"] == "translation" else v["english"]
    return [f"{v['english_label']}: {english}"]


def _verdict_text(v: dict) -> str:
    link = " than " if v["verdict"] in ("stricter", "looser") else " vs "
    reason = f": {v['reasons'][0]}" if v.get("reasons") and v["verdict"] != "equivalent" else ""
    return f"{v['a']} is {v['verdict']}{link}{v['b']}{reason}"


def comparison_view(data: dict, options: ReportOptions) -> dict:
    """The comparison as the lines a reader sees; every comparison format renders this."""
    ids = [r["id"] for r in data["regimes"]]
    labels = data.get("labels") or {}
    detail_fields = [f for f in CELL_FIELDS if f not in ("quote", "citations", "differences") and options.shows(f)]
    rows = []
    for row in data["rows"]:
        cells = []
        for rid in ids:
            cell = row["cells"][rid]
            values = _cell_values(cell, labels)
            cells.append({
                "regime": rid,
                "status": cell["status"],
                "status_label": STATUS_LABELS[cell["status"]],
                "colour": STATUS_COLOURS[cell["status"]],
                "hatched": cell["status"] in HATCHED,
                "details": [{"field": f, "label": FIELD_LABELS[f], "text": values[f]} for f in detail_fields if values[f]],
                "quote": values["quote"] if options.shows("quote") else "",
                **_english(cell, options.shows("quote")),
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
        "legend": [{"status": s, "label": STATUS_LABELS[s], "meaning": STATUS_MEANINGS[s], "colour": STATUS_COLOURS[s],
                    "hatched": s in HATCHED} for s in STATUS_COLOURS],
        "hatch_colour": HATCH_COLOUR,
        "show_notes": options.shows("differences"),
        "footer": _footer(options),
    }


def _norm_text(side: dict, labels: dict) -> str:
    """A conflict side's norm as a sentence (comparator/sentences.py), from the JSON's labels."""
    routes = [r.split(" ", 1)[1] if r.startswith(side["regime"] + " ") else r for r in side.get("escape_routes") or []]
    norm = SimpleNamespace(bearers=side.get("bearers") or [], modality=side["modality"], stance=side.get("stance"),
                           action=side["action"], objects=side.get("objects") or [],
                           destinations=side.get("destinations") or [], conditions=side.get("conditions") or [],
                           unless=routes)
    return en.capitalise(en.norm_sentence(labels, side["regime"], norm))


def _side_view(side: dict, options: ReportOptions, labels: dict) -> dict:
    return {"regime": side["regime"], "provision": side["provision"], "norm": _norm_text(side, labels),
            "quote": (side.get("quote") or "") if options.quotes else "",
            "status": side.get("status", "verified"), "citation": _citation_text(side.get("citation")),
            **_english(side, options.quotes)}


def conflicts_view(data: dict, options: ReportOptions) -> dict:
    """The conflict report grouped by severity (most severe first), numbered in that order."""
    conflicts = []
    labels = data.get("labels") or {}
    for c in data["conflicts"]:
        conflicts.append({
            "kind": c["kind"], "kind_label": _words(c["kind"]), "severity": c["severity"],
            "colour": SEVERITY_COLOURS[c["severity"]],
            "bound": en.countries(c["bound_countries"], labels) if c.get("bound_countries") else c["bound"],
            "bound_countries": c.get("bound_countries") or [],
            "a": _side_view(c["a"], options, labels), "b": _side_view(c["b"], options, labels),
            "overlap": [en.label(labels, o) for o in c.get("overlap") or []],
            "explanation": c["explanation"], "scenario": c["scenario"],
            "reconcilable_via": c.get("reconcilable_via") or [],
            "reconcile": [_exception_text(r, labels) for r in c.get("reconcile") or []],
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
        "title": options.title or "Conflicts for " + _describe(perspective, labels),
        "perspective": _describe(perspective, labels),
        "as_of": perspective.get("as_of") or "",
        "assumed": [f"{en.country(country, labels)} is a party to {regime}"
                    for regime, country in perspective.get("assume_party") or []],
        "regimes": data.get("regimes") or [],
        "conflicts": conflicts,
        "groups": [g for g in groups if g["conflicts"]],
        "legend": [{"severity": s, "meaning": SEVERITY_MEANINGS[s], "colour": SEVERITY_COLOURS[s]} for s in SEVERITIES],
        "footer": _footer(options),
    }


def _describe(p: dict, labels: dict) -> str:
    """Perspective.describe() without the model (the report works from the dict), in words."""
    kind = p.get("kind")
    if kind == "country":
        return f"{en.country(p.get('country') or '', labels)} ({p.get('country')})"
    if kind == "role":
        return f"{en.label(labels, p.get('role') or '')} operating in {en.countries(p.get('jurisdictions') or [], labels)}"
    if kind == "regimes":
        return "regimes " + ", ".join(p.get("regimes") or [])
    return "the regimes given"
