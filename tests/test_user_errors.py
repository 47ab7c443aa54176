"""What the user asked for cannot be done: a plain message and hint, exit 2, never a traceback.

Runs the real console script, as a user would, for each stage that can refuse a request.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DTRC = str(Path(sys.executable).parent / "dtrc")


@pytest.mark.parametrize("argv, says", [
    (["compare", "CPTPP", "GDPR", "--db", "sqlite:///{tmp}/empty.sqlite"], "no rules loaded"),
    (["conflicts", "--country", "GB", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none"], "connection failed"),
    (["compare", "CPTPP", "GDPRR"], "did you mean GDPR"),
    (["list", "--db", "sqlite:///{tmp}/empty.sqlite"], "dtrc:"),
])
def test_refused_requests_exit_2_with_a_message(tmp_path, argv, says):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    out = subprocess.run([DTRC, *argv], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2, out.stdout + out.stderr
    assert says in out.stderr
    assert "Traceback" not in out.stderr and "internal error" not in out.stderr
