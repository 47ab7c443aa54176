"""Golden tests: the exact message a lawyer sees for every error code, and the canonical layout.

Regenerate with `make goldens` and review with `git diff tests/fixtures`.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from comparator.errors import CODES
from tests.goldens import cli_doc, command_names, coverage_doc, errors_doc, expected_check, format_output

FIXTURES = Path("tests/fixtures")
BAD = sorted((Path(__file__).parent / "fixtures" / "bad").glob("*.dtr"))
GOOD = sorted((Path(__file__).parent / "fixtures" / "good").glob("*.dtr"))


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_file_gives_the_expected_message(path):
    rel = FIXTURES / "bad" / path.name
    assert expected_check(rel) == path.with_suffix(".expected").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_file_message_names_its_code_and_location(path):
    text = path.with_suffix(".expected").read_text(encoding="utf-8")
    code = path.stem.split("_")[0]
    # W codes are warnings: shown, but the check passes (exit 0).
    severity, exit_line = ("warning", "exit 0\n") if code.startswith("W") else ("error", "exit 1\n")
    assert text.startswith(exit_line)
    assert re.search(rf"^tests/fixtures/bad/{re.escape(path.name)}:\d+:\d+: {severity}\[{code}\]: ", text, re.M)
    assert "Traceback" not in text


def test_every_error_code_has_a_golden_bad_file():
    covered = {p.stem.split("_")[0] for p in BAD}
    assert set(CODES) - covered == set()


def test_every_error_code_is_documented_with_an_example():
    docs = Path("docs/errors.md").read_text(encoding="utf-8")
    for code, title in CODES.items():
        section = re.search(rf"^## {code}\b.*?(?=^## |\Z)", docs, re.M | re.S)
        assert section, f"{code} ({title}) is not documented in docs/errors.md"
        assert "```" in section.group(0), f"{code} has no example in docs/errors.md"


def test_every_command_is_documented_in_the_cli_reference():
    docs = Path("docs/cli.md").read_text(encoding="utf-8")
    missing = [name for name in command_names() if f"## dtrc {name}\n" not in docs]
    assert not missing, f"undocumented commands {missing}: run `make goldens`"


def test_cli_reference_is_up_to_date():
    assert Path("docs/cli.md").read_text(encoding="utf-8") == cli_doc(), "run `make goldens`"


def test_coverage_table_is_up_to_date():
    assert Path("docs/coverage.md").read_text(encoding="utf-8") == coverage_doc(), "run `make goldens`"


def test_errors_doc_is_up_to_date():
    assert Path("docs/errors.md").read_text(encoding="utf-8") == errors_doc(), "run `make goldens`"


@pytest.mark.parametrize("path", GOOD, ids=[p.stem for p in GOOD])
def test_good_file_formats_to_its_golden(path):
    assert format_output(FIXTURES / "good" / path.name) == path.with_suffix(".formatted").read_text(encoding="utf-8")
