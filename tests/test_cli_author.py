"""The author commands as a lawyer uses them: `check`, `fmt`, `summary`, exit codes, no tracebacks."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comparator.cli import app
from comparator.errors import DtrError
from comparator.parse import grammar_path, parse_file

GOOD = Path("tests/fixtures/good/every_construct.dtr")
runner = CliRunner()


def corpus_copy(tmp_path: Path, *names: str) -> Path:
    """A throwaway corpus: the fixture vocabulary plus the named good/bad files."""
    shutil.copytree("tests/fixtures/vocabulary", tmp_path / "vocabulary")
    for name in names:
        src = next(Path("tests/fixtures").glob(f"*/{name}"))
        shutil.copy(src, tmp_path / name)
    return tmp_path


def test_check_reports_every_error_of_a_file_not_only_the_first(tmp_path):
    corpus_copy(tmp_path)
    (tmp_path / "many.dtr").write_text(
        'regime MANY "x" {\n  kind: treaty\n  parties: UK\n}\n'
        'article 1 {\n  provision 1.1 {\n    topic: nope\n    party must allow teleport of information\n  }\n}\n')
    result = runner.invoke(app, ["check", str(tmp_path / "many.dtr")])
    assert result.exit_code == 1
    found = [line.split(": error[")[0].rsplit(":", 2)[1:] + [line.split("[")[1][:4]]
             for line in result.output.splitlines() if ": error[" in line]
    # Sorted by position, each at its exact line and column.
    assert found == [["2", "9", "E014"], ["3", "12", "E013"], ["6", "3", "E047"], ["7", "12", "E012"],
                     ["8", "22", "E010"]]
    assert result.output.rstrip().endswith("1 file(s), 1 regime(s), 1 provision(s), 5 error(s)")


def test_check_json_gives_the_findings_as_data(tmp_path):
    result = runner.invoke(app, ["check", "--format", "json", "tests/fixtures/bad/E010_unknown_term.dtr"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    [finding] = data["diagnostics"]
    assert finding["code"] == "E010" and finding["line"] == 8 and finding["column"] == 47
    assert "personal_information" in finding["hint"]


def test_check_a_folder_summarises_files_regimes_provisions():
    result = runner.invoke(app, ["check", "tests/fixtures/good"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("1 file(s), 1 regime(s), 3 provision(s), 0 error(s)")


def test_check_missing_path_is_a_usage_error():
    result = runner.invoke(app, ["check", "no/such/file.dtr"])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_fmt_rewrites_in_place_and_check_mode_reports(tmp_path):
    corpus_copy(tmp_path, "every_construct.dtr")
    target = tmp_path / "every_construct.dtr"
    before = runner.invoke(app, ["fmt", "--check", str(target)])
    assert before.exit_code == 1 and f"would reformat {target}" in before.output
    diff = runner.invoke(app, ["fmt", "--diff", str(target)])
    assert diff.exit_code == 1 and "+++ " in diff.output and "-dispute_settlement { applies: yes" in diff.output
    assert runner.invoke(app, ["fmt", str(target)]).exit_code == 0
    assert target.read_text() == Path("tests/fixtures/good/every_construct.formatted").read_text()
    assert runner.invoke(app, ["fmt", "--check", str(target)]).exit_code == 0


def test_fmt_leaves_a_file_with_a_syntax_error_untouched(tmp_path):
    corpus_copy(tmp_path, "E001_shall.dtr")
    target = tmp_path / "E001_shall.dtr"
    original = target.read_text()
    result = runner.invoke(app, ["fmt", str(target)])
    assert result.exit_code == 1 and "error[E001]" in result.output
    assert target.read_text() == original


def test_summary_prints_positions_per_topic():
    result = runner.invoke(app, ["summary", "tests/fixtures/good"])
    assert result.exit_code == 0, result.output
    assert "data_flows.cross_border_transfer" in result.output and "FIX_GOOD" in result.output
    assert "binding" in result.output


def test_parse_file_api_raises_our_error_with_all_diagnostics():
    with pytest.raises(DtrError) as info:
        parse_file("tests/fixtures/bad/E045_field_twice.dtr")
    assert [d.code for d in info.value.diagnostics] == ["E045"]
    rf = parse_file(GOOD)
    assert rf.regime.id == "FIX_GOOD" and [p.country for p in rf.regime.parties] == ["SG", "GB", "FR"]
    p11 = rf.articles[0].provisions[0]
    assert (p11.norm.modality, p11.norm.stance, p11.norm.action) == ("must", "allow", "cross_border_transfer")
    assert p11.norm.strength == "binding" and p11.norm.unless == ["1.3"]
    assert rf.articles[0].provisions[1].norm.strength == "best_endeavour"
    assert rf.dispute_settlement.deferrals[0].parties == ["SG", "GB"]


def test_python_dash_m_runs_the_same_program():
    out = subprocess.run([sys.executable, "-m", "comparator", "check", "tests/fixtures/bad/E013_unknown_country.dtr"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert "error[E013]" in out.stderr and "Traceback" not in out.stderr


def test_console_script_exists_and_exits_cleanly_on_bad_input():
    dtrc = Path(sys.executable).parent / "dtrc"
    out = subprocess.run([str(dtrc), "check", "tests/fixtures/bad/E004_unclosed_block.dtr"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "error[E004]" in out.stderr and "Traceback" not in out.stderr


def test_grammar_is_found():
    assert grammar_path().is_file()
