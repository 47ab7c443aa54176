"""Shared results for the report tests: the report fixture corpus compared and checked once."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from comparator.checks import conflict_report
from comparator.compare import compare
from comparator.model import Perspective
from comparator.report import ReportOptions, corpus_hash
from comparator.validate import load_corpus

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "report"
AS_OF = dt.date(2025, 1, 1)
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="session")
def corpus():
    return load_corpus([CORPUS])


@pytest.fixture(scope="session")
def comparison(corpus):
    return compare(corpus, ["ALPHA", "BETA", "GB_LAW"], as_of=AS_OF)


@pytest.fixture(scope="session")
def conflicts(corpus):
    return conflict_report(corpus, Perspective(kind="country", country="GB", as_of=AS_OF))


@pytest.fixture(scope="session")
def options(corpus):
    return ReportOptions(generated_at="2026-06-01", corpus_hash=corpus_hash(corpus))
