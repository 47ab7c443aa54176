"""Alignment and diff: cells, named differences, verdicts, and the JSON contract."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from comparator.compare import compare
from comparator.perspective import InputError


def test_json_contract_keys(bundled):
    d = compare(bundled, ["CPTPP", "GDPR"], as_of="2026-06-01").to_dict()
    json.dumps(d)  # serialisable as is
    assert set(d) >= {"regimes", "rows"}
    assert set(d["regimes"][0]) >= {"id", "title", "kind", "parties"}
    assert d["regimes"][0]["id"] == "CPTPP" and "GB" in d["regimes"][0]["parties"]
    row = next(r for r in d["rows"] if r["topic"] == "data_flows.cross_border_transfer")
    assert set(row) >= {"topic", "cells", "differences"}
    cell = row["cells"]["CPTPP"]
    assert set(cell) >= {"status", "provisions", "modality", "objects", "exceptions", "excludes", "dispute_settlement", "quote"}
    assert cell["status"] == "binding" and cell["provisions"][0] == "CPTPP 14.11.2" and cell["modality"] == "must"
    assert cell["objects"] == ["information", "personal_information"]
    assert "financial_services" in cell["excludes"] and cell["dispute_settlement"] is True
    exc = cell["exceptions"][0]
    assert exc == {"kind": "legitimate_public_policy", "provision": "CPTPP 14.11.3",
                   "tests": ["non_discrimination", "no_disguised_restriction", "proportionality"],
                   "applies_to_all": False, "self_judging": False}
    assert row["cells"]["GDPR"]["modality"] == "must not"


def test_cptpp_and_gdpr_conflict_on_transfers(bundled):
    row = compare(bundled, ["CPTPP", "GDPR"]).row("data_flows.cross_border_transfer")
    (v,) = row.verdicts
    assert (v.a, v.b, v.verdict) == ("CPTPP", "GDPR", "conflicting")
    assert "CPTPP 14.11.2 and GDPR 44" in v.reasons[0]
    assert any(d.startswith("Under CPTPP, a Party must allow a covered person to transfer information and personal information across borders")
               and "unless GDPR 45, 46, 47 or 49 apply" in d
               for d in row.differences)


def test_missing_provision_is_named(bundled):
    row = compare(bundled, ["CPTPP", "DEPA"], topics="source_code").row("source_code.disclosure")
    assert row.cells["DEPA"].status == "absent"
    assert "DEPA has no provision on source code" in row.differences
    assert row.verdicts[0].verdict == "stricter"


def test_self_judging_exception_is_named(bundled):
    row = compare(bundled, ["CPTPP", "RCEP"], topics=["data_flows.cross_border_transfer"]).row("data_flows.cross_border_transfer")
    assert "RCEP's legitimate public policy exception is self-judging; CPTPP's is not" in row.differences
    assert "CPTPP's provisions are subject to dispute settlement; RCEP's are not" in row.differences


def test_best_endeavour_vs_binding(fixture_corpus):
    row = compare(fixture_corpus, ["PACT", "PACT_TWO"], topics="source_code.*").row("source_code.disclosure")
    assert (row.cells["PACT"].status, row.cells["PACT_TWO"].status) == ("best_endeavour", "binding")
    assert "PACT is best endeavour only (should not); PACT_TWO is binding (must not)" in row.differences
    assert (row.verdicts[0].verdict, row.verdicts[0].a) == ("looser", "PACT")


def test_missing_public_policy_exception_and_security_difference(fixture_corpus):
    row = compare(fixture_corpus, ["PACT", "PACT_TWO"], topics="localisation").row("localisation.computing_facilities")
    assert "PACT_TWO has no legitimate public policy exception for location of computing facilities (PACT has PACT 13.3)" in row.differences
    assert "PACT's essential security exception is self-judging; PACT_TWO's is not" in row.differences
    assert "PACT's provisions are subject to dispute settlement; PACT_TWO's are not" in row.differences
    # Same duty, but PACT_TWO offers fewer ways out: stricter.
    assert (row.verdicts[0].a, row.verdicts[0].verdict) == ("PACT", "looser")


def test_identical_positions_are_equivalent(corpus_from):
    text = """regime {id} "x" {{ kind: trade_agreement  parties: GB }}
article 1 "a" {{ provision 1 {{ topic: customs_duties.electronic_transmissions
  party must not impose_customs_duties on electronic_transmission
  quote: "No Party shall impose customs duties on electronic transmissions." }} }}
"""
    corpus = corpus_from({"a.dtr": text.format(id="AA"), "b.dtr": text.format(id="BB")})
    row = compare(corpus, ["AA", "BB"]).rows[0]
    assert row.verdicts[0].verdict == "equivalent" and row.differences == []


def test_as_of_leaves_out_provisions_not_in_force(bundled):
    before = compare(bundled, ["UK_GDPR"], topics="data_flows", as_of=dt.date(2025, 6, 1)).rows[0].cells["UK_GDPR"]
    after = compare(bundled, ["UK_GDPR"], topics="data_flows", as_of="2026-06-01").rows[0].cells["UK_GDPR"]
    assert before.provisions == ["UK_GDPR 44"]
    assert "UK_GDPR 44A" in after.provisions and "UK_GDPR 44" not in after.provisions


def test_regime_not_yet_in_force_is_flagged(fixture_corpus):
    result = compare(fixture_corpus, ["LATE", "PACT"], as_of="2026-01-01")
    assert {r.id: r.in_force_on_as_of for r in result.regimes} == {"LATE": False, "PACT": True}


@pytest.mark.parametrize("args, hint", [
    ((["CPTPP", "GDRP"],), "did you mean GDPR"),
    ((["CPTPP"], "data_flow"), "did you mean data_flows"),
])
def test_bad_input_has_a_hint(bundled, args, hint):
    with pytest.raises(InputError) as e:
        compare(bundled, *args)
    assert hint in (e.value.hint or "")


def test_bad_date(bundled):
    with pytest.raises(InputError, match="not a date"):
        compare(bundled, ["CPTPP"], as_of="2025-02-30")


def test_coverage_without_pairs_has_the_same_cells_and_no_pairwise_findings(bundled):
    everyone = sorted(bundled.regimes)
    full = compare(bundled, everyone, as_of="2026-06-01")
    cells_only = compare(bundled, everyone, as_of="2026-06-01", pairwise=False)
    assert [r.topic for r in cells_only.rows] == [r.topic for r in full.rows]
    assert [r.cells for r in cells_only.rows] == [r.cells for r in full.rows]
    assert all(not r.verdicts and not r.differences for r in cells_only.rows)
    assert any(r.verdicts for r in full.rows) and any(r.differences for r in full.rows)
