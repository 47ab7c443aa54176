"""Corpora for the accession tests: the fixture corpus (tests/fixtures/accession with the
comparison fixtures' vocabulary) and the bundled rules."""
from __future__ import annotations

from pathlib import Path

import pytest

from comparator.validate import load_corpus

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "accession"
VOCABULARY = ROOT / "tests" / "fixtures" / "compare" / "vocabulary"


@pytest.fixture(scope="session")
def fixture_corpus():
    return load_corpus([FIXTURE, VOCABULARY])


@pytest.fixture(scope="session")
def bundled():
    return load_corpus([ROOT / "rules"])
