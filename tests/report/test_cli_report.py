"""Reports from the command line: `dtrc compare/conflicts --format ... -o FILE` and `dtrc report OUTDIR`."""
from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from comparator.cli import app
from comparator.cli.report import ACCESSION_REPORTS, AGREEMENT_KINDS, COUNTRY_REPORTS, WORKBOOK_NAME
from comparator.report import FORMATS
from comparator.validate import load_corpus

from .conftest import ROOT

runner = CliRunner()
FIXTURE = "tests/fixtures/report"
AS_OF = "2025-01-01"


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


@pytest.fixture(scope="module")
def bundled_agreements():
    corpus = load_corpus([ROOT / "rules"])
    return sorted(rid for rid, rf in corpus.regimes.items() if rf.regime.kind in AGREEMENT_KINDS)


# ---------------------------------------------------------------------------- compare / conflicts

@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_binary_format_to_the_terminal_is_refused(fmt):
    result = run("compare", "ALPHA", "BETA", "--rules", FIXTURE, "--format", fmt)
    assert result.exit_code == 2
    assert f"--format {fmt} writes a binary file" in result.output and "-o" in result.output
    assert result.stdout == ""


def test_unknown_format_and_stray_output_are_usage_errors(tmp_path):
    result = run("conflicts", "--country", "GB", "--rules", FIXTURE, "--format", "pdf")
    assert result.exit_code == 2 and "--format must be text or json, or a report format" in result.output
    assert "html" in result.output and "`pdf`" in result.output
    result = run("compare", "ALPHA", "--rules", FIXTURE, "-o", tmp_path / "x.txt")
    assert result.exit_code == 2 and "choose its format" in result.output
    assert not (tmp_path / "x.txt").exists()


def test_compare_xlsx_to_a_file(tmp_path):
    out = tmp_path / "c.xlsx"
    result = run("compare", "ALPHA", "BETA", "--rules", FIXTURE, "--as-of", AS_OF, "--format", "xlsx", "-o", out)
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames == ["ALPHA vs BETA"]


def test_conflicts_docx_for_assumed_accession(tmp_path):
    from docx import Document

    out = tmp_path / "cn.docx"
    result = run("conflicts", "--country", "CN", "--assume-party", "CPTPP=CN", "--format", "docx", "-o", out)
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in Document(out).paragraphs)
    assert "Assuming China is a party to CPTPP" in text


def test_json_to_a_file_is_what_stdout_gets(tmp_path):
    args = ["compare", "ALPHA", "BETA", "GB_LAW", "--rules", FIXTURE, "--as-of", AS_OF, "--format", "json"]
    printed = run(*args).stdout
    assert run(*args, "-o", tmp_path / "c.json").exit_code == 0
    assert (tmp_path / "c.json").read_text(encoding="utf-8") == printed


def test_unwritable_output_is_exit_2(tmp_path):
    result = run("compare", "ALPHA", "--rules", FIXTURE, "--format", "md", "-o", tmp_path / "no" / "c.md")
    assert result.exit_code == 2 and "cannot write" in result.output


# ---------------------------------------------------------------------------- dtrc report

def links_of(index: Path) -> list[str]:
    return re.findall(r'href="([^"#]+)"', index.read_text(encoding="utf-8"))


def test_report_set_of_the_bundled_rules(tmp_path, bundled_agreements):
    out = tmp_path / "set"
    result = run("report", out, "--formats", "json,md", "--as-of", "2026-06-01", "--generated-at", "2026-06-01")
    assert result.exit_code == 0, result.output
    pairs = list(itertools.combinations(bundled_agreements, 2))
    stems = [f"compare-{a}-{b}" for a, b in pairs] + [f"conflicts-{c}" for c, _ in COUNTRY_REPORTS] \
        + [f"accession-{c}-{'-'.join(joins)}" for c, joins, _ in ACCESSION_REPORTS]
    expected = {f"{s}.{fmt}" for s in stems for fmt in ("json", "md")} | {"index.html"}
    assert {p.name for p in out.iterdir()} == expected
    links = links_of(out / "index.html")
    assert set(links) == expected - {"index.html"} and all((out / link).exists() for link in links)
    for a, b in pairs:
        assert [r["id"] for r in json.loads((out / f"compare-{a}-{b}.json").read_text())["regimes"]] == [a, b]
    cn = json.loads((out / "conflicts-CN.json").read_text())["perspective"]
    assert cn["country"] == "CN" and sorted(map(tuple, cn["assume_party"])) == [("CPTPP", "CN"), ("DEPA", "CN")]
    assert cn["as_of"] == "2026-06-01"
    gb = json.loads((out / "accession-GB-CPTPP.json").read_text())
    assert gb["as_of"] == "2024-12-15" and gb["already_party"] == [] and gb["rows"]
    assert "CPTPP 14.11.2" in (out / "accession-CN-CPTPP.md").read_text(encoding="utf-8")


def test_report_set_compares_only_the_agreements_named(tmp_path):
    out = tmp_path / "set"
    result = run("report", out, "--formats", "json", "--agreements", "DEPA,CPTPP", "-a", "USMCA",
                 "--as-of", "2026-06-01", "--generated-at", "2026-06-01")
    assert result.exit_code == 0, result.output
    compared = sorted(p.name for p in out.glob("compare-*"))
    assert compared == ["compare-CPTPP-DEPA.json", "compare-CPTPP-USMCA.json", "compare-DEPA-USMCA.json"]
    assert (out / "conflicts-CN.json").exists() and (out / "accession-CN-CPTPP.json").exists()
    assert "Agreements: CPTPP, DEPA, USMCA." in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name,message", [
    ("CPTTP", "no regime `CPTTP` in the rules"),      # a slip: did you mean CPTPP?
    ("CN_PIPL", "CN_PIPL is a domestic law, not an agreement"),
])
def test_report_agreements_must_be_agreements_of_the_corpus(tmp_path, name, message):
    result = run("report", tmp_path / "set", "--agreements", name, "--formats", "json")
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "set").exists()


def test_report_set_in_every_format_with_one_workbook(tmp_path):
    out = tmp_path / "set"
    result = run("report", out, "--rules", FIXTURE, "--as-of", AS_OF, "--generated-at", "2026-06-01")
    assert result.exit_code == 0, result.output
    for stem in ("compare-ALPHA-BETA", "conflicts-GB", "conflicts-CN", "conflicts-SG"):
        assert {(out / f"{stem}.{fmt}").exists() for fmt in FORMATS} == {True}
    wb = load_workbook(out / WORKBOOK_NAME)
    assert wb.sheetnames == ["ALPHA vs BETA", "Conflicts GB", "Conflicts CN", "Conflicts SG"]
    assert set(links_of(out / "index.html")) == {p.name for p in out.iterdir()} - {"index.html"}


def test_report_set_is_byte_identical_for_the_same_rules_and_options(tmp_path):
    args = ["--rules", FIXTURE, "--as-of", AS_OF, "--generated-at", "2026-06-01"]
    assert run("report", tmp_path / "one", *args).exit_code == 0
    assert run("report", tmp_path / "two", *args).exit_code == 0
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert one == two


def test_report_set_does_not_depend_on_the_hash_seed(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "comparator", "report", str(out), "--formats", "json",
                        "--as-of", "2026-06-01", "--generated-at", "2026-06-01"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        outputs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outputs[0] == outputs[1]


def test_report_topic_glob_keeps_only_matching_rows_and_leaves_out_silent_pairs(tmp_path):
    out = tmp_path / "set"
    result = run("report", out, "--formats", "json", "--topic", "source_code.*", "--as-of", "2026-06-01",
                 "--generated-at", "2026-06-01")
    assert result.exit_code == 0, result.output
    comparisons = sorted(out.glob("compare-*.json"))
    assert comparisons
    for path in comparisons:
        assert {r["topic"] for r in json.loads(path.read_text())["rows"]} <= {"source_code.disclosure"}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Topics: source_code.*" in index


def test_report_topic_matching_nothing_is_exit_2(tmp_path):
    result = run("report", tmp_path / "set", "--rules", FIXTURE, "--topic", "nosuch.*", "--as-of", AS_OF)
    assert result.exit_code == 2 and "nosuch" in result.output


def test_report_no_quotes_and_columns(tmp_path):
    out = tmp_path / "set"
    result = run("report", out, "--rules", FIXTURE, "--formats", "csv,html", "--no-quotes", "--columns",
                 "provisions,objects", "--as-of", AS_OF, "--generated-at", "2026-06-01")
    assert result.exit_code == 0, result.output
    header = (out / "compare-ALPHA-BETA.csv").read_text().splitlines()[0]
    assert header == "topic,topic_label,regime,status,provisions,objects"
    html = (out / "compare-ALPHA-BETA.html").read_text()
    assert "Each Party shall" not in html and 'data-field="objects"' in html
    assert "a_quote" not in (out / "conflicts-GB.csv").read_text().splitlines()[0]


@pytest.mark.parametrize("args,message", [
    (["--formats", "pdf"], "unknown report format `pdf`"),
    (["--columns", "colour"], "unknown column `colour`"),
    (["--generated-at", "soon"], "--generated-at `soon` is not a date"),
    (["--as-of", "2025-13-01"], "--as-of `2025-13-01` is not a date"),
])
def test_report_refuses_bad_options(tmp_path, args, message):
    result = run("report", tmp_path / "set", "--rules", FIXTURE, *args)
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "set").exists()  # refused before writing anything


def test_report_footer_date_from_source_date_epoch_or_the_clock(tmp_path):
    out = tmp_path / "epoch"
    result = run("report", out, "--rules", FIXTURE, "--formats", "html,docx", "--as-of", AS_OF,
                 env={"SOURCE_DATE_EPOCH": "1780272000"})
    assert result.exit_code == 0, result.output
    assert "<footer>Generated 2026-06-01 00:00 UTC · corpus sha256 " in (out / "conflicts-GB.html").read_text()
    result = run("report", tmp_path / "clock", "--rules", FIXTURE, "--formats", "html,xlsx", "--as-of", AS_OF,
                 env={"SOURCE_DATE_EPOCH": ""})
    assert result.exit_code == 0, result.output
    footer = re.search(r"<footer>Generated (.*?) ·", (tmp_path / "clock" / "index.html").read_text()).group(1)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", footer)
