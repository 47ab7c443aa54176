"""`dtrc import tota`: a ToTA XML file -> a draft rule file (comparator.importers.tota).

Thin: the importer builds and re-parses the draft; this module only writes it, through a
temporary file renamed into place so that a failed import never leaves half a file, and
turns every problem into one message with a hint and exit 1.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UserError
from . import EXIT_FINDINGS, app

import_app = typer.Typer(help="Draft rule files from texts published by others (ToTA XML). See docs/importing.md.",
                         no_args_is_help=True)
app.add_typer(import_app, name="import")


def _fail(message: str, hint: str | None = None, output: Path | None = None) -> None:
    typer.echo(f"dtrc: {message}" + (f"\n  nothing written to {output}" if output else "")
               + (f"\n  hint: {hint}" if hint else ""), err=True)
    raise typer.Exit(EXIT_FINDINGS)


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


@import_app.command("tota")
def tota(
    file: Annotated[Path, typer.Argument(help="A ToTA treaty file (xml/pta_N.xml).", show_default=False)],
    chapter: Annotated[Optional[str], typer.Option(
        "--chapter", help="Pattern matched against chapter numbers and names "
                          "(default: electronic|e-commerce|digital|comercio electr).")] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write the draft to FILE (default: print it).")] = None,
    regime_id: Annotated[Optional[str], typer.Option(
        "--id", help="Regime id (default: from the output name, chafta.dtr -> CHAFTA, else TOTA_<n>).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Draft a rule file from one chapter of a ToTA treaty: regime block, articles, and one unverified
    provision per article quoting its text, with the modality its words suggest. A lawyer encodes the rest."""
    from ..importers.tota import DEFAULT_CHAPTER, import_file

    if output is not None:
        if output.exists() and not force:
            _fail(f"{output}: already exists", "pass --force to overwrite it, or choose another -o FILE", output)
        if not output.parent.is_dir():
            _fail(f"{output.parent}: no such folder", "create the folder first, or choose another -o FILE", output)
    try:
        draft = import_file(file, chapter=chapter or DEFAULT_CHAPTER, regime_id=regime_id,
                            output_name=str(output) if output else None)
    except UserError as exc:
        _fail(exc.message, exc.hint, output)
    if output is None:
        typer.echo(draft.text, nl=False)
        return
    _write_atomically(output, draft.text)
    rf = draft.rule_file
    typer.echo(f"{output}: regime {rf.regime.id}, {draft.chapter}, {len(rf.articles)} article(s), "
               "all provisions unverified; next: encode them, then `dtrc check` (docs/importing.md)", err=True)
