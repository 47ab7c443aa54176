"""Commands for comparing and testing: `compare`, `conflicts`, `test`.

Thin: each command reads the corpus (rules/ folder by default, or ``--db URL`` through
comparator.store when that module offers ``load_corpus_from_db``), calls one engine
function (compare.compare, checks.conflict_report, expectations.run_expectations) and
renders its result as rich tables or as the JSON of the models' ``to_dict()``.
Unknown names and bad dates exit 2 with a hint; failed expectations exit 1.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from .. import sentences as en
from ..bilingual import quoted
from . import EXIT_FINDINGS, app
from .options import (DEFAULT_RULES, AsOfOpt, DbOpt, ForceOpt, FormatOpt, OutputOpt, ReportFormatOpt, RulesOpt,
                      check_report_target, check_text_or_json, emit_report, load, usage_error)


def _run(fn):
    """Call the engine; turn InputError (unknown names, bad dates) into exit 2 with the hint."""
    from ..perspective import InputError

    try:
        return fn()
    except InputError as exc:
        usage_error(exc.message, exc.hint)


def _console():
    from rich.console import Console

    return Console(width=160, soft_wrap=False)


# ---------------------------------------------------------------------------- compare

@app.command()
def compare(
    regimes: Annotated[list[str], typer.Argument(help="Regime ids, e.g. CPTPP GDPR.", show_default=False)],
    topic: Annotated[Optional[list[str]], typer.Option("--topic", "-t", help="Topic id or pattern (data_flows, localisation.*); repeatable.")] = None,
    as_of: AsOfOpt = None,
    format: ReportFormatOpt = "text",
    rules: RulesOpt = None,
    db: DbOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Align regimes topic by topic: each one's position, the differences in words, and pairwise verdicts."""
    check_report_target(format, output, force)
    from ..compare import compare as run_compare
    from ..perspective import parse_date

    corpus = load(rules, db)
    result = _run(lambda: run_compare(corpus, regimes, topics=topic, as_of=parse_date(as_of)))
    _emit(result, format, output, corpus, _print_comparison)


def _emit(result, format: str, output, corpus, print_text) -> None:
    """A report file (any format, or -o), JSON on stdout, or the readable rich table."""
    if format not in ("text", "json") or output is not None:

        emit_report(result, format, output, corpus)
    elif format == "json":
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_text(result)


def _cell_text(cell, labels: dict) -> str:
    if cell.status == "absent":
        return "[dim]absent[/dim]"
    if cell.status == "not_encoded":
        return "[dim italic]not encoded[/dim italic]"
    status = cell.status.replace("_", " ") + (" (may)" if cell.permission else "")
    lines = [f"[bold]{status}[/bold] {cell.modality or ''}{' ' + cell.stance if cell.stance else ''}",
             ", ".join(p.split(" ", 1)[1] for p in cell.provisions[:4]) + (" ..." if len(cell.provisions) > 4 else "")]
    if cell.objects:
        lines.append("of " + ", ".join(en.label(labels, o) for o in cell.objects))
    if cell.excludes:
        lines.append("excl. " + ", ".join(en.label(labels, x) for x in cell.excludes))
    specific = [e for e in cell.exceptions if not e.applies_to_all]
    for e in specific:
        lines.append(f"exc. {en.label(labels, e.kind)}"
                     + (f" [{', '.join(en.label(labels, t) for t in e.tests)}]" if e.tests else ""))
    if cell.escape_routes:
        lines.append("unless " + " | ".join(r.split(" ", 1)[1] for r in cell.escape_routes))
    if cell.dispute_settlement is False:
        lines.append("no dispute settlement")
    return "\n".join(lines)


def _print_comparison(result) -> None:
    from rich.table import Table

    console = _console()
    ids = [r.id for r in result.regimes]
    table = Table(title=f"{' vs '.join(ids)} as of {result.as_of}", show_lines=True)
    table.add_column("topic", style="cyan")
    for rid in ids:
        table.add_column(rid)
    for row in result.rows:
        # Topics by label; the id follows in code style under the table (ids are for rule authors).
        table.add_row(row.label or row.topic, *[_cell_text(row.cells[rid], result.labels) for rid in ids])
    console.print(table)
    for r in result.regimes:
        if not r.in_force_on_as_of:
            console.print(f"[yellow]note:[/yellow] {r.id} is not in force on {result.as_of}")
    for row in result.rows:
        if not row.differences and not row.verdicts:
            continue
        console.print(f"\n[bold cyan]{row.label or row.topic}[/bold cyan] `{row.topic}`", highlight=False)
        for v in row.verdicts:
            console.print(f"  {v.a} is [bold]{v.verdict}[/bold]" + (" than " if v.verdict in ("stricter", "looser") else " vs ")
                          + v.b + (f" — {v.reasons[0]}" if v.reasons and v.verdict != "equivalent" else ""), highlight=False)
        for d in row.differences:
            console.print(f"  - {d}", highlight=False)


# ---------------------------------------------------------------------------- conflicts

def _parse_assume(values: list[str]) -> list[tuple[str, str]]:
    out = []
    for v in values:
        regime, sep, country = v.partition("=")
        if not sep or not regime.strip() or not country.strip():
            usage_error(f"--assume-party `{v}` is not REGIME=COUNTRY", "e.g. --assume-party CPTPP=CN")
        out.append((regime.strip(), country.strip()))
    return out


@app.command()
def conflicts(
    regimes: Annotated[Optional[list[str]], typer.Argument(help="With --regimes: the regime ids. With --role: more jurisdictions.", show_default=False)] = None,
    country: Annotated[Optional[str], typer.Option("--country", "-c", help="Country (or group) whose regimes to check, e.g. GB.")] = None,
    explicit: Annotated[bool, typer.Option("--regimes", help="Check the regimes named as arguments: --regimes CPTPP UK_GDPR.")] = False,
    role: Annotated[Optional[str], typer.Option("--role", help="Actor role (a vocabulary role, e.g. provider).")] = None,
    jurisdiction: Annotated[Optional[list[str]], typer.Option("--jurisdiction", "-j", help="Where the actor operates; repeatable.")] = None,
    as_of: AsOfOpt = None,
    assume_party: Annotated[Optional[list[str]], typer.Option("--assume-party", help="Hypothetical accession REGIME=COUNTRY; repeatable.")] = None,
    format: ReportFormatOpt = "text",
    rules: RulesOpt = None,
    db: DbOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Find norms that cannot both be complied with, for a country, an actor role, or a set of regimes."""
    check_report_target(format, output, force)
    from ..checks import conflict_report
    from ..model import Perspective
    from ..perspective import parse_date

    chosen = [name for name, on in (("--country", country), ("--regimes", explicit), ("--role", role)) if on]
    if len(chosen) != 1:
        usage_error("choose one perspective: --country CC, --regimes A B ..., or --role R --jurisdiction J ...",
                     "e.g. dtrc conflicts --country GB")
    date = _run(lambda: parse_date(as_of))
    common = dict(assume_party=_parse_assume(assume_party or []))
    if date:
        common["as_of"] = date
    if country:
        if regimes:
            usage_error(f"unexpected arguments with --country: {' '.join(regimes)}")
        perspective = Perspective(kind="country", country=country, **common)
    elif explicit:
        perspective = Perspective(kind="regimes", regimes=list(regimes or []), **common)
    else:
        juris = [j.strip() for v in (jurisdiction or []) for j in v.split(",") if j.strip()] + list(regimes or [])
        perspective = Perspective(kind="role", role=role, jurisdictions=juris, **common)
    corpus = load(rules, db)
    report = _run(lambda: conflict_report(corpus, perspective))
    _emit(report, format, output, corpus, _print_conflicts)


def _print_conflicts(report) -> None:
    from rich.table import Table

    console = _console()
    title = f"Conflicts for {_describe(report)} (regimes: {', '.join(report.regimes) or 'none'})"
    if not report.conflicts:
        console.print(title, highlight=False)
        console.print("no conflicts found")
        return
    table = Table(title=title, show_lines=True)
    for col in ("#", "severity", "kind", "bound", "a", "b", "overlap", "reconcilable via"):
        table.add_column(col)
    colour = {"high": "red", "medium": "yellow", "low": "green"}
    for i, c in enumerate(report.conflicts, 1):
        bound = en.countries(c.bound_countries) if c.bound_countries else c.bound
        table.add_row(str(i), f"[{colour[c.severity]}]{c.severity}[/]", c.kind.replace("_", " "), bound, c.a.provision,
                      c.b.provision, ", ".join(en.label(report.labels, o) for o in c.overlap),
                      "\n".join(c.reconcilable_via) or "-")
    console.print(table)
    for i, c in enumerate(report.conflicts, 1):
        console.print(f"\n[bold]{i}. {c.kind.replace('_', ' ')}: {c.a.provision} vs {c.b.provision}[/bold] ({c.severity})",
                      highlight=False)
        console.print(f"   why: {c.explanation}", highlight=False)
        console.print(f"   scenario: {c.scenario}", highlight=False)
        for side in (c.a, c.b):
            if side.citation and side.citation.path:
                console.print(f"   {side.provision}: {side.citation.path}:{side.citation.line}", highlight=False)
            q = quoted(side)
            if q is not None and q.english:
                # Where the quote is not English, the reader needs both: the original, the English under it.
                console.print(f"   {side.provision} — {q.original_label}: \u201c{escape(q.original)}\u201d", highlight=False)
                english = f"\u201c{escape(q.english)}\u201d" if q.kind == "translation" else escape(q.english)
                console.print(f"   {escape(q.label)}: {english}", highlight=False)
        if c.reconcilable_if:
            console.print(f"   {c.reconcilable_if}", highlight=False)


def _describe(report) -> str:
    """Perspective.describe() in words: countries by name, a role by its label."""
    p, labels = report.perspective, report.labels
    if p.kind == "country":
        what = f"{en.country(p.country, labels)} ({p.country})"
    elif p.kind == "role":
        what = f"{en.label(labels, p.role)} operating in {en.countries(p.jurisdictions, labels)}"
    else:
        what = "regimes " + ", ".join(p.regimes)
    assumed = "".join(f"; assuming {en.country(c, labels)} is a party to {r}" for r, c in p.assume_party)
    return f"{what}, as of {p.as_of}{assumed}"


# ---------------------------------------------------------------------------- test

@app.command("test")
def test_expectations(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Rule files or folders (default: ./rules).", show_default=False)] = None,
    format: FormatOpt = "text",
) -> None:
    """Evaluate every `expect` line of the rules: PASS/FAIL per expectation, exit 1 if any fails."""
    check_text_or_json(format)
    from ..expectations import run_expectations
    from ..validate import load_corpus

    paths = paths or [DEFAULT_RULES]
    missing = [p for p in paths if not p.exists()]
    if missing:
        usage_error(f"no such file or folder: {', '.join(map(str, missing))}")
    corpus = load_corpus(paths)
    results = run_expectations(corpus)
    failed = [r for r in results if not r.passed]
    if format == "json":
        typer.echo(json.dumps({"results": [r.to_dict() for r in results],
                               "passed": len(results) - len(failed), "failed": len(failed)}, indent=2, ensure_ascii=False))
    else:
        for r in results:
            typer.echo(f"{'PASS' if r.passed else 'FAIL'} {r.path}:{r.line}: {r.text}")
            if not r.passed:
                typer.echo(f"     {r.message}")
        typer.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(EXIT_FINDINGS)
