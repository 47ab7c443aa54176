"""The `dtrc` console script: answers `--version` before importing the command line.

Pipeline position: in front of :mod:`comparator.cli`. Importing typer, click and pydantic
takes about ten times as long as starting Python; a version check need not wait for them.
"""
from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from . import __version__

        sys.stdout.write(f"dtrc {__version__}\n")
        return
    from .cli import main as cli_main

    cli_main()
