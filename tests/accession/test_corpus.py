"""Accession on the bundled rules: the articles a negotiator would look for, by name."""
from __future__ import annotations

import datetime as dt

import pytest

from comparator.accession import accession
from comparator.binding import binds, is_treaty
from comparator.checks import conflict_report
from comparator.model import Perspective
from comparator.perspective import prepare


@pytest.fixture(scope="module")
def cn_cptpp(bundled):
    return accession(bundled, "CN", ["CPTPP"], as_of="2026-06-01")


def _measures(row):
    return {c.measure for c in row.conflicts}


def test_cn_cptpp_transfer_rules_meet_14_11_2_with_14_11_3(cn_cptpp):
    row = cn_cptpp.row("CPTPP 14.11.2")
    assert "CN_PIPL 38.1" in _measures(row)
    assert (row.verdict, row.exception, row.exception_strength) == ("compatible_via_exception", "CPTPP 14.11.3", "reviewable")
    [pipl] = [c for c in row.conflicts if c.measure == "CN_PIPL 38.1"]
    assert pipl.room[0].provision == "CPTPP 14.11.3"
    # China already lives with the same conflict under RCEP: not new.
    assert pipl.new is False and pipl.already_bound_by == ["RCEP 12.15.2"]
    assert pipl.conflict.a.quote and pipl.conflict.b.quote and pipl.conflict.b.citation.line


def test_cn_cptpp_localisation_meets_14_13_2_with_14_13_3(cn_cptpp):
    row = cn_cptpp.row("CPTPP 14.13.2")
    assert {"CN_PIPL 40", "CN_CSL 39"} <= _measures(row)
    assert row.exception == "CPTPP 14.13.3"
    assert all(c.new for c in row.conflicts if c.measure in ("CN_PIPL 40", "CN_CSL 39"))
    # PIPL 36 (state organs) is about government information, which 14.13.2 does not reach.
    assert "CN_PIPL 36" in {o.measure for o in row.out_of_scope}


def test_cn_cptpp_precedents_are_the_14_18_deferrals(cn_cptpp):
    assert [p.parties for p in cn_cptpp.row("CPTPP 14.11.2").precedents] == [["MY"], ["VN"]]
    assert [p.parties for p in cn_cptpp.row("CPTPP 14.13.2").precedents] == [["VN"]]
    assert cn_cptpp.row("CPTPP 14.11.2").dispute_settlement is True


def test_cn_csl_37_before_2026(bundled):
    row = accession(bundled, "CN", ["CPTPP"], as_of="2025-06-01").row("CPTPP 14.13.2")
    assert "CN_CSL 37" in _measures(row) and "CN_CSL 39" not in _measures(row)


def test_cn_depa_transfer_rules_meet_4_3_2_with_4_3_3(bundled):
    r = accession(bundled, "CN", ["DEPA"], as_of="2026-06-01")
    row = r.row("DEPA 4.3.2")
    assert "CN_PIPL 38.1" in _measures(row)
    assert row.exception == "DEPA 4.3.3"
    # DEPA's rule file has no dispute_settlement block: unknown, and said so.
    assert row.dispute_settlement is None and "unknown" in row.dispute_settlement_words


def _without_gb_in_cptpp(corpus):
    copy = corpus.model_copy(deep=True)
    cptpp = next(f for f in copy.files if f.regime and f.regime.id == "CPTPP")
    cptpp.regime.parties = [p for p in cptpp.regime.parties if p.country != "GB"]
    return copy


def test_gb_cptpp_on_its_accession_date_uk_gdpr_transfer_rules_and_14_11_3(bundled):
    r = accession(bundled, "GB", ["CPTPP"], as_of="2024-12-15")
    assert r.already_party == []
    row = r.row("CPTPP 14.11.2")
    [c] = [c for c in row.conflicts if c.measure == "UK_GDPR 44"]
    assert "CPTPP 14.11.3" in [x.provision for x in c.room]
    assert c.verdict == "cannot_tell"  # UK GDPR 44 is encoded from a paraphrase


def test_gb_cptpp_after_the_repeal_of_uk_gdpr_44(bundled):
    # GB has been a party since 2024-12-15; ask the question as if it were joining in 2026.
    r = accession(_without_gb_in_cptpp(bundled), "GB", ["CPTPP"], as_of="2026-06-01")
    row = r.row("CPTPP 14.11.2")
    assert "UK_GDPR 44A" in _measures(row)
    assert "UK_GDPR 44" not in {c.measure for row in r.rows for c in row.conflicts}
    assert (row.verdict, row.exception) == ("compatible_via_exception", "CPTPP 14.11.3")


def _memberships(corpus, as_of):
    prep = prepare(corpus)
    return [(country, rid) for rid, rf in sorted(prep.files.items()) if is_treaty(rf.regime)
            for country in sorted({p.country for p in rf.regime.parties})
            if binds(rf.regime, country, as_of - dt.timedelta(days=1), prep.vocab)]


AS_OF = dt.date(2026, 6, 1)


def test_joining_an_agreement_one_is_already_party_to_adds_nothing(bundled):
    memberships = _memberships(bundled, AS_OF)
    assert len(memberships) > 20  # the property is checked over every membership of the corpus
    for country, agreement in memberships:
        r = accession(bundled, country, [agreement], as_of=AS_OF)
        assert r.already_party == [agreement] and r.rows == [], (country, agreement)
        assert r.summary.new_conflicts == 0
        # And the engine agrees: assuming the membership changes no conflict.
        plain = conflict_report(bundled, Perspective(kind="country", country=country, as_of=AS_OF))
        assumed = conflict_report(bundled, Perspective(kind="country", country=country, as_of=AS_OF,
                                                       assume_party=[(agreement, country)]))
        assert [c.key for c in assumed.conflicts] == [c.key for c in plain.conflicts], (country, agreement)
