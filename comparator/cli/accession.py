"""`dtrc accession COUNTRY AGREEMENT...`: what a country would have to change to join agreements.

Thin, like the compare commands: read the corpus (the shared ``--rules``/``--db`` options),
call :func:`comparator.accession.accession`, and print a readable table, the JSON of its
``to_dict()`` or a report (md, html, csv, xlsx, docx) through comparator.report.
Unknown names and bad dates exit 2 with a hint.
"""
from __future__ import annotations

import json
from typing import Annotated

import typer

from . import app
from .options import (AsOfOpt, DbOpt, OutputOpt, ReportFormatOpt, RulesOpt, check_report_target, emit_report, load,
                      user_errors)


@app.command()
def accession(
    country: Annotated[str, typer.Argument(help="The acceding country, e.g. CN.", show_default=False)],
    agreements: Annotated[list[str], typer.Argument(help="The agreement(s) it would join, e.g. CPTPP DEPA.", show_default=False)],
    as_of: AsOfOpt = None,
    format: ReportFormatOpt = "text",
    rules: RulesOpt = None,
    db: DbOpt = None,
    output: OutputOpt = None,
) -> None:
    """What COUNTRY would have to change to join AGREEMENT(s): per provision, the conflicts with its measures, what is new, the room left and a verdict."""
    check_report_target(format, output)
    from ..accession import accession as run_accession
    from ..perspective import parse_date

    date = user_errors(lambda: parse_date(as_of))
    corpus = load(rules, db)
    result = user_errors(lambda: run_accession(corpus, country, agreements, as_of=date))
    if format not in ("text", "json") or output is not None:
        emit_report(result, format, output, corpus)
    elif format == "json":
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print_accession(result)


VERDICT_STYLE = {"compatible": "green", "compatible_via_exception": "yellow", "requires_change": "red",
                 "cannot_tell": "magenta"}


def _verdict_words(row) -> str:
    from ..model.accession import VERDICT_WORDS

    words = VERDICT_WORDS[row.verdict]
    if row.exception:
        words += f" ({row.exception}, {row.exception_strength.replace('_', '-')})"
    return f"[{VERDICT_STYLE[row.verdict]}]{words}[/]"


def _print_accession(report) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=160, soft_wrap=False)
    s = report.summary
    console.print(f"[bold]{report.country} joining {', '.join(report.agreements)} as of {report.as_of}[/bold]",
                  highlight=False)
    console.print("  " + "; ".join(f"{n} {v.replace('_', ' ')}" for v, n in s.verdicts.items())
                  + f" — {s.provisions} provisions, {s.new_conflicts} new conflicts, {s.already_bound} already bound, "
                  f"{s.out_of_scope} out of scope", highlight=False)
    if report.already_party:
        console.print(f"  already a party to {', '.join(report.already_party)}: nothing new", highlight=False)
    shown = [r for r in report.rows if r.conflicts or r.out_of_scope or r.verdict != "compatible"]
    if shown:
        table = Table(show_lines=True)
        for col in ("topic", "provision", "verdict", "measures", "room", "dispute settlement", "precedents"):
            table.add_column(col)
        for r in shown:
            measures = "\n".join(f"{c.measure}" + ("" if c.new else f" (already bound by {', '.join(c.already_bound_by)})")
                                 for c in r.conflicts)
            measures += "".join(f"\n{o.measure} (out of scope)" for o in r.out_of_scope)
            room = "\n".join(f"{x.provision} {x.strength.replace('_', '-')}" for x in r.room if not x.applies_to_all)
            table.add_row(r.topic_label, r.provision, _verdict_words(r), measures.strip() or "-", room or "-",
                          {True: "yes", False: "no", None: "unknown"}[r.dispute_settlement],
                          "\n".join(", ".join(p.parties) + " deferral" for p in r.precedents) or "-")
        console.print(table)
    for r in shown:
        console.print(f"\n[bold]{r.provision}[/bold] ({r.topic_label}): {_verdict_words(r)}", highlight=False)
        console.print(f"   {r.reason}", highlight=False)
        for c in r.conflicts:
            status = "new" if c.new else "already bound by " + ", ".join(c.already_bound_by)
            console.print(f"   - {c.measure} ({status}): {c.conflict.explanation}", highlight=False)
    console.print("\nassumptions:", highlight=False)
    for a in s.assumptions:
        console.print(f"  - {a}", highlight=False)
