"""Bounded fuzzing for `make test`: a seeded sample of the campaign, plus every hostile shape once.

The long run is `make fuzz` (python -m tests.fuzz.campaign 100000); docs/reliability.md has its figures.
"""
from __future__ import annotations

import random

import pytest

from comparator.errors import DtrError
from comparator.parse import MAX_LINE_CHARS, parse_text

from .campaign import run
from .inputs import MUTATORS, base_text
from .oracle import check_input, watchdog


def test_a_seeded_sample_gives_a_corpus_or_our_error_and_never_hangs():
    result = run(1500, seed=14, timeout=10, progress=False)
    assert (result["crashes"], result["hangs"]) == (0, 0)
    # The sample must exercise both sides of the property, or it proves nothing.
    assert result["valid"] > 50 and result["rejected"] > 500


@pytest.mark.parametrize("name", sorted(MUTATORS))
def test_each_hostile_shape_keeps_the_property(name):
    rng = random.Random(name)
    for _ in range(15):
        with watchdog(10):
            check_input(MUTATORS[name](rng, base_text(rng)))


def test_a_one_megabyte_line_is_refused_quickly_with_its_location():
    text = 'regime A "t" {\n  note: "' + "x" * 999_000 + '"\n}\n'
    with watchdog(2), pytest.raises(DtrError) as err:
        parse_text(text, "big.dtr")
    (d,) = err.value.diagnostics
    assert (d.code, d.span.path, d.span.line, d.span.column) == ("E006", "big.dtr", 2, MAX_LINE_CHARS + 1)


def test_a_line_at_the_limit_is_still_read():
    note = "x" * (MAX_LINE_CHARS - len('  note: ""'))
    text = f'regime A "t" {{\n  kind: trade_agreement\n  parties: GB\n  note: "{note}"\n}}\n'
    assert parse_text(text, "limit.dtr").file.regime.note == note
    with pytest.raises(DtrError):
        parse_text(text.replace(note, note + "x"), "limit.dtr")


def test_old_mac_line_endings_are_refused_not_read_as_one_comment():
    text = '# a comment\rregime A "t" {\r  kind: trade_agreement\r  parties: GB\r}\r'
    with pytest.raises(DtrError) as err:
        parse_text(text, "mac.dtr")
    (d,) = err.value.diagnostics
    assert (d.code, d.span.line, d.span.column) == ("E002", 1, 12)
    assert parse_text(text.replace("\r", "\r\n"), "crlf.dtr").file.regime.id == "A"
