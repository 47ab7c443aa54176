"""`dtrc accession`: JSON golden, readable text, and clean errors (exit 2 with a hint)."""
from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from comparator.cli import app
from tests.goldens import ACCESSION_GOLDEN, ROOT, accession_json


@pytest.fixture(autouse=True)
def _repo_root():
    old = os.getcwd()
    os.chdir(ROOT)
    yield
    os.chdir(old)


def run(*args):
    return CliRunner().invoke(app, list(args))


def test_json_matches_the_golden_file():
    assert accession_json() == ACCESSION_GOLDEN.read_text(encoding="utf-8"), "run `make goldens` (python -m tests.goldens)"


def test_golden_names_the_articles():
    data = json.loads(ACCESSION_GOLDEN.read_text(encoding="utf-8"))
    rows = {r["provision"]: r for r in data["rows"]}
    assert rows["CPTPP 14.11.2"]["exception"] == "CPTPP 14.11.3"
    assert {"CN_PIPL 40", "CN_CSL 39"} <= {c["measure"] for c in rows["CPTPP 14.13.2"]["conflicts"]}
    assert data["summary"]["verdicts"]["compatible_via_exception"] >= 2


def test_text_output_reads_in_words():
    result = run("accession", "CN", "CPTPP", "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.output
    assert "CN joining CPTPP as of 2026-06-01" in result.output
    assert "already bound by RCEP 12.15.2" in result.output
    assert "Location of computing facilities" in result.output


@pytest.mark.parametrize("args, message", [
    (["accession", "CN", "GDPR"], "not an agreement"),
    (["accession", "CN", "CPTPX"], "did you mean CPTPP"),
    (["accession", "CN", "CPTPP", "--as-of", "June"], "not a date"),
    (["accession", "CN", "CPTPP", "--format", "pdf"], "--format"),
])
def test_bad_input_exits_2_without_a_traceback(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_every_field_of_the_contract_is_documented():
    from comparator.model.accession import (AccessionConflict, AccessionReport, AccessionRow, AccessionSummary,
                                            OutOfScope, Precedent, Room)

    docs = (ROOT / "docs" / "accession.md").read_text(encoding="utf-8")
    for model in (AccessionReport, AccessionRow, AccessionConflict, Room, OutOfScope, Precedent, AccessionSummary):
        line = next((ln for ln in docs.splitlines() if ln.startswith(f"| `{model.__name__}` |")), None)
        assert line, f"{model.__name__} has no row in docs/accession.md"
        missing = [f for f in model.model_fields if f"`{f}`" not in line]
        assert not missing, f"{model.__name__}: {missing} not in docs/accession.md"
