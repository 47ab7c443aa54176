"""`dtrc compare`, `dtrc conflicts`, `dtrc test` as an analyst runs them: output, exit codes, no tracebacks."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from comparator.cli import app

from .conftest import FIXTURE

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def test_compare_cptpp_gdpr_json(bundled):
    result = run("compare", "CPTPP", "GDPR", "--format", "json", "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert [r["id"] for r in d["regimes"]] == ["CPTPP", "GDPR"]
    row = next(r for r in d["rows"] if r["topic"] == "data_flows.cross_border_transfer")
    assert row["cells"]["CPTPP"]["provisions"][0] == "CPTPP 14.11.2"
    assert row["verdicts"][0]["verdict"] == "conflicting"


def test_compare_text_is_a_table_with_differences():
    result = run("compare", "CPTPP", "DEPA", "--topic", "source_code")
    assert result.exit_code == 0, result.output
    assert "source_code.disclosure" in result.stdout
    assert "DEPA has no provision on source code" in result.stdout


def test_conflicts_for_gb_json():
    result = run("conflicts", "--country", "GB", "--as-of", "2026-06-01", "--format", "json")
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    c = next(c for c in d["conflicts"] if c["a"]["provision"] == "CPTPP 14.11.2" and c["b"]["provision"] == "UK_GDPR 44A")
    assert set(c) >= {"kind", "severity", "bound", "a", "b", "overlap", "explanation", "scenario", "reconcilable_via"}
    assert (c["kind"], c["bound"], c["a"]["regime"], c["b"]["regime"]) == ("restriction", "GB", "CPTPP", "UK_GDPR")
    assert c["reconcilable_via"][0] == "CPTPP 14.11.3"
    assert d["perspective"]["country"] == "GB"


def test_conflicts_with_assumed_party_and_explicit_regimes():
    result = run("conflicts", "--country", "CN", "--assume-party", "CPTPP=CN", "--format", "json")
    assert result.exit_code == 0, result.output
    pairs = {(c["a"]["provision"], c["b"]["provision"]) for c in json.loads(result.stdout)["conflicts"]}
    assert ("CPTPP 14.11.2", "CN_PIPL 38.1") in pairs
    result = run("conflicts", "--regimes", "US_CLOUD_ACT", "CN_DSL")
    assert result.exit_code == 0, result.output
    assert "US_CLOUD_ACT 2713" in result.stdout and "reconcilable only if" in result.stdout


def test_conflicts_role_perspective_on_fixture():
    result = run("conflicts", "--role", "provider", "--jurisdiction", "US", "FR", "--rules", str(FIXTURE), "--format", "json")
    assert result.exit_code == 0, result.output
    (c,) = json.loads(result.stdout)["conflicts"]
    assert c["kind"] == "direct" and c["bound"] == "provider operating in US, FR"


@pytest.mark.parametrize("args, message", [
    (["compare", "CPTPP", "GDRP"], "did you mean GDPR"),
    (["compare", "CPTPP", "GDPR", "--as-of", "2026-02-30"], "is not a date"),
    (["conflicts", "--country", "gb"], "write country codes in capitals: GB"),
    (["conflicts", "--country", "GB", "--assume-party", "CPTPP"], "REGIME=COUNTRY"),
    (["conflicts", "--country", "GB", "--regimes"], "choose one perspective"),
    (["conflicts", "--regimes", "CPTPP", "UK_GDRP"], "did you mean UK_GDPR"),
    (["compare", "CPTPP", "--format", "yaml"], "--format must be text or json"),
])
def test_bad_input_exits_2_with_a_hint_and_no_traceback(args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_test_command_passes_on_the_fixture_corpus():
    result = run("test", "tests/fixtures/compare")  # run from the repository root (tests/conftest.py)
    assert result.exit_code == 0, result.output
    assert "PASS tests/fixtures/compare/expectations/expect.dtr:2:" in result.stdout
    assert result.stdout.strip().endswith("9 passed, 0 failed")


def test_test_command_fails_with_file_and_line(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "c")
    (tmp_path / "c" / "expectations" / "wrong.dtr").write_text(
        "expect no conflict between PACT 11.2 and GB_LAW 44 for GB as_of 2024-01-01\n", encoding="utf-8")
    result = run("test", str(tmp_path / "c"))
    assert result.exit_code == 1
    assert f"FAIL {tmp_path / 'c' / 'expectations' / 'wrong.dtr'}:1:" in result.stdout
    assert "expected no conflict, found restriction" in result.stdout
    assert "9 passed, 1 failed" in result.stdout


def test_console_script_runs_end_to_end():
    out = subprocess.run([sys.executable, "-m", "comparator", "conflicts", "--country", "GB", "--format", "json"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["conflicts"]


def test_conflicts_from_a_database(tmp_path):
    store = pytest.importorskip("comparator.store")
    if not hasattr(store, "load_paths"):
        pytest.skip("storage layer without load_paths")
    url = f"sqlite:///{tmp_path / 'dtrc.sqlite'}"
    store.load_paths([FIXTURE], db=url)
    from_db = run("conflicts", "--country", "GB", "--as-of", "2024-01-01", "--db", url, "--format", "json")
    from_files = run("conflicts", "--country", "GB", "--as-of", "2024-01-01", "--rules", str(FIXTURE), "--format", "json")
    assert from_db.exit_code == 0, from_db.output
    strip = lambda d: [(c["kind"], c["a"]["provision"], c["b"]["provision"], c["overlap"]) for c in json.loads(d)["conflicts"]]
    assert strip(from_db.stdout) == strip(from_files.stdout) != []
