"""The `dtrc` command line: the last stage of the pipeline, beside the UI.

Each group of commands lives in its own module and registers itself on ``app``:
``author`` (check, fmt, summary) for rule authors; later modules add storage,
comparison and reports. Exit status: 0 success, 1 findings (errors in rule files,
failed expectations), 2 usage or internal errors. Users never see a traceback
unless they ask for one with ``DTRC_DEBUG=1``.
"""
from __future__ import annotations

import logging
import os
import sys

import typer

from ..errors import DtrError, SourceCache, UserError, render_all, to_json

app = typer.Typer(
    name="dtrc",
    help="Digital Trade Rules Comparator: check, format, load and compare rule files (.dtr).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_FINDINGS = 1
EXIT_USAGE = 2


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"dtrc {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", "-V", is_eager=True, callback=_version,
                                 help="Print the version and exit."),
) -> None:
    """Digital Trade Rules Comparator: check, format, load and compare rule files (.dtr)."""


def fail(diagnostics, fmt: str = "text", sources: SourceCache | None = None) -> None:
    """Print diagnostics (stderr for text, stdout for JSON) and exit 1."""
    if fmt == "json":
        typer.echo(to_json(diagnostics))
    else:
        typer.echo(render_all(diagnostics, sources), err=True)
    raise typer.Exit(EXIT_FINDINGS)


# Command modules register themselves on `app` when imported.
from . import author  # noqa: E402,F401
from . import store  # noqa: E402,F401
from . import compare  # noqa: E402,F401
from . import report  # noqa: E402,F401
from . import ui  # noqa: E402,F401
from . import importer  # noqa: E402,F401
from . import lineage  # noqa: E402,F401
from . import accession  # noqa: E402,F401
from . import synth  # noqa: E402,F401


def main() -> None:
    # psycopg logs, as a warning, the second error it ignores while the pipeline of a lost
    # connection is torn down ("error ignored terminating <psycopg.Pipeline [BAD]>"); the first
    # reaches the user as one `dtrc:` message. Without a handler, Python's last-resort one would
    # print that line too (seen with the PostgreSQL server stopped mid-load, tests/store/test_faults.py).
    logging.getLogger("psycopg").addHandler(logging.NullHandler())
    try:
        app()
    except DtrError as exc:  # a stage raised instead of returning diagnostics: still no traceback
        typer.echo(render_all(exc.diagnostics), err=True)
        sys.exit(EXIT_FINDINGS)
    except UserError as exc:  # what the user asked for cannot be done: say why, no traceback
        typer.echo(exc.render(), err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into a clean exit
        if os.environ.get("DTRC_DEBUG"):
            raise
        typer.echo(f"dtrc: internal error: {type(exc).__name__}: {exc}\n"
                   "  hint: this is a bug in dtrc; run again with DTRC_DEBUG=1 for the traceback", err=True)
        sys.exit(EXIT_USAGE)
