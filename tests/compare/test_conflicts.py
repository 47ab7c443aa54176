"""Conflicts from the legal texts: the bundled rules where they exist, fixtures otherwise."""
from __future__ import annotations

import datetime as dt

import pytest

from comparator.checks import conflict_report, find_conflicts
from comparator.expectations import run_expectations
from comparator.model import Perspective
from comparator.perspective import InputError


def between(conflicts, a, b):
    return [c for c in conflicts if {c.a.provision, c.b.provision} == {a, b}]


# ---------------------------------------------------------------- restriction: CPTPP 14.11.2 vs UK GDPR (GB)

def test_cptpp_free_flow_vs_uk_gdpr_is_a_restriction_reconcilable_via_14_11_3(bundled):
    conflicts = find_conflicts(bundled, Perspective(kind="country", country="GB", as_of=dt.date(2026, 6, 1)))
    (c,) = between(conflicts, "CPTPP 14.11.2", "UK_GDPR 44A")
    assert (c.kind, c.bound, c.a.regime, c.b.regime) == ("restriction", "GB", "CPTPP", "UK_GDPR")
    assert c.overlap == ["personal_information"]
    assert any("“personal data” (the same as “personal information”)" in why for why in c.overlap_via)
    # The exception written for 14.11.2 comes first; instrument-wide ones follow.
    assert c.reconcilable_via[0] == "CPTPP 14.11.3"
    assert c.reconcile[0].tests == ["non_discrimination", "no_disguised_restriction", "proportionality"]
    assert c.reconcilable_if.startswith("reconcilable only if the measure falls within CPTPP 14.11.3")
    assert "UK_GDPR 45A, UK_GDPR 46 or UK_GDPR 49" in c.reconcilable_if
    assert "compliant" not in (c.explanation + c.scenario + c.reconcilable_if)
    assert c.severity == "medium"  # escape routes and a specific exception exist
    assert c.a.citation.path.endswith("cptpp.dtr") and c.a.citation.line > 0
    assert c.a.quote.startswith("Each Party shall allow the cross-border transfer")


def test_cptpp_vs_eu_law_for_a_member_state_through_the_group(fixture_corpus):
    # FR is bound by EU_LAW only because the vocabulary group EU lists it.
    (c,) = between(find_conflicts(fixture_corpus, Perspective(kind="country", country="FR", as_of=dt.date(2024, 1, 1))),
                   "PACT 11.2", "EU_LAW 44")
    assert c.kind == "restriction" and c.bound == "FR"
    assert c.reconcilable_via == ["PACT 11.3", "PACT 29.2"]


def test_party_joined_later_is_not_bound_before(fixture_corpus):
    conflicts = find_conflicts(fixture_corpus, Perspective(kind="country", country="FR", as_of=dt.date(2021, 6, 1)))
    assert between(conflicts, "PACT 11.2", "EU_LAW 44") == []


def test_gdpr_binds_the_eu_not_gb(bundled):
    conflicts = find_conflicts(bundled, Perspective(kind="country", country="GB"))
    assert not [c for c in conflicts if "GDPR" in (c.a.regime, c.b.regime)]


# ---------------------------------------------------------------- as-of dates

def test_before_gb_joined_cptpp_there_is_no_conflict(bundled):
    report = conflict_report(bundled, Perspective(kind="country", country="GB", as_of=dt.date(2024, 6, 1)))
    assert "CPTPP" not in report.regimes
    assert not [c for c in report.conflicts if c.a.regime == "CPTPP"]


def test_as_of_before_a_treaty_enters_into_force(fixture_corpus):
    before = find_conflicts(fixture_corpus, Perspective(kind="country", country="GB", as_of=dt.date(2026, 1, 1)))
    after = find_conflicts(fixture_corpus, Perspective(kind="country", country="GB", as_of=dt.date(2030, 6, 1)))
    assert between(before, "LATE 1.1", "GB_LAW 44") == []
    assert [c.kind for c in between(after, "LATE 1.1", "GB_LAW 44")] == ["restriction"]


def test_replaced_provision_is_cited_only_while_in_force(bundled):
    old = find_conflicts(bundled, Perspective(kind="country", country="GB", as_of=dt.date(2025, 6, 1)))
    new = find_conflicts(bundled, Perspective(kind="country", country="GB", as_of=dt.date(2026, 6, 1)))
    assert between(old, "CPTPP 14.11.2", "UK_GDPR 44") and not between(old, "CPTPP 14.11.2", "UK_GDPR 44A")
    assert between(new, "CPTPP 14.11.2", "UK_GDPR 44A") and not between(new, "CPTPP 14.11.2", "UK_GDPR 44")


# ---------------------------------------------------------------- commitment_vs_measure (assumed accession)

def test_localisation_requirement_vs_localisation_ban_only_if_cn_accedes(fixture_corpus):
    as_of = dt.date(2024, 1, 1)
    assert between(find_conflicts(fixture_corpus, Perspective(kind="country", country="CN", as_of=as_of)),
                   "PACT 13.2", "CN_LAW 40") == []
    assumed = Perspective(kind="country", country="CN", as_of=as_of, assume_party=[("PACT", "CN")])
    (c,) = between(find_conflicts(fixture_corpus, assumed), "PACT 13.2", "CN_LAW 40")
    assert (c.kind, c.bound, c.overlap) == ("commitment_vs_measure", "CN", ["computing_facilities"])
    assert c.reconcilable_via[0] == "PACT 13.3"


def test_cptpp_14_13_vs_pipl_40_if_cn_accedes(bundled):
    """CPTPP 14.13.2 ("No Party shall require a covered person to use or locate computing
    facilities in that Party's territory") against PIPL 40 (CIIOs and threshold handlers must
    store personal information in China): storing in a territory is using storage devices
    there, which CPTPP 14.1 counts as computing facilities (rules/vocabulary/core.dtr)."""
    as_of = dt.date(2026, 6, 1)
    assert between(find_conflicts(bundled, Perspective(kind="country", country="CN", as_of=as_of)),
                   "CPTPP 14.13.2", "CN_PIPL 40") == []
    assumed = Perspective(kind="country", country="CN", as_of=as_of, assume_party=[("CPTPP", "CN")])
    (c,) = between(find_conflicts(bundled, assumed), "CPTPP 14.13.2", "CN_PIPL 40")
    assert c.kind == "commitment_vs_measure" and c.bound == "CN"
    assert "CPTPP 14.13.3" in c.reconcilable_via


def test_pipl_36_state_organs_fall_under_the_government_information_carve_out(bundled):
    """PIPL 36 binds state organs: their data is "information held or processed by or on behalf
    of a Party", which CPTPP 14.2.3 takes out of Chapter 14, so no localisation conflict."""
    assumed = Perspective(kind="country", country="CN", as_of=dt.date(2026, 6, 1), assume_party=[("CPTPP", "CN")])
    assert between(find_conflicts(bundled, assumed), "CPTPP 14.13.2", "CN_PIPL 36") == []


def test_cptpp_free_flow_vs_pipl_38_if_cn_accedes(bundled):
    assumed = Perspective(kind="country", country="CN", assume_party=[("CPTPP", "CN")])
    (c,) = between(find_conflicts(bundled, assumed), "CPTPP 14.11.2", "CN_PIPL 38.1")
    assert c.kind == "restriction" and c.bound == "CN"


# ---------------------------------------------------------------- direct: foreign disclosure order vs blocking statute

@pytest.mark.parametrize("blocking, overlap", [
    ("GDPR 48", ["subscriber_records"]),
    ("CN_DSL 36", ["communications_content", "subscriber_records"]),
    ("CN_PIPL 41", ["subscriber_records"]),
])
def test_cloud_act_vs_blocking_statutes_is_direct(bundled, blocking, overlap):
    regimes = ["US_CLOUD_ACT", blocking.split()[0]]
    (c,) = between(find_conflicts(bundled, Perspective(kind="regimes", regimes=regimes)), "US_CLOUD_ACT 2713", blocking)
    assert c.kind == "direct"
    assert c.a.provision == "US_CLOUD_ACT 2713"  # the duty is side a, the prohibition side b
    assert c.overlap == overlap
    assert c.bound.startswith("an actor subject to both US_CLOUD_ACT (US)")
    assert "US_CLOUD_ACT 2703.h" in c.reconcilable_via


def test_role_perspective_finds_the_provider_caught_between_us_and_eu(fixture_corpus):
    p = Perspective(kind="role", role="provider", jurisdictions=["US", "FR"])
    (c,) = between(find_conflicts(fixture_corpus, p), "US_LAW 2713", "EU_LAW 48")
    assert c.kind == "direct" and c.bound == "provider operating in US, FR"


# ---------------------------------------------------------------- no false positives

@pytest.mark.parametrize("regimes", [["CPTPP", "DEPA"], ["GDPR", "EU_SCC_2021"], ["CPTPP", "USMCA"]])
def test_regimes_that_do_not_conflict(bundled, regimes):
    assert find_conflicts(bundled, Perspective(kind="regimes", regimes=regimes)) == []


def test_permission_that_is_its_own_regimes_escape_route_is_not_a_conflict(bundled):
    conflicts = find_conflicts(bundled, Perspective(kind="regimes", regimes=["GDPR", "CN_PIPL"]))
    assert not [c for c in conflicts if c.kind == "permission_denied"]


def test_a_localisation_ban_does_not_meet_a_transfer_restriction(bundled):
    conflicts = find_conflicts(bundled, Perspective(kind="country", country="GB"))
    assert not [c for c in conflicts if c.a.provision == "CPTPP 14.13.2"]


# ---------------------------------------------------------------- inputs and expectations

def test_unknown_names_raise_with_a_hint(bundled):
    with pytest.raises(InputError) as e:
        find_conflicts(bundled, Perspective(kind="regimes", regimes=["CPTTP"]))
    assert "did you mean CPTPP" in e.value.hint
    with pytest.raises(InputError) as e:
        find_conflicts(bundled, Perspective(kind="country", country="gb"))
    assert "GB" in e.value.hint
    with pytest.raises(InputError):
        find_conflicts(bundled, Perspective(kind="country", country="CN", assume_party=[("GDPR", "CN")]))


def test_fixture_expectations_all_pass(fixture_corpus):
    results = run_expectations(fixture_corpus)
    assert len(results) == 9
    assert [r.text for r in results if not r.passed] == []


# Expectations the bundled corpus cannot meet until its encoding changes (see docs/comparison.md,
# "What the engine needs from the corpus"). Any other failure is a regression.
KNOWN_ENCODING_GAPS = {
    "expect conflict commitment_vs_measure between CPTPP 14.13.2 and CN_PIPL 40 for CN assume CPTPP = CN",
    "expect conflict commitment_vs_measure between CPTPP 14.13.2 and CN_CSL 37 for CN as_of 2025-06-01 assume CPTPP = CN",
    "expect conflict commitment_vs_measure between CPTPP 14.13.2 and CN_CSL 39 for CN as_of 2026-06-01 assume CPTPP = CN",
}


def test_bundled_expectations_pass(bundled):
    results = run_expectations(bundled)
    assert results
    failed = {r.text for r in results if not r.passed}
    assert failed <= KNOWN_ENCODING_GAPS, sorted(failed - KNOWN_ENCODING_GAPS)


def test_a_conflict_resting_on_an_unverified_provision_says_so(bundled):
    """UK-SG DEA Annex A is encoded from the GOV.UK explainer (unverified): a negotiator must be told."""
    found = [c for c in find_conflicts(bundled, Perspective(kind="country", country="GB", as_of=dt.date(2026, 6, 1)))
             if c.a.regime == "UK_SG_DEA"]
    assert found
    for c in found:
        assert c.a.status == "unverified" and c.to_dict()["a"]["status"] == "unverified"
        assert "paraphrase (unverified)" in c.explanation
    cptpp = [c for c in find_conflicts(bundled, Perspective(kind="country", country="GB", as_of=dt.date(2026, 6, 1)))
             if c.a.provision == "CPTPP 14.11.2"]
    assert cptpp and all(c.a.status == "verified" and "unverified" not in c.explanation for c in cptpp)
