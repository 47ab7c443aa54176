"""The accession engine on the fixture corpus: one behaviour per test (docs/accession.md)."""
from __future__ import annotations

import pytest

from comparator.accession import accession
from comparator.perspective import InputError

AS_OF = "2024-06-01"


@pytest.fixture(scope="module")
def report(fixture_corpus):
    return accession(fixture_corpus, "KR", ["JOIN"], as_of=AS_OF)


def test_a_conflict_already_present_through_another_agreement_is_not_new(report):
    row = report.row("JOIN 4.2")
    [c] = row.conflicts
    assert c.measure == "KR_LAW 10"
    assert c.new is False and c.already_bound_by == ["ALREADY 12.15"]
    assert row.new_conflicts == 0
    assert report.summary.already_bound == 1


def test_a_new_conflict_is_new(report):
    [c] = report.row("JOIN 4.4").conflicts
    assert c.measure == "KR_LAW 20" and c.new and c.already_bound_by == []


def test_a_self_judging_exception_gives_compatible_via_exception_self_judging(report):
    row = report.row("JOIN 4.4")
    assert row.verdict == "compatible_via_exception"
    assert (row.exception, row.exception_strength) == ("JOIN 4.5", "self_judging")
    assert "self-judging" in row.reason


def test_a_reviewable_exception_lists_its_tests_in_words(report):
    row = report.row("JOIN 4.2")
    assert (row.verdict, row.exception, row.exception_strength) == ("compatible_via_exception", "JOIN 4.3", "reviewable")
    [room] = [r for r in row.conflicts[0].room if r.provision == "JOIN 4.3"]
    assert room.tests == ["non_discrimination", "no_disguised_restriction", "proportionality"]
    assert "no disguised restriction on trade" in room.test_labels
    # Citations keep their regime ids (KR_LAW 10); vocabulary terms read as their labels.
    assert not any(t in row.reason for t in ("non_discrimination", "legitimate_public_policy", "proportionality"))


def test_a_carve_out_takes_the_measure_out_of_the_row(report):
    row = report.row("JOIN 4.4")
    assert "KR_LAW 21" not in [c.measure for c in row.conflicts]
    [oos] = row.out_of_scope
    assert oos.measure == "KR_LAW 21" and oos.carve_outs == ["government_information"]
    assert "held or processed by or on behalf of a Party" in oos.words


def test_a_deferral_for_an_existing_member_is_a_precedent(report):
    [p] = report.row("JOIN 4.2").precedents
    assert p.parties == ["SG"] and p.until_date.isoformat() == "2023-01-01"
    assert report.row("JOIN 4.4").precedents == []


def test_an_unverified_side_gives_cannot_tell(report):
    row = report.row("JOIN 6.1")
    assert row.verdict == "cannot_tell"
    assert row.conflicts[0].conflict.b.status == "unverified"
    assert "paraphrase" in row.reason


def test_no_exception_for_the_provision_requires_change(report):
    row = report.row("JOIN 7.1")
    assert row.verdict == "requires_change" and row.exception is None
    assert [c.measure for c in row.conflicts] == ["KR_LAW 40"]


def test_dispute_settlement_applies_to_the_acceding_country(report):
    assert report.row("JOIN 4.2").dispute_settlement is True


def test_summary_counts_agree_with_the_rows(report):
    s = report.summary
    assert s.provisions == len(report.rows) == 4
    assert s.verdicts == {"compatible": 0, "compatible_via_exception": 2, "requires_change": 1, "cannot_tell": 1}
    assert sum(sum(v.values()) for v in s.topics.values()) == len(report.rows)
    assert s.new_conflicts + s.already_bound == s.conflicts == 4
    assert s.regimes_today == ["ALREADY", "KR_LAW"] and s.regimes_after == ["ALREADY", "JOIN", "KR_LAW"]
    assert any("KR is assumed to be a party to JOIN from 2024-06-01" == a for a in s.assumptions)


def test_rows_are_grouped_by_topic(report):
    topics = [r.topic for r in report.rows]
    assert topics == sorted(topics)


def test_a_country_already_party_gains_nothing(fixture_corpus):
    r = accession(fixture_corpus, "GB", ["JOIN"], as_of=AS_OF)
    assert r.already_party == ["JOIN"] and r.rows == []


def test_a_country_joining_on_the_as_of_date_is_acceding(fixture_corpus):
    # GB is a party from 2023-01-01: on that day the question is what joining brought.
    r = accession(fixture_corpus, "GB", ["JOIN"], as_of="2023-01-01")
    assert r.already_party == [] and len(r.rows) == 4


def test_json_round_trips(report):
    d = report.to_dict()
    first = d["rows"][0]["conflicts"][0]
    assert {first["conflict"]["a"]["provision"], first["conflict"]["b"]["provision"]} == {d["rows"][0]["provision"], first["measure"]}
    assert set(d["summary"]["verdicts"]) == {"compatible", "compatible_via_exception", "requires_change", "cannot_tell"}


@pytest.mark.parametrize("country, agreements, message", [
    ("KR", ["KR_LAW"], "not an agreement"),
    ("KR", ["NOPE"], "no regime"),
    ("kr", ["JOIN"], "not a country code"),
    ("KR", [], "at least one agreement"),
])
def test_bad_input_is_an_input_error_with_a_hint(fixture_corpus, country, agreements, message):
    with pytest.raises(InputError) as err:
        accession(fixture_corpus, country, agreements, as_of=AS_OF)
    assert message in err.value.message and err.value.hint
