"""What the command modules share: typer options, usage errors, corpus loading, report output.

Pipeline position: cli (the top). `compare`, `conflicts`, `test` (:mod:`.compare`) and
`report` (:mod:`.report`) take the same ``--rules``/``--db``/``--as-of`` options and read
the corpus the same way; keeping those here means no command module imports another.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import EXIT_USAGE

DEFAULT_RULES = Path("rules")

RulesOpt = Annotated[Optional[Path], typer.Option("--rules", help="Folder of rule files (default: ./rules).")]
DbOpt = Annotated[Optional[str], typer.Option("--db", help="Read the corpus from a database URL instead of rule files.")]
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help="Date to compare on, YYYY-MM-DD (default: today).")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="text or json.")]
# compare and conflicts also write reports (comparator.report; docs/reports.md).
ReportFormatOpt = Annotated[str, typer.Option("--format", "-f", help="text, json, md, html, csv, xlsx or docx.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing file that dtrc did not write.")]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to FILE (required for xlsx and docx).")]


def usage_error(message: str, hint: str | None = None) -> None:
    typer.echo(f"dtrc: {message}" + (f"\n  hint: {hint}" if hint else ""), err=True)
    raise typer.Exit(EXIT_USAGE)


def check_text_or_json(fmt: str) -> None:
    """The `--format` of a command that prints text or JSON only (exit 2 otherwise)."""
    if fmt not in ("text", "json"):
        usage_error(f"--format must be text or json, not `{fmt}`")


def load(rules: Path | None, db: str | None):
    """The corpus from a database (``--db``) or a folder of rule files (default ./rules)."""
    if rules is not None and db is not None:
        usage_error("give --rules or --db, not both")
    if db is not None:
        try:
            from ..store import load_corpus_from_db  # lazy: only the storage layer imports SQLAlchemy
        except ImportError:
            usage_error("reading from a database is not available in this installation",
                         "use --rules DIR (the storage layer has no load_corpus_from_db)")
        return load_corpus_from_db(db)
    from ..validate import load_corpus

    folder = rules if rules is not None else DEFAULT_RULES
    if not folder.exists():
        usage_error(f"no such folder: {folder}", "run from the repository root, or pass --rules DIR")
    return load_corpus([folder])


def user_errors(fn):
    """Call ``fn``; a refused request (unknown name, bad date, binary to a terminal) is exit 2."""
    from ..errors import UserError

    try:
        return fn()
    except UserError as exc:
        usage_error(exc.message, exc.hint)


def check_report_target(fmt: str, output: Path | None, force: bool = False) -> None:
    """Before any work: a known format, a file for the binary ones, and a file we may write
    (see :func:`guard_output`); exit 2 otherwise."""
    from ..report import FORMATS, check_target

    if fmt not in ("text", *FORMATS):
        usage_error(f"--format must be text or json, or a report format: {', '.join(f for f in FORMATS if f != 'json')}"
                f" (not `{fmt}`)", "e.g. --format html -o report.html")
    if fmt == "text":
        if output is not None:
            usage_error("-o writes a report: choose its format", "e.g. --format html -o report.html")
        return
    user_errors(lambda: check_target(fmt, output))
    if output is not None and str(output) != "-":
        guard_output(Path(output), force)


def guard_output(path: Path, force: bool, within: Path | None = None, *, reports_only: bool = True) -> None:
    """Refuse (exit 2) to write through a symbolic link that leads out of ``within`` (the output
    folder; for ``-o FILE``, the file's own folder), or over an existing file that dtrc did not
    write (any existing file when ``reports_only`` is False) unless ``force``."""
    from ..report import is_report_file

    within = (within if within is not None else path.parent).resolve()
    if path.is_symlink():
        target = path.resolve()
        if target != within and within not in target.parents:
            usage_error(f"{path} is a symbolic link to {target}, outside {within}: not following it",
                        "write to the real path, or remove the link")
    if path.exists() and not force:
        if path.is_dir():
            usage_error(f"{path} is a folder", "give a file name")
        if not reports_only or not is_report_file(path):
            usage_error(f"{path} exists and is not a report dtrc wrote: not replacing it",
                        "choose another name, or add --force to replace it")


def emit_report(result, fmt: str, output: Path | None, corpus) -> None:
    """Write ``result`` as ``fmt`` to ``output`` (stdout when None), footer hash from ``corpus``."""
    from ..report import ReportOptions, corpus_hash, write_report

    user_errors(lambda: write_report(result, fmt, output, ReportOptions(corpus_hash=corpus_hash(corpus))))
