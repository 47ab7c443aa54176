"""`dtrc lineage` and comparator.lineage on a small corpus where one regime copies another."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comparator.cli import app
from comparator.lineage import LineageError, diff_text, lineage
from comparator.validate import load_corpus

runner = CliRunner()

CLAUSE = ("Each Party shall allow the cross-border transfer of information by electronic means, including "
          "personal information, when this activity is for the conduct of the business of a covered person.")
# The copy changes one word: "covered" becomes "qualified".
COPY = CLAUSE.replace("covered person", "qualified person")
OTHER = ("No Party shall require a covered person to use or locate computing facilities in that Party's "
         "territory as a condition for conducting business in that territory.")


def regime(rid: str, title: str, signed: str, articles: list[tuple[str, str, str]]) -> str:
    out = [f'regime {rid} "{title}" {{\n  kind: trade_agreement\n  parties: SG, GB\n  signed: {signed}\n}}\n']
    for ref, art_title, quote in articles:
        out.append(f'article {ref} "{art_title}" {{\n  provision {ref}.1 {{\n'
                   f'    topic: data_flows.cross_border_transfer\n'
                   f'    party must allow cross_border_transfer of information\n    quote: "{quote}"\n  }}\n}}\n')
    return "\n".join(out)


@pytest.fixture
def rules(tmp_path) -> Path:
    shutil.copytree("tests/fixtures/vocabulary", tmp_path / "vocabulary")
    files = {
        # Signed first, but its text is another clause: an older regime is no ancestor by date alone.
        "first.dtr": regime("FIRST", "First Agreement", "2001-01-01", [("7", "Computing Facilities", OTHER)]),
        "origin.dtr": regime("ORIGIN", "Original Agreement", "2010-05-01",
                             [("3", "Transfer of Information", CLAUSE), ("4", "Computing Facilities", OTHER)]),
        "copy.dtr": regime("COPY", "Copying Agreement", "2015-06-01", [("12", "Flow of Data", COPY)]),
        # Signed later than COPY with the same words: similar, but it cannot be COPY's source.
        "later.dtr": regime("LATER", "Later Agreement", "2020-02-02", [("9", "Data Transfers", COPY)]),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_the_copied_clause_ranks_first_and_the_older_text_is_the_ancestor(rules):
    result = lineage(load_corpus([rules]), "COPY", "12", top=3)
    assert [(m.article.regime, m.article.article) for m in result.matches][:2] == [("LATER", "9"), ("ORIGIN", "3")]
    assert result.matches[0].score == 1.0 and 0.7 < result.matches[1].score < 1.0
    assert all(m.score < 0.2 for m in result.matches[2:])
    assert (result.ancestor.article.regime, result.ancestor.article.article) == ("ORIGIN", "3")
    changed = [(op.op, op.words) for op in result.diff if op.op != "equal"]
    assert changed == [("delete", "covered"), ("insert", "qualified")]
    assert "[-covered-] {+qualified+}" in diff_text(result.diff)


def test_the_original_has_no_ancestor_and_says_why(rules):
    result = lineage(load_corpus([rules]), "ORIGIN", "3")
    assert result.ancestor is None and result.diff == []
    assert "signed before 2010-05-01" in result.ancestor_note
    assert {m.article.regime for m in result.matches[:2]} == {"COPY", "LATER"}


def test_unknown_regime_and_article_are_named_with_a_hint(rules):
    corpus = load_corpus([rules])
    with pytest.raises(LineageError, match="no regime `COPYY`") as exc:
        lineage(corpus, "COPYY", "12")
    assert "COPY" in exc.value.hint
    with pytest.raises(LineageError, match="COPY has no article 99") as exc:
        lineage(corpus, "COPY", "99")
    assert "12" in exc.value.hint


def test_cli_text_is_in_words_and_json_keeps_ids(rules):
    result = runner.invoke(app, ["lineage", "COPY", "12", "--rules", str(rules)])
    assert result.exit_code == 0, result.output
    assert "Copying Agreement, Article 12 \u201cFlow of Data\u201d" in result.output
    assert "Earliest signed ancestor: Original Agreement, Article 3 \u201cTransfer of Information\u201d" in result.output
    assert "[-covered-] {+qualified+}" in result.output
    result = runner.invoke(app, ["lineage", "COPY", "12", "--rules", str(rules), "--format", "json", "--top", "1"])
    data = json.loads(result.stdout)
    assert [m["article"]["regime"] for m in data["matches"]] == ["LATER"]
    assert data["ancestor"]["article"] == {"regime": "ORIGIN", "regime_title": "Original Agreement", "article": "3",
                                           "article_title": "Transfer of Information", "signed": "2010-05-01"}
    bad = runner.invoke(app, ["lineage", "NOPE", "1", "--rules", str(rules)])
    assert bad.exit_code == 2 and "no regime `NOPE`" in bad.output and "Traceback" not in bad.output


def test_cli_reads_the_corpus_from_a_database(rules, tmp_path):
    url = f"sqlite:///{tmp_path / 'rules.db'}"
    loaded = runner.invoke(app, ["load", str(rules), "--db", url])
    assert loaded.exit_code == 0, loaded.output
    result = runner.invoke(app, ["lineage", "COPY", "12", "--db", url, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ancestor"]["article"]["regime"] == "ORIGIN"
    assert [op for op in data["diff"] if op["op"] != "equal"] == [{"op": "delete", "words": "covered"},
                                                                  {"op": "insert", "words": "qualified"}]


def test_a_provision_leads_to_its_article(rules):
    from comparator.lineage import LineageIndex, article_of

    corpus = load_corpus([rules])
    assert article_of(corpus, "COPY", "12.1") == "12"
    assert article_of(LineageIndex.build(corpus), "ORIGIN", "4.1") == "4"
    assert article_of(corpus, "COPY", "99.1") is None
