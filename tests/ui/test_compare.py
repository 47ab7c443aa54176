"""Compare page: regime and topic pickers drive the table; downloads are the CLI's bytes."""
import datetime as dt

import pytest
from typer.testing import CliRunner

from comparator.cli import app
from comparator.compare import compare
from comparator import store
from tests.ui.conftest import rerun, run_page
from ui import data, state


def test_default_table_compares_cptpp_and_depa_topic_by_topic(db_url):
    at = run_page("compare")
    assert at.multiselect(key=state.COMPARE_REGIMES).value == ["CPTPP", "DEPA"]
    table = at.dataframe[0].value
    assert list(table.columns) == ["Topic", "CPTPP", "DEPA", "Differences"]
    expected = compare(store.load_corpus_from_db(db_url), ["CPTPP", "DEPA"])
    assert len(table) == len(expected.rows)
    # The topic picker offers what these regimes address, nothing they are silent on.
    offered = at.multiselect(key=state.COMPARE_TOPICS).options
    assert len(offered) == len(expected.rows)
    # Offered by label (the id is shown in code style under each topic's heading).
    assert offered == [r.label or r.topic for r in sorted(expected.rows, key=lambda r: r.topic)]
    row = table[table.Topic == "Cross-border transfer of information"].iloc[0]
    assert row.CPTPP.startswith("binding: ") and "14.11.2" in row.CPTPP
    assert row.Differences == " · ".join(expected.row("data_flows.cross_border_transfer").differences)


def test_selecting_regimes_and_a_topic_updates_the_table(db_url):
    at = run_page("compare")
    at.multiselect(key=state.COMPARE_REGIMES).select("UK_GDPR")
    rerun(at)
    assert list(at.dataframe[0].value.columns) == ["Topic", "CPTPP", "DEPA", "UK_GDPR", "Differences"]
    at.multiselect(key=state.COMPARE_TOPICS).select("data_flows.cross_border_transfer")
    rerun(at)
    table = at.dataframe[0].value
    assert table.Topic.tolist() == ["Cross-border transfer of information"]
    assert table.UK_GDPR.iloc[0].startswith("binding: ")
    text = "\n".join(m.value for m in at.markdown)
    # Side by side, each citation links to the official text and names the rule file line.
    assert "[**UK_GDPR 44A**](https://www.legislation.gov.uk/eur/2016/679) · `rules/uk_gdpr.dtr:" in text
    assert "**Differences**" in text


def test_one_regime_asks_for_another(db_url):
    at = run_page("compare")
    at.multiselect(key=state.COMPARE_REGIMES).set_value(["CPTPP"])
    rerun(at)
    assert [i.value for i in at.info] == ["Pick at least two regimes to compare."]
    assert not at.dataframe


def test_a_download_button_for_every_report_format(db_url):
    at = run_page("compare")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Markdown", "HTML", "CSV", "Excel", "Word", "JSON"]


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json", "xlsx", "docx"])
def test_downloads_are_the_bytes_dtrc_compare_writes(db_url, fmt, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # pins the footer date for both
    as_of = dt.date(2026, 6, 1)
    url, version = db_url, data.data_version(db_url)
    ui_bytes = data.comparison_report(url, version, ("CPTPP", "DEPA"), ("data_flows",), as_of, fmt, dt.date.today())
    out = tmp_path / f"cli.{fmt}"
    result = CliRunner().invoke(app, ["compare", "CPTPP", "DEPA", "--topic", "data_flows", "--as-of", "2026-06-01",
                                      "--db", db_url, "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert ui_bytes == out.read_bytes()


def test_where_this_text_comes_from_traces_the_chosen_provision(db_url):
    from comparator.lineage import article_of, lineage

    at = run_page("compare")
    picker = at.selectbox(key=state.COMPARE_LINEAGE)
    assert "DEPA 4.3.2" in picker.options
    picker.select("DEPA 4.3.2")
    rerun(at)
    corpus = store.load_corpus_from_db(db_url)
    expected = lineage(corpus, "DEPA", article_of(corpus, "DEPA", "4.3.2"))
    text = "\n".join(m.value for m in at.markdown)
    # DEPA 4.3.2 copies TPP 14.11 (signed 2016), which CPTPP later incorporated (signed 2018).
    assert expected.ancestor.article.regime == "TPP"
    # The page escapes Markdown punctuation ("Trans\\-Pacific").
    assert f"Earliest signed ancestor: **{expected.ancestor.article.regime_title}" in text.replace("\\", "")
    table = at.dataframe[-1].value
    assert table.Article.tolist() == [f"{m.article.regime_title}, Article {m.article.article} “{m.article.article_title}”"
                                      for m in expected.matches]
    assert not at.exception
