"""Golden reports: what `dtrc compare` / `dtrc conflicts` write in md, html, csv and json for
the report fixture corpus (tests/fixtures/report), and the one function `make goldens`
calls to regenerate them.

The tests and the regeneration run the same :func:`report_output`, so a golden can only
differ from the test's view when the code changed. Review with `git diff tests/fixtures/report`.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from comparator.cli import app

CORPUS = Path("tests/fixtures/report")
EXPECTED = CORPUS / "expected"
AS_OF = "2025-01-01"
# 2026-06-01 00:00 UTC: the footer date of every golden (SOURCE_DATE_EPOCH is the
# reproducible-builds convention that `dtrc compare/conflicts` honour).
GENERATED_EPOCH = int(dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc).timestamp())
GOLDEN_FORMATS = ("md", "html", "csv", "json")

# name -> the dtrc arguments, before --format
CASES: dict[str, list[str]] = {
    "comparison": ["compare", "ALPHA", "BETA", "GB_LAW", "--rules", str(CORPUS), "--as-of", AS_OF],
    "conflicts-GB": ["conflicts", "--country", "GB", "--rules", str(CORPUS), "--as-of", AS_OF],
}


def report_output(case: str, fmt: str) -> str:
    """What dtrc prints for ``case`` in ``fmt``, with the footer date pinned; run from the repo root."""
    result = CliRunner().invoke(app, [*CASES[case], "--format", fmt],
                                env={"SOURCE_DATE_EPOCH": str(GENERATED_EPOCH)})
    if result.exit_code != 0:
        raise AssertionError(f"dtrc {' '.join(CASES[case])} --format {fmt} exited {result.exit_code}:\n{result.output}")
    return result.stdout


def golden_path(case: str, fmt: str) -> Path:
    return EXPECTED / f"{case}.{fmt}"


def regenerate_report_goldens() -> None:
    """Rewrite tests/fixtures/report/expected/* (called by tests/goldens.py's main)."""
    EXPECTED.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        for fmt in GOLDEN_FORMATS:
            golden_path(case, fmt).write_text(report_output(case, fmt), encoding="utf-8", newline="")
