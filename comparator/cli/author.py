"""Commands for rule authors: `check`, `fmt`, `summary`."""
from __future__ import annotations

import difflib
import sys
from collections import defaultdict
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import Diagnostic, DtrError, SourceCache, render_all, to_json
from ..fmt import format_file
from ..model import semantic_equal
from ..parse import parse_text, read_source
from ..validate import check_paths, collect_files
from . import EXIT_FINDINGS, EXIT_USAGE, app, fail
from .options import FormatOpt, check_text_or_json

PathsArg = Annotated[list[Path], typer.Argument(help="Rule files (.dtr) or folders holding them.", show_default=False)]


def _require_existing(paths: list[Path]) -> None:
    missing = [p for p in paths if str(p) != "-" and not p.exists()]
    if missing:
        typer.echo(f"dtrc: no such file or folder: {', '.join(map(str, missing))}", err=True)
        raise typer.Exit(EXIT_USAGE)


@app.command()
def check(
    paths: PathsArg,
    format: FormatOpt = "text",
) -> None:
    """Check rule files: syntax, vocabulary, references, countries, dates. Reports every error at once.

    A file is checked together with the corpus it belongs to (the nearest folder above it
    holding a vocabulary/ folder), so `dtrc check rules/cptpp.dtr` knows the vocabulary.
    """
    check_text_or_json(format)
    _require_existing(paths)
    result = check_paths(paths)
    files = result.corpus.files
    n_regimes = sum(1 for f in files if f.regime)
    n_provisions = sum(len(f.provisions()) for f in files)
    errors = result.errors
    summary = (f"{len(result.files)} file(s), {n_regimes} regime(s), {n_provisions} provision(s), "
               f"{len(errors)} error(s)")
    # Both formats exit 1 on errors only; warnings are shown but do not fail a check.
    if format == "json":
        typer.echo(to_json(result.diagnostics))
    else:
        if result.diagnostics:
            typer.echo(render_all(result.diagnostics, SourceCache(result.texts)), err=True)
        typer.echo(summary, err=bool(errors))
    if errors:
        raise typer.Exit(EXIT_FINDINGS)


def _format_one(text: str, path: str) -> str:
    """Format, then re-parse the output: the formatter must never change meaning."""
    result = parse_text(text, path)
    out = format_file(result.file, text)
    again = parse_text(out, path)
    if not semantic_equal(again.file, result.file) or len(again.file.comments) != len(result.file.comments):
        raise RuntimeError(f"formatting {path} would change its meaning; file left untouched (please report this)")
    return out


@app.command()
def fmt(
    paths: PathsArg,
    check_only: Annotated[bool, typer.Option("--check", help="Change nothing; exit 1 if a file is not formatted.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Change nothing; print what would change.")] = False,
) -> None:
    """Lay rule files out in the one canonical form (comments kept). `-` reads stdin, writes stdout."""
    if [str(p) for p in paths] == ["-"]:
        text = sys.stdin.read()
        try:
            sys.stdout.write(_format_one(text, "<stdin>"))
        except DtrError as exc:
            fail(exc.diagnostics, sources=SourceCache({"<stdin>": text}))
        return
    _require_existing(paths)
    diags: list[Diagnostic] = []
    unformatted: list[str] = []
    files = collect_files(paths)
    for path in files:
        try:
            text = read_source(path)
            out = _format_one(text, str(path))
        except DtrError as exc:
            diags += exc.diagnostics
            continue
        if out == text:
            continue
        unformatted.append(str(path))
        if diff:
            typer.echo("".join(difflib.unified_diff(text.splitlines(True), out.splitlines(True),
                                                    f"{path}", f"{path} (formatted)")), nl=False)
        elif not check_only:
            path.write_text(out, encoding="utf-8")
    if diags:
        typer.echo(render_all(diags), err=True)
    if check_only or diff:
        for p in unformatted if check_only else []:
            typer.echo(f"would reformat {p}")
        typer.echo(f"{len(files)} file(s), {len(unformatted)} not formatted", err=True)
        if unformatted or diags:
            raise typer.Exit(EXIT_FINDINGS)
        return
    typer.echo(f"{len(files)} file(s), {len(unformatted)} reformatted", err=True)
    if diags:
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def summary(paths: PathsArg) -> None:
    """Check the rules, then print per topic which regimes bind, endeavour, recognise or are silent."""
    from rich.console import Console
    from rich.table import Table

    _require_existing(paths)
    result = check_paths(paths)
    if result.errors:
        fail(result.errors, sources=SourceCache(result.texts))
    regimes = sorted(f.regime.id for f in result.corpus.files if f.regime)
    cells: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    rank = {"binding": 0, "permission": 1, "best_endeavour": 2, "recognition": 3}
    for f in result.corpus.files:
        if not f.regime:
            continue
        for p in f.provisions():
            if p.norm is None:
                continue
            for topic in p.topics:
                cells[topic][f.regime.id].append(p.norm.strength)
    table = Table(title="Positions by topic (strongest provision per regime)", show_lines=False)
    table.add_column("topic")
    for r in regimes:
        table.add_column(r)
    for topic in sorted(cells):
        row = [topic]
        for r in regimes:
            strengths = cells[topic].get(r)
            row.append(min(strengths, key=rank.get).replace("_", " ") if strengths else "-")
        table.add_row(*row)
    Console(width=max(120, 30 + 16 * len(regimes))).print(table)
    typer.echo(f"{len(result.files)} file(s), {len(regimes)} regime(s), "
               f"{sum(len(f.provisions()) for f in result.corpus.files)} provision(s), 0 error(s)")
