"""Text a person reads names things by label, never by identifier (house rule; issue 10.5).

Runs the CLI's text output of `dtrc conflicts` (GB; CN assuming CPTPP and DEPA accession;
SG; US) and `dtrc compare` (several regime sets), and the Markdown and HTML of every bundled
comparison and conflict report (`dtrc report`), and fails on any ``snake_case`` token outside
code style (Markdown backticks, HTML ``<code>``) — the places where ids are shown on purpose.
Rule-file paths (``rules/uk_gdpr.dtr:12``) and citations (``UK_SG_DEA 8.general_exceptions``)
are locations, not words, and are skipped too.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comparator.cli import app

SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
PATH = re.compile(r"[\w./-]+\.dtr(?::\d+(?::\d+)?)?")
# A citation (starts with a digit, DEPA's `2.e_invoicing`, UK_SG_DEA's `8.general_exceptions`) is
# the file's numbering of the instrument, not a word.
CITATION = re.compile(r"\b(?:[A-Z][A-Z0-9_]+ )?\d[\w.-]*")
AS_OF = "2026-06-01"
runner = CliRunner()


def prose(text: str, html: bool = False) -> str:
    """The text with code spans, markup and rule-file paths removed."""
    if html:
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
        text = re.sub(r"<code\b.*?</code>", " ", text, flags=re.S)
    # Tags and their attributes (anchors, ids, classes) are not read; Markdown carries a few too.
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"\]\([^)\s]*\)", "]", text)  # a Markdown link's target (#topic-data_flows...) is an address
    return CITATION.sub(" ", PATH.sub(" ", text))


def identifiers(text: str, html: bool = False) -> list[str]:
    return sorted(set(SNAKE.findall(prose(text, html))))


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})
    assert result.exit_code in (0, 1), result.output
    return result.output


@pytest.mark.parametrize("args", [
    ["--country", "GB"],
    ["--country", "CN", "--assume-party", "CPTPP=CN", "--assume-party", "DEPA=CN"],
    ["--country", "SG"],
    ["--country", "US"],
], ids=["GB", "CN", "SG", "US"])
def test_conflicts_text_names_no_identifier(args):
    assert identifiers(run("conflicts", *args, "--as-of", AS_OF)) == []


@pytest.mark.parametrize("regimes", [["CPTPP", "GDPR"], ["CPTPP", "DEPA", "RCEP", "USMCA"],
                                     ["UK_GDPR", "CN_PIPL", "US_CLOUD_ACT"], ["EU_SCC_2021", "ASEAN_MCC"]],
                         ids=lambda r: "-".join(r))
def test_compare_text_names_no_identifier(regimes):
    assert identifiers(run("compare", *regimes, "--as-of", AS_OF)) == []


@pytest.fixture(scope="module")
def report_set(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("prose")
    run("report", str(out), "--formats", "md,html", "--as-of", AS_OF, "--generated-at", AS_OF)
    return out


def test_every_bundled_report_names_no_identifier(report_set):
    found = {p.name: ids for p in sorted(report_set.glob("*.md")) + sorted(report_set.glob("*.html"))
             if (ids := identifiers(p.read_text(encoding="utf-8"), html=p.suffix == ".html"))}
    assert found == {}


def test_the_scan_finds_an_identifier():
    assert identifiers("a controller must cross_border_transfer data") == ["cross_border_transfer"]
    assert identifiers("shown on purpose: `cross_border_transfer`, <code>store_locally</code>", html=True) == []
