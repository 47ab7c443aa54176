"""`dtrc synth`: the synthetic benchmark corpus is valid, deterministic, near the size asked, and conflicts."""
from __future__ import annotations

import subprocess
import sys

import pytest

from comparator.checks import conflict_report
from comparator.model import Perspective
from comparator.synth import pool_size, synthesize, write_corpus
from comparator.validate import check_paths, check_sources


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



def _regimes_per_country(result) -> tuple[int, float]:
    """(countries named, mean number of regimes naming each country); no regime names one twice."""
    named: dict[str, int] = {}
    for f in result.corpus.files:
        if f.regime:
            places = [p.country for p in f.regime.parties] + list(f.regime.jurisdiction)
            assert len(places) == len(set(places)), f"{f.regime.id} names a country twice: {places}"
            for c in places:
                named[c] = named.get(c, 0) + 1
    return len(named), sum(named.values()) / len(named)


def test_density_is_held_across_sizes_with_real_codes(tmp_path):
    # 14 regimes per country: a pool of 22 codes at 2k provisions (fewer than the 26 names
    # of a batch, so names share codes) and of 66 at 6k; without a density, far fewer.
    for n in (2000, 6000):
        write_corpus(n, tmp_path / str(n), seed=5, regimes_per_country=14)
        result = check_paths([tmp_path / str(n)])
        assert result.errors == []
        countries, mean = _regimes_per_country(result)
        assert pool_size(n, 14) - 3 <= countries <= pool_size(n, 14)  # drawn from the pool only
        assert abs(mean - 14) <= 1.5, (n, mean)
    write_corpus(6000, tmp_path / "free", seed=5)
    assert _regimes_per_country(check_paths([tmp_path / "free"]))[1] < 7


def test_a_dense_corpus_is_deterministic_and_conflicts_of_every_treaty_kind():
    a = synthesize(1500, seed=4, regimes_per_country=12)
    assert a == synthesize(1500, seed=4, regimes_per_country=12) and a != synthesize(1500, seed=4)
    result = check_sources(a)
    assert result.errors == []
    kinds = set()
    for country in sorted({p.country for f in result.corpus.files if f.regime for p in f.regime.parties})[:6]:
        kinds |= {c.kind for c in conflict_report(result.corpus, Perspective(kind="country", country=country)).conflicts}
    assert {"restriction", "commitment_vs_measure", "permission_denied"} <= kinds, kinds
