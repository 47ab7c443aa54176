"""`dtrc report OUTDIR`: a whole set of published tables in one folder, and the report
output of `dtrc compare` / `dtrc conflicts` (``--format md|html|csv|xlsx|docx|json -o FILE``).

Pipeline position: cli, over compare/checks (the results) and comparator.report (the
formats). The set is every pair of bundled trade agreements (kinds trade_agreement and
digital_economy_agreement; ``--agreements`` narrows it), a conflict report per country in COUNTRY_REPORTS and an
accession report per entry of ACCESSION_REPORTS, with an index.html linking them. File names and their order depend only on the corpus and the
options, and the footer date is the one time stamp (pinned with --generated-at or
SOURCE_DATE_EPOCH), so two runs over the same rules can be diffed.
"""
from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import app
from .options import AsOfOpt, DbOpt, ForceOpt, RulesOpt, guard_output, load, usage_error, user_errors

AGREEMENT_KINDS = ("trade_agreement", "digital_economy_agreement")
# The countries of the published set: (country, regimes it is assumed to join). China is
# not a party to CPTPP or DEPA; it has applied to both, and the interesting question is what
# accession would put in conflict with PIPL, DSL and CSL.
COUNTRY_REPORTS: tuple[tuple[str, tuple[str, ...]], ...] = (("GB", ()), ("CN", ("CPTPP", "DEPA")), ("SG", ()))
# The accession reports of the set: (country, agreements it would join, as-of date or None for
# the set's date). GB and KR are asked on the day they joined (CPTPP, DEPA): what they took on.
ACCESSION_REPORTS: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    ("CN", ("CPTPP",), None), ("CN", ("DEPA",), None), ("GB", ("CPTPP",), "2024-12-15"), ("KR", ("DEPA",), "2024-05-03"))
WORKBOOK_NAME = "all.xlsx"


# ---------------------------------------------------------------------------- dtrc report

def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


@app.command()
def report(
    outdir: Annotated[Path, typer.Argument(help="Folder to write the reports into (created if missing).", show_default=False)],
    formats: Annotated[Optional[list[str]], typer.Option("--formats", help="Comma-separated or repeated: md, html, csv, xlsx, docx, json (default: all).")] = None,
    topic: Annotated[Optional[list[str]], typer.Option("--topic", "-t", help="Only these topics: id or glob (data_flows.*); repeatable.")] = None,
    agreements_opt: Annotated[Optional[list[str]], typer.Option("--agreements", "-a", help="Compare only these agreements pairwise (comma-separated or repeated; default: every trade and digital economy agreement).")] = None,
    columns: Annotated[Optional[str], typer.Option("--columns", help="Cell fields to show, comma-separated (default: all; see docs/reports.md).")] = None,
    as_of: AsOfOpt = None,
    quotes: Annotated[bool, typer.Option("--quotes/--no-quotes", help="Show the instruments' own words in each cell and conflict.")] = True,
    generated_at: Annotated[Optional[str], typer.Option("--generated-at", help="Date printed in the footer, YYYY-MM-DD[THH:MM] (default: SOURCE_DATE_EPOCH, else now).")] = None,
    rules: RulesOpt = None,
    db: DbOpt = None,
    force: ForceOpt = False,
) -> None:
    """Write every pairwise comparison of the trade agreements and the conflict reports for GB, CN (assumed CPTPP/DEPA accession) and SG, the accession reports CN->CPTPP, CN->DEPA, GB->CPTPP and KR->DEPA, with an index.html."""
    from ..compare import compare as run_compare
    from ..accession import accession as run_accession
    from ..checks import conflict_report
    from ..model import Perspective
    from ..perspective import InputError, parse_date, prepare
    from ..report import (EXTENSIONS, FORMATS, ReportOptions, corpus_hash, parse_fields, render, render_index,
                          render_workbook, resolve_generated_at)

    chosen = _split(formats) or list(FORMATS)
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        usage_error(f"unknown report format `{unknown[0]}`", "formats: " + ", ".join(FORMATS))
    chosen = [f for f in FORMATS if f in chosen]  # one order, whatever order they were asked in
    fields = user_errors(lambda: parse_fields(columns))
    generated = user_errors(lambda: resolve_generated_at(generated_at))
    # One date for every result, so a set generated around midnight cannot straddle two days.
    date = user_errors(lambda: parse_date(as_of)) or dt.date.today()
    corpus = load(rules, db)
    prep = prepare(corpus)
    options = ReportOptions(fields=fields, quotes=quotes, generated_at=generated, corpus_hash=corpus_hash(corpus))

    agreements = sorted(rid for rid, rf in prep.files.items() if rf.regime.kind in AGREEMENT_KINDS)
    chosen_agreements = _split(agreements_opt)
    if chosen_agreements:
        # Every pair grows as the square of the corpus (18 bundled agreements: 153 pairs, 962 files):
        # an analyst publishing on a few agreements names them.
        for rid in chosen_agreements:
            rf = user_errors(lambda: prep.regime_file(rid))
            if rf.regime.kind not in AGREEMENT_KINDS:
                usage_error(f"{rid} is a {rf.regime.kind.replace('_', ' ')}, not an agreement",
                            "--agreements takes trade and digital economy agreements: " + ", ".join(agreements))
        agreements = sorted(set(chosen_agreements))
    results: list[tuple[str, str, str, object]] = []  # (section, title, file stem, result)
    skipped: list[InputError] = []
    for a, b in itertools.combinations(agreements, 2):
        try:
            result = run_compare(prep, [a, b], topics=topic, as_of=date)
        except InputError as exc:  # this pair says nothing on the chosen topics: leave it out
            skipped.append(exc)
            continue
        results.append(("Comparisons", f"{a} vs {b}", f"compare-{a}-{b}", result))
    if topic and not any(section == "Comparisons" for section, *_ in results) and skipped:
        usage_error(skipped[0].message, skipped[0].hint)
    for country, joins in COUNTRY_REPORTS:
        assumed = [(regime, country) for regime in joins if regime in prep.files]
        perspective = Perspective(kind="country", country=country, assume_party=assumed, as_of=date)
        result = user_errors(lambda: conflict_report(prep, perspective))
        title = country + (f" (assuming accession to {', '.join(r for r, _ in assumed)})" if assumed else "")
        results.append(("Conflicts by country", title, f"conflicts-{country}", result))
    for country, joins, when in ACCESSION_REPORTS:
        if not all(a in prep.files for a in joins):
            continue
        on = parse_date(when) if when else date
        result = user_errors(lambda: run_accession(prep, country, list(joins), as_of=on))
        results.append(("Accession", f"{country} joining {', '.join(joins)} (as of {on.isoformat()})",
                        f"accession-{country}-{'-'.join(joins)}", result))

    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        usage_error(f"cannot create {outdir}: {exc.strerror or exc}")
    written: list[Path] = []
    # Every file the set will hold is checked before the first is written: a refusal leaves the folder as it was.
    planned = [f"{stem}.{EXTENSIONS[fmt]}" for *_, stem, _ in results for fmt in chosen]
    planned += ([WORKBOOK_NAME] if "xlsx" in chosen else []) + ["index.html"]
    for name in planned:
        guard_output(outdir / name, force, within=outdir)

    def write(name: str, content: str | bytes) -> None:
        path = outdir / name
        try:
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="")
        except OSError as exc:
            usage_error(f"cannot write {path}: {exc.strerror or exc}", "check the folder is writable")
        written.append(path)

    entries = []
    for section, title, stem, result in results:
        data = result.to_dict()  # once per result: every format renders this same dict
        files = {}
        for fmt in chosen:
            name = f"{stem}.{EXTENSIONS[fmt]}"
            write(name, render(data, fmt, options))
            files[fmt] = name
        entries.append({"section": section, "title": title, "files": files})
    if "xlsx" in chosen:
        write(WORKBOOK_NAME, render_workbook([r for *_, r in results], options))
        entries.append({"section": "Everything in one workbook", "title": "One sheet per comparison and per country",
                        "files": {"xlsx": WORKBOOK_NAME}})
    meta = (f"As of {date.isoformat()}. Agreements: {', '.join(agreements) or 'none'}."
            + (f" Topics: {', '.join(topic)}." if topic else "")
            + (f" Left out (nothing on these topics): {len(skipped)} pair(s)." if skipped else ""))
    write("index.html", render_index(entries, options, meta=meta))
    typer.echo(f"wrote {len(written)} file(s) to {outdir} (open {outdir / 'index.html'})")
