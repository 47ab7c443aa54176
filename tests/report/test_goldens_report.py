"""Golden reports: md, html, csv and json exactly as `dtrc compare/conflicts` write them.

Regenerate with `make goldens`; review with `git diff tests/fixtures/report`.
"""
from __future__ import annotations

import pytest

from .goldens_report import CASES, GOLDEN_FORMATS, golden_path, report_output

PAIRS = [(case, fmt) for case in CASES for fmt in GOLDEN_FORMATS]


@pytest.mark.parametrize("case,fmt", PAIRS, ids=[f"{c}.{f}" for c, f in PAIRS])
def test_report_matches_its_golden(case, fmt):
    expected = golden_path(case, fmt).read_text(encoding="utf-8")
    assert report_output(case, fmt) == expected, "report changed: run `make goldens` and review the diff"


def test_every_golden_is_generated_by_a_case():
    on_disk = {p.name for p in golden_path("x", "md").parent.iterdir()}
    assert on_disk == {golden_path(c, f).name for c, f in PAIRS}
