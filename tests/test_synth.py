"""`dtrc synth`: the synthetic benchmark corpus is valid, deterministic, near the size asked, and conflicts."""
from __future__ import annotations

import subprocess
import sys

import pytest

from comparator.checks import conflict_report
from comparator.model import Perspective
from comparator.synth import synthesize, write_corpus
from comparator.validate import check_paths


def test_same_seed_same_files_other_seed_other_parties():
    a, b, c = synthesize(600, seed=7), synthesize(600, seed=7), synthesize(600, seed=8)
    assert a == b
    assert a.keys() == c.keys() and a != c


@pytest.mark.parametrize("n", [150, 1000, 3000])
def test_size_within_ten_percent(tmp_path, n):
    _, written = write_corpus(n, tmp_path, seed=3)
    result = check_paths([tmp_path])
    counted = sum(len(f.provisions()) for f in result.corpus.files)
    assert counted == written
    assert abs(counted - n) <= n * 0.10, counted


def test_check_passes_and_conflicts_exist(tmp_path):
    write_corpus(1200, tmp_path, seed=11)
    result = check_paths([tmp_path])
    assert result.errors == []
    regimes = sorted(f.regime.id for f in result.corpus.files if f.regime)
    assert len(regimes) > 15 and all("_S" in r for r in regimes)
    report = conflict_report(result.corpus, Perspective(kind="regimes", regimes=regimes))
    assert len(report.conflicts) > 0
    kinds = {c.kind for c in report.conflicts}
    assert len(kinds) >= 2, kinds


def test_cli_writes_a_corpus_that_dtrc_check_accepts(tmp_path):
    out = tmp_path / "corpus"
    dtrc = [sys.executable, "-m", "comparator"]
    made = subprocess.run([*dtrc, "synth", "400", str(out), "--seed", "2"], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    checked = subprocess.run([*dtrc, "check", str(out)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "0 error(s)" in checked.stdout
    again = subprocess.run([*dtrc, "synth", "400", str(out)], capture_output=True, text=True)
    assert again.returncode == 2 and "not an empty folder" in again.stderr
