"""Conflicts page: presets fill the perspective; conflicts grouped by severity with both sides."""
import re

import pyarrow as pa

from comparator.checks import conflict_report
from comparator.model import Perspective
from comparator import store
from tests.ui.conftest import rerun, run_page
from ui import state
from ui.common import plain


def _engine_says(db_url, **perspective):
    return conflict_report(store.load_corpus_from_db(db_url), Perspective(**perspective))


def test_starts_with_the_united_kingdom(db_url):
    at = run_page("conflicts")
    assert at.radio(key=state.CONFLICTS_KIND).value == "country"
    assert at.selectbox(key=state.CONFLICTS_COUNTRY).value == "GB"
    expected = _engine_says(db_url, kind="country", country="GB")
    metrics = {m.label: int(m.value) for m in at.metric}
    for severity in ("high", "medium", "low"):
        assert metrics[f"{severity.capitalize()} severity"] == sum(c.severity == severity for c in expected.conflicts)
    headings = [h.value for h in at.markdown if h.value.startswith("##### ")]
    assert len(headings) == len(expected.conflicts)
    first = expected.conflicts[0]
    assert headings[0].startswith(f"##### 1. {first.a.provision} vs {first.b.provision}")
    text = "\n".join(m.value for m in at.markdown)
    assert f"**Why they conflict.** {plain(first.explanation)}" in text
    assert f"**Scenario.** {plain(first.scenario)}" in text
    routes = [c.reconcilable_via for c in expected.conflicts if c.reconcilable_via]
    assert routes and all("**Reconcilable via:** " + ", ".join(r) in text for r in routes)


def test_sides_and_overlap_read_by_label(db_url):
    at = run_page("conflicts")
    text = "\n".join(m.value for m in at.markdown)
    assert "A Party must allow a covered person to transfer information and personal information across borders" in text
    assert "bound: **the United Kingdom**" in text and "overlap: personal information" in text
    # Identifiers only in code style (backticks), never in the prose around them.
    prose = re.sub(r"`[^`]*`|\]\([^)]*\)", "", text)
    assert not re.findall(r"\b(?:cross_border_transfer|personal_information|third_country)\b", prose)


def test_china_preset_assumes_cptpp_and_depa_accession(db_url):
    at = run_page("conflicts")
    at.selectbox(key=state.CONFLICTS_PRESET).set_value("China (CN), assuming CPTPP and DEPA accession")
    rerun(at)
    assert at.multiselect(key=state.CONFLICTS_ASSUME).value == ["CPTPP", "DEPA"]
    assert at.subheader[0].value.startswith("Conflicts for country CN")
    expected = _engine_says(db_url, kind="country", country="CN", assume_party=[("CPTPP", "CN"), ("DEPA", "CN")])
    text = "\n".join(m.value for m in at.markdown)
    assert expected.conflicts and all(f"{c.a.provision} vs {c.b.provision}" in text for c in expected.conflicts)
    assert "CN_PIPL" in text


def test_actor_role_without_jurisdictions_is_a_message_not_a_traceback(db_url):
    at = run_page("conflicts")
    at.radio(key=state.CONFLICTS_KIND).set_value("role")
    rerun(at)
    at.multiselect(key=state.CONFLICTS_JURISDICTIONS).set_value([])
    rerun(at)
    assert [e.value for e in at.error] == ["a role perspective needs a role and at least one jurisdiction"]


def test_network_view_and_downloads(db_url):
    at = run_page("conflicts")
    (chart,) = at.get("vega_lite_chart")
    tables = [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets]
    (edges,) = [t for t in tables if "pair" in t.columns]
    expected = _engine_says(db_url, kind="country", country="GB").conflicts
    pairs = {tuple(sorted((c.a.regime, c.b.regime))) for c in expected}
    assert len(edges) == len(pairs)  # one edge per pair of regimes, however many conflicts
    assert edges["count"].sum() == len(expected)
    assert [b.proto.label for b in at.get("download_button")] == ["Markdown", "HTML", "CSV", "Excel", "Word", "JSON"]


def test_a_set_of_regimes_with_no_conflict_says_so(db_url):
    at = run_page("conflicts")
    at.radio(key=state.CONFLICTS_KIND).set_value("regimes")
    rerun(at)
    at.multiselect(key=state.CONFLICTS_REGIMES).set_value(["US_CLOUD_ACT"])
    rerun(at)
    assert [s.value for s in at.success] == ["No conflicts found between the regimes in play."]


def test_china_cards_set_the_chinese_original_beside_its_english(db_url):
    at = run_page("conflicts")
    at.selectbox(key=state.CONFLICTS_PRESET).set_value("China (CN), assuming CPTPP and DEPA accession")
    rerun(at)
    captions = [c.value for c in at.caption]
    assert "Original \\(Chinese\\)" in captions or "Original (Chinese)" in captions
    translated = [c for c in captions if c.startswith("Unofficial translation — ")]
    assert translated, captions
    expected = _engine_says(db_url, kind="country", country="CN", assume_party=[("CPTPP", "CN"), ("DEPA", "CN")])
    sides = [s for c in expected.conflicts for s in (c.a, c.b) if s.translation]
    text = "\n".join(m.value for m in at.markdown)
    assert sides and all(plain(s.translation) in text and plain(s.quote) in text for s in sides)
