"""Corpora for the comparison tests: the fixture corpus, the bundled rules, and a builder
for throwaway corpora (examples from check docstrings, synthetic corpora)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from comparator.validate import load_corpus

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "compare"
BUNDLED = ROOT / "rules"


@pytest.fixture(scope="session")
def fixture_corpus():
    return load_corpus([FIXTURE])


@pytest.fixture(scope="session")
def bundled():
    return load_corpus([BUNDLED])


@pytest.fixture
def corpus_from(tmp_path):
    """Write ``{name: text}`` next to the fixture vocabulary and load them as one corpus."""

    def build(files: dict[str, str]):
        shutil.copytree(FIXTURE / "vocabulary", tmp_path / "vocabulary")
        for name, text in files.items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        return load_corpus([tmp_path])

    return build
