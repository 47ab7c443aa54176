"""Each conflict check documents a conflicting and a non-conflicting example in the rule
language (sqlfluff-style); this test parses those examples and runs their expectations,
so the documentation cannot drift from the engine."""
from __future__ import annotations

import re

import pytest

from comparator.checks import CHECK_MODULES, checks
from comparator.expectations import run_expectations

MODULES = {m.KIND: m for m in checks()}


def examples(doc: str) -> dict[str, dict[str, str]]:
    """``{"conflicting": {file: text}, "non-conflicting": {...}}`` from a check's docstring."""
    out: dict[str, dict[str, str]] = {}
    for title, body in re.findall(r"^(Conflicting|Non-conflicting) example[^\n]*::\n\n((?:    [^\n]*\n|\n)+)", doc, re.M):
        files: dict[str, str] = {}
        current = None
        for line in body.splitlines():
            line = line[4:]
            m = re.match(r"# file: (\S+)", line)
            if m:
                current = m.group(1)
                files[current] = ""
            elif current:
                files[current] += line + "\n"
        out[title.lower()] = files
    return out


def test_every_kind_has_a_module():
    assert list(MODULES) == list(CHECK_MODULES)


@pytest.mark.parametrize("kind", CHECK_MODULES)
def test_docstring_has_both_examples(kind):
    found = examples(MODULES[kind].__doc__)
    assert set(found) == {"conflicting", "non-conflicting"}, kind


@pytest.mark.parametrize("kind", CHECK_MODULES)
@pytest.mark.parametrize("which", ["conflicting", "non-conflicting"])
def test_docstring_example_verdict(kind, which, corpus_from):
    files = examples(MODULES[kind].__doc__)[which]
    corpus = corpus_from(files)
    (expectation,) = corpus.expectations
    assert expectation.conflict == (which == "conflicting")
    if expectation.conflict:
        assert expectation.kind == kind
    results = run_expectations(corpus)
    assert [r.passed for r in results] == [True], results[0].message
