"""Storage commands: `load`, `list`, `show`, `export`, `db upgrade`.

Thin layer over :mod:`comparator.store` (which the UI calls too): parse options, call the
library, render. Loading reuses :func:`comparator.validate.check_paths`, the very check
`dtrc check` runs, and prints its findings the same way; nothing is written unless every
file is clean. Database problems (no database yet, server unreachable, unknown regime)
are one plain message and exit 2.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..bilingual import LANGUAGE_NAMES, quoted, quoted_node
from ..errors import SourceCache, render_all
from ..fmt import format_file
from ..model import RuleFile
from ..validate import CheckResult, check_paths
from . import EXIT_FINDINGS, EXIT_USAGE, app
from .options import FormatOpt, check_text_or_json

if TYPE_CHECKING:
    from .. import store as store_module


def _store() -> "store_module":
    # Imported on use: SQLAlchemy costs about half a second that `dtrc check` and `--help` need not pay.
    from .. import store

    return store

DbOption = Annotated[Optional[str], typer.Option(
    "--db", metavar="URL", show_default=False,
    help="SQLAlchemy database URL (default: $DATABASE_URL, else ./var/dtrc.sqlite).")]

db_app = typer.Typer(help="Manage the database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _store_failed(exc: Exception) -> typer.Exit:
    typer.echo(exc.render() if hasattr(exc, "render") else f"dtrc: {exc}", err=True)
    return typer.Exit(EXIT_USAGE)


def _check_summary(result: CheckResult) -> str:
    files = result.corpus.files
    return _summary(len(result.files), sum(1 for f in files if f.regime), sum(len(f.provisions()) for f in files),
                    len(result.errors))


def _summary(files: int, regimes: int, provisions: int, errors: int) -> str:
    # The same words as `dtrc check`, so a failed load reads exactly like a failed check.
    return f"{files} file(s), {regimes} regime(s), {provisions} provision(s), {errors} error(s)"


@app.command()
def load(
    paths: Annotated[list[Path], typer.Argument(help="Rule files (.dtr) or folders holding them.", show_default=False)],
    db: DbOption = None,
    force: Annotated[bool, typer.Option("--force", help="Rewrite files even when their content is unchanged.")] = False,
) -> None:
    """Check rule files, then store them in the database in one transaction.

    The vocabulary of each file's corpus is loaded with it. If any file has an error,
    nothing is written and the errors are printed as `dtrc check` prints them (exit 1).
    A changed file replaces its stored version; an unchanged one (same SHA-256) is skipped.
    Only changed files and vocabulary files are parsed again: the stored rows of the others
    complete the check, with the same verdict as a full check (docs/storage.md).
    """
    store = _store()
    missing = [p for p in paths if not p.exists()]
    if missing:
        typer.echo(f"dtrc: no such file or folder: {', '.join(map(str, missing))}", err=True)
        raise typer.Exit(EXIT_USAGE)
    with _progress() as progress:
        checking = progress.add_task("checking", total=None)
        writing = progress.add_task("loading", total=None, visible=False)

        def on_file(_outcome) -> None:
            progress.advance(writing)

        try:
            # Hash first, parse only what changed; None when only the full check can decide.
            done = None if force else store.reload_paths(paths, db, on_file=on_file)
        except store.StoreError as exc:
            progress.stop()
            raise _store_failed(exc) from None
        if done is None:
            result = check_paths(store.with_vocabulary(paths))
            summary = _check_summary(result)
            diagnostics, texts, parsed = result.diagnostics, result.texts, len(result.files)
        else:
            summary = _summary(done.files, done.regimes, done.provisions, len(done.errors))
            diagnostics, texts, parsed = done.diagnostics, done.texts, done.parsed
        progress.remove_task(checking)
        if diagnostics:
            progress.stop()
            typer.echo(render_all(diagnostics, SourceCache(texts)), err=True)
            typer.echo(summary, err=True)
            if any(d.severity == "error" for d in diagnostics):
                typer.echo("dtrc: nothing loaded (fix the errors above and load again)", err=True)
                raise typer.Exit(EXIT_FINDINGS)
        if done is None:
            files = [(rf, result.texts[rf.path]) for rf in result.corpus.files]
            progress.update(writing, total=len(files), visible=True)
            try:
                engine = store.get_engine(db)
                outcomes = store.store_files(files, engine, force=force, on_file=on_file)
            except store.StoreError as exc:
                progress.stop()
                raise _store_failed(exc) from None
        else:
            engine, outcomes = done.engine, done.outcomes
    for o in outcomes:
        what = {"added": "added    ", "replaced": "replaced ", "unchanged": "unchanged"}[o.action]
        extra = " (same content, skipped)" if o.action == "unchanged" else ""
        if o.replaced_path:
            extra = f" (was loaded from {o.replaced_path})"
        typer.echo(f"{what} {o.path}{f' [{o.regime}]' if o.regime else ''}{extra}")
    if parsed < len(outcomes):
        typer.echo(f"parsed {parsed} of {len(outcomes)} file(s); the other {len(outcomes) - parsed} are unchanged "
                   "and were checked against the database")
    counts = {a: sum(1 for o in outcomes if o.action == a) for a in ("added", "replaced", "unchanged")}
    typer.echo(f"{len(outcomes)} file(s): {counts['added']} added, {counts['replaced']} replaced, "
               f"{counts['unchanged']} unchanged, in {store.display_url(engine)}")


class _NoProgress:
    """Stand-in for rich's Progress when stderr is not a terminal (CI logs, pipes)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def add_task(self, *args, **kwargs) -> int:
        return 0

    def remove_task(self, *args) -> None: ...

    def update(self, *args, **kwargs) -> None: ...

    def advance(self, *args) -> None: ...

    def stop(self) -> None: ...


def _progress():
    if not sys.stderr.isatty():
        return _NoProgress()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    console=Console(stderr=True), transient=True)


def _places(summary, limit: int = 8) -> str:
    places = summary.parties or summary.jurisdiction
    shown = ", ".join(places[:limit])
    return shown + (f" +{len(places) - limit}" if len(places) > limit else "")


@app.command("list")
def list_(
    db: DbOption = None,
    format: FormatOpt = "text",
) -> None:
    """List the loaded regimes: kind, parties or jurisdiction, provision count, when loaded."""
    store = _store()
    check_text_or_json(format)
    try:
        regimes = store.list_regimes(db)
    except store.StoreError as exc:
        raise _store_failed(exc) from None
    if format == "json":
        typer.echo(json.dumps({"regimes": [r.model_dump(mode="json") for r in regimes]}, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(regimes)} regime(s) loaded")
    for name in ("regime", "kind", "parties / jurisdiction", "provisions", "loaded (UTC)", "file"):
        table.add_column(name, justify="right" if name == "provisions" else "left")
    for r in regimes:
        table.add_row(r.id, r.kind, _places(r), str(r.provisions), r.loaded_at.strftime("%Y-%m-%d %H:%M"), r.path)
    Console(width=_table_width()).print(table)


def _table_width() -> int | None:
    # A terminal decides its own width; in a pipe or a log, wide enough not to cut file names.
    return None if sys.stdout.isatty() else 160


def _norm_text(p) -> str:
    n = p.norm
    if n is None:
        return "(no norm)"
    text = f"{', '.join(n.bearers)} {n.modality}{' ' + n.stance if n.stance else ''} {n.action}"
    if n.objects:
        text += f" {n.object_word} {', '.join(n.objects)}"
    if n.destinations:
        text += f" to {', '.join(n.destinations)}"
    return text


@app.command()
def show(
    regime: Annotated[str, typer.Argument(help="Regime id, e.g. CPTPP.", show_default=False)],
    article: Annotated[Optional[str], typer.Argument(help="Article to show in full, e.g. 14.11.")] = None,
    db: DbOption = None,
) -> None:
    """Show a loaded regime (its articles), or one article with its provisions and exceptions."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    store = _store()
    try:
        rf = store.get_regime(regime, db)
    except store.StoreError as exc:
        raise _store_failed(exc) from None
    r = rf.regime
    found = next((a for a in rf.articles if a.ref == article), None) if article is not None else None
    if article is not None and found is None:
        typer.echo(f"dtrc: {r.id} has no article {article}"
                   f"{store.suggest(article, [a.ref for a in rf.articles], 'its articles')}", err=True)
        raise typer.Exit(EXIT_USAGE)
    # Long quotes and notes wrap at the terminal's edge, not at a guessed width.
    console = Console(soft_wrap=True)
    console.print(f"[bold]{r.id}[/bold] {escape(r.title)}")
    console.print(f"  kind: {r.kind}")
    if r.language != "en" or r.authentic:
        name = lambda code: f"{LANGUAGE_NAMES.get(code, code)} ({code})"  # noqa: E731
        console.print(f"  language: {name(r.language)}; authentic: {', '.join(map(name, r.authentic_languages))}")
    if r.parties:
        console.print("  parties: " + ", ".join(
            p.country + "".join(f" ({w} {d})" for w, d in (("from", p.joined), ("until", p.left)) if d)
            for p in r.parties))
    if r.jurisdiction:
        console.print("  jurisdiction: " + ", ".join(r.jurisdiction))
    for name in ("signed", "in_force", "until", "source"):
        if getattr(r, name):
            console.print(f"  {name}: {escape(str(getattr(r, name)))}")
    if rf.dispute_settlement is not None:
        ds = rf.dispute_settlement
        console.print(f"  dispute settlement: {'applies' if ds.applies else 'does not apply'}"
                      + (f", except {', '.join(ds.excepted)}" if ds.excepted else ""))
    console.print()
    if article is None:
        table = Table(title=f"{len(rf.articles)} article(s)")
        for name in ("article", "title", "provisions", "exceptions"):
            table.add_column(name)
        for a in rf.articles:
            table.add_row(a.ref, a.title or "", str(len(a.provisions)), str(len(a.exceptions)))
        Console(width=_table_width()).print(table)
        return
    _show_article(console, rf, found)


def _show_article(console, rf: RuleFile, a) -> None:
    from rich.markup import escape

    console.print(f"[bold]Article {a.ref}[/bold] {escape(a.title or '')}")
    if a.note:
        console.print(f"  note: {escape(a.note)}")
    for kind, i in a.order:
        if kind == "provision":
            p = a.provisions[i]
            console.print(f"\n  [bold]{rf.regime.id} {p.ref}[/bold]  topic: {', '.join(p.topics)}  "
                          f"({p.norm.strength.replace('_', ' ') if p.norm else 'no norm'})")
            console.print(f"    {escape(_norm_text(p))}")
            for c in p.norm.conditions if p.norm else []:
                console.print(f"      when {escape(c)}")
            if p.norm and p.norm.unless:
                console.print(f"      unless {' | '.join(p.norm.unless)}")
            if p.excludes:
                console.print(f"    excludes: {', '.join(p.excludes)}")
        elif kind == "exception":
            p = a.exceptions[i]
            console.print(f"\n  [bold]exception {p.ref}[/bold] {p.kind} applies to {', '.join(p.applies_to)}")
            if p.tests:
                console.print(f"    tests: {', '.join(p.tests)}")
        else:
            p = a.definitions[i]
            console.print(f"\n  [bold]definition[/bold] {p.term}")
        q = quoted_node(p, rf.regime)
        if q is not None:
            # Original first, the English under it: a terminal is a narrow output.
            console.print(f"    \u201c{escape(q.original)}\u201d" + (" (translation)" if p.translation else ""))
            if q.english:
                console.print(f"    [dim]{escape(q.label)}:[/dim] "
                              + (f"\u201c{escape(q.english)}\u201d" if q.kind == "translation" else escape(q.english)))
        if p.status != "verified":
            console.print(f"    status: {p.status}")
        if p.note:
            console.print(f"    note: {escape(p.note)}")


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to find, e.g. \"computing facilities\" or 14.13.", show_default=False)],
    regime: Annotated[Optional[str], typer.Option("--regime", "-r", help="Only this regime, e.g. CN_PIPL.")] = None,
    db: DbOption = None,
    format: FormatOpt = "text",
) -> None:
    """Find loaded provisions whose citation, quote (or the English beside it), note or terms hold TEXT."""
    from rich.console import Console
    from rich.markup import escape

    store = _store()
    check_text_or_json(format)
    try:
        hits = store.search_provisions(text, db, regime=regime)
    except store.StoreError as exc:
        raise _store_failed(exc) from None
    if format == "json":
        typer.echo(json.dumps({"provisions": [h.model_dump(mode="json") for h in hits]}, indent=2, ensure_ascii=False))
        return
    console = Console(soft_wrap=True)
    console.print(f"{len(hits)} provision(s) matching \u201c{escape(text)}\u201d", highlight=False)
    for h in hits:
        console.print(f"\n[bold]{h.citation}[/bold]  {h.path}:{h.line}", highlight=False)
        q = quoted(h)
        if q is not None:
            console.print(f"    \u201c{escape(q.original)}\u201d", highlight=False)
            if q.english:  # narrow output: the English under the original
                english = f"\u201c{escape(q.english)}\u201d" if q.kind == "translation" else escape(q.english)
                console.print(f"    [dim]{escape(q.label)}:[/dim] {english}", highlight=False)


@app.command()
def export(
    regime: Annotated[str, typer.Argument(
        help="Regime id (CPTPP), or the stored path of a file without a regime (rules/vocabulary/core.dtr).",
        show_default=False)],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    db: DbOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Write a loaded regime back as a rule file, in the formatter's canonical layout.

    Comments are not stored, so the export is `dtrc fmt`'s output of the loaded file
    without its comments (docs/storage.md).
    """
    if output is not None:
        # An export has no comments: never let it silently replace a rule file a lawyer wrote.
        from .options import guard_output

        guard_output(output, force, reports_only=False)
    store = _store()
    try:
        rf = store.get_file(regime, db) if "/" in regime or regime.endswith(".dtr") else store.get_regime(regime, db)
    except store.StoreError as exc:
        raise _store_failed(exc) from None
    text = format_file(rf)
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            typer.echo(f"dtrc: cannot write {output}: {exc.strerror or exc}", err=True)
            raise typer.Exit(EXIT_USAGE) from None
        typer.echo(f"wrote {output}", err=True)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the schema, or migrate it to the newest revision (run once after upgrading dtrc)."""
    store = _store()
    try:
        engine = store.get_engine(db)
        before, after = store.upgrade(engine)
    except store.StoreError as exc:
        raise _store_failed(exc) from None
    where = store.display_url(engine)
    if before == after:
        typer.echo(f"{where}: already at revision {after}")
    else:
        typer.echo(f"{where}: upgraded from {before or 'an empty database'} to revision {after}")
