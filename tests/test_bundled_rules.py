"""The bundled corpus in rules/ always passes `check`, `fmt --check` and the quote checker."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comparator.cli import app

QUOTE_CHECKER = Path("../shared/tools/check_quotes.py")


def test_bundled_rules_pass_check():
    result = CliRunner().invoke(app, ["check", "rules/"])
    assert result.exit_code == 0, result.output
    assert " 0 error(s)" in result.output


def test_bundled_rules_are_formatted():
    result = CliRunner().invoke(app, ["fmt", "--check", "rules/"])
    assert result.exit_code == 0, result.output


@pytest.mark.skipif(not QUOTE_CHECKER.exists(), reason="../shared/tools/check_quotes.py is not beside this checkout")
def test_every_quote_is_found_verbatim_in_the_sources():
    out = subprocess.run([sys.executable, str(QUOTE_CHECKER), "rules", "../shared/sources"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert " 0 not found" in out.stdout
