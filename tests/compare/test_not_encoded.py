"""'Not encoded' is not 'absent': the three routes to a not_encoded cell, and what stays absent.

A fixture corpus of four small treaties beside the fixture PACT (data flows, localisation,
source code): DECLARED says its source-code article is not encoded, COVERING says the corpus
encodes only its data-flow topics, DRAFT holds an imported skeleton (no norm, unverified) on
localisation, and PLAIN declares nothing.
"""
from __future__ import annotations

import pytest

from comparator.compare import compare
from comparator.fmt import format_text
from comparator.validate import check_sources

from .conftest import FIXTURE

TRANSFER = """
article 1 "Transfer" {
  provision 1.1 {
    topic: data_flows.cross_border_transfer
    party must allow cross_border_transfer of information
    status: unverified
    note: "fixture"
  }
}
"""


def treaty(rid: str, fields: str = "", extra: str = "") -> str:
    return f'regime {rid} "Fixture {rid}" {{\n  kind: trade_agreement\n  parties: GB\n{fields}}}\n' + TRANSFER + extra


SKELETON = """
article 2 "Location of computing facilities" {
  provision 2.1 {
    topic: localisation.computing_facilities
    status: unverified
    note: "imported skeleton: the norm is not written yet"
  }
}
"""


@pytest.fixture
def corpus(corpus_from):
    return corpus_from({
        "pact.dtr": (FIXTURE / "pact.dtr").read_text(encoding="utf-8"),
        "declared.dtr": treaty("DECLARED", "  not_encoded: source_code.*\n"),
        "covering.dtr": treaty("COVERING", "  covers: data_flows.*\n"),
        "draft.dtr": treaty("DRAFT", extra=SKELETON),
        "plain.dtr": treaty("PLAIN"),
    })


def statuses(corpus, topic: str) -> dict[str, str]:
    row = compare(corpus, ["PACT", "DECLARED", "COVERING", "DRAFT", "PLAIN"], as_of="2026-06-01").row(topic)
    return {rid: cell.status for rid, cell in row.cells.items()}


def test_a_declared_not_encoded_topic(corpus):
    s = statuses(corpus, "source_code.disclosure")
    assert s["DECLARED"] == "not_encoded"
    assert s["PLAIN"] == s["DRAFT"] == "absent"


def test_a_topic_outside_covers(corpus):
    s = statuses(corpus, "localisation.computing_facilities")
    assert s["COVERING"] == "not_encoded"
    assert statuses(corpus, "source_code.disclosure")["COVERING"] == "not_encoded"


def test_a_topic_inside_covers_keeps_its_provisions(corpus):
    assert statuses(corpus, "data_flows.cross_border_transfer") == {
        "PACT": "binding", "DECLARED": "binding", "COVERING": "binding", "DRAFT": "binding", "PLAIN": "binding"}


def test_a_topic_held_only_by_an_unverified_skeleton(corpus):
    s = statuses(corpus, "localisation.computing_facilities")
    assert s["DRAFT"] == "not_encoded"
    assert s["PLAIN"] == s["DECLARED"] == "absent"


def test_a_skeleton_beside_a_norm_does_not_hide_the_norm(corpus_from):
    text = treaty("MIXED", extra=SKELETON.replace("topic: localisation.computing_facilities",
                                                  "topic: data_flows.cross_border_transfer"))
    c = corpus_from({"pact.dtr": (FIXTURE / "pact.dtr").read_text(encoding="utf-8"), "mixed.dtr": text})
    row = compare(c, ["PACT", "MIXED"], as_of="2026-06-01").row("data_flows.cross_border_transfer")
    assert row.cells["MIXED"].status == "binding" and row.cells["MIXED"].provisions == ["MIXED 1.1"]


def test_differences_and_verdicts_do_not_call_a_gap_in_the_corpus_a_missing_provision(corpus):
    result = compare(corpus, ["PACT", "DECLARED", "PLAIN"], as_of="2026-06-01")
    row = result.row("source_code.disclosure")
    assert "source code is not encoded for DECLARED" in row.differences
    assert "PLAIN has no provision on source code" in row.differences
    assert not any("DECLARED has no provision" in d for d in row.differences)
    verdicts = {(v.a, v.b): v for v in row.verdicts}
    assert verdicts[("PACT", "DECLARED")].verdict == "incomparable"
    assert verdicts[("PACT", "DECLARED")].reasons == ["the topic is not encoded for DECLARED"]
    assert verdicts[("PACT", "PLAIN")].verdict == "stricter"
    assert row.to_dict()["cells"]["DECLARED"]["status"] == "not_encoded"


def test_a_pattern_that_matches_no_topic_is_an_error_with_a_hint():
    sources = {"x.dtr": treaty("X", "  covers: dataflows.*, localisation\n")}
    context = {str(p): p.read_text(encoding="utf-8") for p in (FIXTURE / "vocabulary").glob("*.dtr")}
    (d,) = check_sources(sources, context).errors
    assert (d.code, d.span.line, d.span.column) == ("E012", 4, 11)
    assert "`dataflows.*` matches no topic" in d.message and "data_flows.*" in d.hint


def test_the_formatter_keeps_the_declaration():
    text = treaty("X", "  covers: data_flows.*, localisation\n  not_encoded: source_code.disclosure\n")
    out = format_text(text)
    assert "  covers: data_flows.*, localisation\n  not_encoded: source_code.disclosure\n" in out
    assert format_text(out) == out
