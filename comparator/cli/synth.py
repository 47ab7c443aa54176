"""`dtrc synth`: write a synthetic corpus for benchmarks (comparator.synth)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import EXIT_USAGE, app


@app.command()
def synth(
    provisions: Annotated[int, typer.Argument(help="About how many provisions to write.", show_default=False)],
    outdir: Annotated[Path, typer.Argument(help="Folder to write the corpus into (new or empty).", show_default=False)],
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed writes the same files.")] = 0,
    regimes_per_country: Annotated[float | None, typer.Option(
        "--regimes-per-country", min=1,
        help="Hold the density: draw the parties from as few real codes as bind each country by about "
             "this many regimes, at any size (make bench uses 64.5). Default: every real code.",
        show_default=False)] = None,
) -> None:
    """Write a synthetic corpus of about PROVISIONS provisions, for benchmarks.

    Copies of the bundled regimes under new ids, with parties drawn at random from real
    country codes, plus the bundled vocabulary. `dtrc check OUTDIR` passes on it.
    """
    from ..synth import write_corpus

    if provisions < 1:
        typer.echo("dtrc: PROVISIONS must be at least 1", err=True)
        raise typer.Exit(EXIT_USAGE)
    if outdir.exists() and (not outdir.is_dir() or any(outdir.iterdir())):
        typer.echo(f"dtrc: {outdir} exists and is not an empty folder\n  hint: name a new folder", err=True)
        raise typer.Exit(EXIT_USAGE)
    files, written = write_corpus(provisions, outdir, seed, regimes_per_country)
    typer.echo(f"{files} file(s), {written} provision(s) written to {outdir}")
