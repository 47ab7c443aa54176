"""Report view of an accession: ``dtrc accession`` results -> the lines every format draws.

Part of the report stage (accession -> **report** -> cli/ui), beside :mod:`.views`: the
same footer, palette habits and citation text, so an accession reads like the comparison
and conflict reports. Every sentence comes from the result (its ``reason``, ``words`` and
the conflicts' ``explanation``); nothing here decides anything about the law.
"""
from __future__ import annotations

import csv
import io

from .views import LIST_SEPARATOR, SENTENCE_SEPARATOR, ReportOptions, _citation_text, _footer, _words

VERDICTS: tuple[str, ...] = ("compatible", "compatible_via_exception", "requires_change", "cannot_tell")
VERDICT_LABELS = {"compatible": "compatible", "compatible_via_exception": "compatible via an exception",
                  "requires_change": "requires change", "cannot_tell": "cannot tell"}
VERDICT_MEANINGS = {
    "compatible": "no domestic measure conflicts with the provision",
    "compatible_via_exception": "an exception written for the provision could cover the measure, subject to its tests",
    "requires_change": "no exception written for the provision covers the measure",
    "cannot_tell": "a side is encoded from a paraphrase: check the instrument's text",
}
# Light fills (hex RGB) as in views.STATUS_COLOURS: black text stays readable, greyscale distinct.
VERDICT_COLOURS = {"compatible": "C6E0B4", "compatible_via_exception": "FFE699", "requires_change": "F4B6B6",
                   "cannot_tell": "E4D7F5"}
STRENGTH_LABELS = {"reviewable": "reviewable", "self_judging": "self-judging"}

# The CSV of an accession: one line per (provision, conflicting measure); a provision with no
# conflict has one line with the measure columns empty. Columns are only ever appended.
ACCESSION_CSV_COLUMNS: tuple[str, ...] = (
    "topic", "topic_label", "agreement", "provision", "verdict", "exception", "exception_strength", "reason",
    "measure", "conflict_kind", "new", "already_bound_by", "conflict_verdict", "explanation",
    "provision_quote", "provision_citation", "measure_quote", "measure_citation", "measure_status",
    "room", "out_of_scope", "dispute_settlement", "precedents")


def is_accession(data: dict) -> bool:
    return "agreements" in data and "summary" in data


def _side(side: dict, options: ReportOptions) -> dict:
    return {"provision": side["provision"], "quote": (side.get("quote") or "") if options.quotes else "",
            "citation": _citation_text(side.get("citation")), "status": side.get("status", "verified"),
            "conditions": side.get("conditions") or []}


def _conflict(row: dict, c: dict, options: ReportOptions) -> dict:
    conflict = c["conflict"]
    ours, theirs = (conflict["a"], conflict["b"]) if conflict["a"]["provision"] == row["provision"] \
        else (conflict["b"], conflict["a"])
    return {"measure": c["measure"], "kind": conflict["kind"], "kind_label": _words(conflict["kind"]),
            "new": c["new"], "already_bound_by": c.get("already_bound_by") or [],
            "status_text": "new" if c["new"] else "already bound by " + ", ".join(c["already_bound_by"]),
            "verdict": c["verdict"], "verdict_label": VERDICT_LABELS[c["verdict"]],
            "explanation": conflict["explanation"], "reason": c["reason"],
            "ours": _side(ours, options), "theirs": _side(theirs, options)}


def _row(row: dict, options: ReportOptions) -> dict:
    ds = row.get("dispute_settlement")
    return {
        "provision": row["provision"], "anchor": "provision-" + row["provision"].replace(" ", "-"),
        "topic": row["topic"], "topic_label": row["topic_label"], "agreement": row["agreement"],
        "verdict": row["verdict"], "verdict_label": VERDICT_LABELS[row["verdict"]],
        "colour": VERDICT_COLOURS[row["verdict"]], "exception": row.get("exception") or "",
        "strength_label": STRENGTH_LABELS.get(row.get("exception_strength") or "", ""),
        "reason": row["reason"], "quote": (row.get("quote") or "") if options.quotes else "",
        "citation": _citation_text(row.get("citation")), "status": row.get("status", "verified"),
        "conditions": row.get("conditions") or [], "carve_outs": row.get("exclude_labels") or [],
        "conflicts": [_conflict(row, c, options) for c in row.get("conflicts") or []],
        "measures": [c["measure"] + ("" if c["new"] else " (already bound)") for c in row.get("conflicts") or []],
        "room": [r["words"] for r in row.get("room") or []],
        "specific_room": [f"{r['provision']} ({STRENGTH_LABELS[r['strength']]})"
                          for r in row.get("room") or [] if not r.get("applies_to_all")],
        "out_of_scope": [o["words"] for o in row.get("out_of_scope") or []],
        "dispute_settlement": "unknown" if ds is None else ("yes" if ds else "no"),
        "dispute_settlement_words": row["dispute_settlement_words"],
        "precedents": [p["words"] for p in row.get("precedents") or []],
        "detailed": bool(row.get("conflicts") or row.get("out_of_scope")),
    }


def accession_view(data: dict, options: ReportOptions) -> dict:
    """The accession grouped by topic, with the summary first; every accession format renders this."""
    s = data["summary"]
    rows = [_row(r, options) for r in data["rows"]]
    groups: list[dict] = []
    for r in rows:
        if not groups or groups[-1]["topic"] != r["topic"]:
            groups.append({"topic": r["topic"], "label": r["topic_label"], "anchor": "topic-" + r["topic"], "rows": []})
        groups[-1]["rows"].append(r)
    verdicts = [{"verdict": v, "label": VERDICT_LABELS[v], "meaning": VERDICT_MEANINGS[v],
                 "colour": VERDICT_COLOURS[v], "count": s["verdicts"].get(v, 0)} for v in VERDICTS]
    topics = [{"label": s.get("topic_labels", {}).get(t, t), "counts": [per.get(v, 0) for v in VERDICTS]}
              for t, per in s["topics"].items()]
    agreements = ", ".join(data["agreements"])
    return {
        "title": options.title or f"Accession: {data['country']} joining {agreements}",
        "country": data["country"], "agreements": agreements, "as_of": data["as_of"],
        "already_party": data.get("already_party") or [],
        "verdicts": verdicts, "verdict_labels": [VERDICT_LABELS[v] for v in VERDICTS], "topics": topics,
        "counts": {"provisions": s["provisions"], "conflicts": s["conflicts"], "new": s["new_conflicts"],
                   "already_bound": s["already_bound"], "out_of_scope": s["out_of_scope"]},
        "regimes_today": s.get("regimes_today") or [], "regimes_after": s.get("regimes_after") or [],
        "assumptions": s.get("assumptions") or [],
        "rows": rows, "groups": groups, "footer": _footer(options),
    }


def accession_csv(data: dict, options: ReportOptions) -> str:
    view = accession_view(data, options)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    columns = [c for c in ACCESSION_CSV_COLUMNS if options.quotes or not c.endswith("_quote")]
    writer.writerow(columns)
    for r in view["rows"]:
        base = {"topic": r["topic"], "topic_label": r["topic_label"], "agreement": r["agreement"],
                "provision": r["provision"], "verdict": r["verdict"], "exception": r["exception"],
                "exception_strength": r["strength_label"], "reason": r["reason"], "provision_quote": r["quote"],
                "provision_citation": r["citation"], "room": SENTENCE_SEPARATOR.join(r["room"]),
                "out_of_scope": SENTENCE_SEPARATOR.join(r["out_of_scope"]),
                "dispute_settlement": r["dispute_settlement"], "precedents": SENTENCE_SEPARATOR.join(r["precedents"])}
        lines = [{**base, "measure": c["measure"], "conflict_kind": c["kind"], "new": "yes" if c["new"] else "no",
                  "already_bound_by": LIST_SEPARATOR.join(c["already_bound_by"]), "conflict_verdict": c["verdict"],
                  "explanation": c["explanation"], "measure_quote": c["theirs"]["quote"],
                  "measure_citation": c["theirs"]["citation"], "measure_status": c["theirs"]["status"]}
                 for c in r["conflicts"]] or [base]
        for line in lines:
            writer.writerow([line.get(c, "") for c in columns])
    return buf.getvalue()
