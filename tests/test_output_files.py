"""Where reports and exports are written (issue 14): never through a symbolic link that leads
out of the target folder, never over a file dtrc did not write unless --force (exit 2, one
clear message, nothing written)."""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from comparator.cli import app

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "tests" / "fixtures" / "report"


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def compare_to(out: Path, *extra):
    return run("compare", "ALPHA", "BETA", "--rules", RULES, "--as-of", "2025-01-01", "--format", "md", "-o", out,
               *extra)


def test_a_report_replaces_a_report_but_not_a_file_a_person_wrote(tmp_path):
    out = tmp_path / "notes.md"
    assert compare_to(out).exit_code == 0
    assert compare_to(out).exit_code == 0  # our own report: replaced without --force
    out.write_text("# My notes\n\nNot a report.\n")
    result = compare_to(out)
    assert result.exit_code == 2 and "not a report dtrc wrote" in result.output and "--force" in result.output
    assert out.read_text() == "# My notes\n\nNot a report.\n"
    assert compare_to(out, "--force").exit_code == 0 and "Generated" in out.read_text()


@pytest.mark.parametrize("fmt", ["html", "csv", "json", "xlsx", "docx"])
def test_every_format_recognises_its_own_files(tmp_path, fmt):
    out = tmp_path / f"r.{fmt}"
    args = ["conflicts", "--country", "GB", "--rules", RULES, "--as-of", "2025-01-01", "--format", fmt, "-o", out]
    assert run(*args).exit_code == 0
    assert run(*args).exit_code == 0, "a second run must replace the first"
    out.write_bytes(b"PK\x03\x04 not ours" if fmt in ("xlsx", "docx") else b"someone's data\n")
    assert run(*args).exit_code == 2


def test_a_symlink_out_of_the_folder_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.md"
    victim.write_text("precious\n")
    target = tmp_path / "reports"
    target.mkdir()
    (target / "r.md").symlink_to(victim)
    for extra in ([], ["--force"]):
        result = compare_to(target / "r.md", *extra)
        assert result.exit_code == 2 and "symbolic link" in result.output
    assert victim.read_text() == "precious\n"


def test_report_outdir_refuses_a_link_out_and_a_foreign_file_before_writing_anything(tmp_path):
    out = tmp_path / "set"
    out.mkdir()
    outside = tmp_path / "secret.html"
    outside.write_text("precious\n")
    (out / "index.html").symlink_to(outside)
    result = run("report", out, "--rules", RULES, "--formats", "md,html", "--as-of", "2025-01-01", "--force")
    assert result.exit_code == 2 and "symbolic link" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["index.html"] and outside.read_text() == "precious\n"
    (out / "index.html").unlink()
    (out / "index.html").write_text("<p>my own page</p>\n")
    result = run("report", out, "--rules", RULES, "--formats", "md", "--as-of", "2025-01-01")
    assert result.exit_code == 2 and "index.html exists" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    assert run("report", out, "--rules", RULES, "--formats", "md", "--as-of", "2025-01-01", "--force").exit_code == 0
    assert run("report", out, "--rules", RULES, "--formats", "md", "--as-of", "2025-01-01").exit_code == 0


def test_export_never_replaces_a_rule_file_without_force(tmp_path):
    db = f"sqlite:///{tmp_path / 'd.sqlite'}"
    assert run("load", RULES, "--db", db).exit_code == 0
    rule = tmp_path / "alpha.dtr"
    rule.write_text("# a lawyer's comments\n")
    result = run("export", "ALPHA", "--db", db, "-o", rule)
    assert result.exit_code == 2 and "--force" in result.output and rule.read_text() == "# a lawyer's comments\n"
    assert run("export", "ALPHA", "--db", db, "-o", rule, "--force").exit_code == 0
    assert "regime ALPHA" in rule.read_text()
