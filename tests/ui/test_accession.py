"""Accession page: the query string reproduces the view; metrics and rows are the engine's."""
import datetime as dt

from streamlit.testing.v1 import AppTest

from comparator import store
from comparator.accession import accession
from comparator.model.accession import VERDICT_WORDS
from tests.ui.conftest import VIEWS, rerun
from ui import state


def _page(**params) -> AppTest:
    at = AppTest.from_file(str(VIEWS / "accession.py"), default_timeout=60)
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _engine_says(db_url, country, agreements, as_of):
    return accession(store.load_corpus_from_db(db_url), country, agreements, as_of=as_of)


def test_a_shared_link_opens_the_same_view(db_url):
    at = _page(country="CN", agreements="CPTPP", as_of="2026-06-01")
    assert at.selectbox(key=state.ACCESSION_COUNTRY).value == "CN"
    assert at.multiselect(key=state.ACCESSION_AGREEMENTS).value == ["CPTPP"]
    assert at.date_input(key=state.ACCESSION_AS_OF).value == dt.date(2026, 6, 1)
    expected = _engine_says(db_url, "CN", ["CPTPP"], "2026-06-01")
    metrics = {m.label: int(m.value) for m in at.metric}
    for verdict, n in expected.summary.verdicts.items():
        assert metrics[VERDICT_WORDS[verdict].capitalize()] == n
    assert metrics["New conflicts"] == expected.summary.new_conflicts
    titles = [e.label for e in at.expander if e.label.startswith("CPTPP ")]
    assert len(titles) == len(expected.rows)
    assert "CPTPP 14.11.2 — compatible via an exception (CPTPP 14.11.3)" in titles
    text = "\n".join(m.value for m in at.markdown)
    assert "already bound by RCEP 12.15.2" in text and "**CN_PIPL 40**" in text


def test_choosing_widgets_writes_the_query_string(db_url):
    at = _page(country="CN", agreements="CPTPP", as_of="2026-06-01")
    at.multiselect(key=state.ACCESSION_AGREEMENTS).set_value(["CPTPP", "DEPA"])
    rerun(at)
    assert at.query_params["agreements"] == "CPTPP,DEPA"
    assert any(e.label.startswith("DEPA 4.3.2") for e in at.expander)


def test_every_download_format_is_offered(db_url):
    at = _page(country="GB", agreements="CPTPP", as_of="2024-12-15")
    labels = {b.proto.label for b in at.get("download_button")}
    assert {"Markdown", "HTML", "CSV", "Excel", "Word", "JSON"} <= labels


def test_no_agreement_is_a_message(db_url):
    at = _page(country="CN", agreements="NOPE")
    # an unknown agreement in the link falls back to the first treaty; clearing them asks for one
    at.multiselect(key=state.ACCESSION_AGREEMENTS).set_value([])
    rerun(at)
    assert any("at least one agreement" in i.value for i in at.info)


def test_downloads_are_the_bytes_the_cli_writes(db_url, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from comparator.cli import app
    from ui import data

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")  # both footers say the same date
    url, version = data.url_and_version()
    for fmt in ("md", "xlsx"):
        out = tmp_path / f"a.{fmt}"
        result = CliRunner().invoke(app, ["accession", "CN", "CPTPP", "--as-of", "2026-06-01", "--db", db_url,
                                          "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        ui_bytes = data.accession_report(url, version, "CN", ("CPTPP",), dt.date(2026, 6, 1), fmt, dt.date.today())
        assert ui_bytes == out.read_bytes(), fmt


def test_a_chinese_measure_shows_its_english_beside_it(db_url):
    # PIPL 40 is quoted in Chinese; the card must give the reader its unofficial translation too.
    at = _page(country="CN", agreements="CPTPP", as_of="2026-06-01")
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Unofficial translation — ") for c in captions), captions
