"""The trade and digital-economy rule files say what the sources say.

Each test names the article it checks. Expected values come from the texts in
/work/shared/sources (cptpp-ch14.md, rcep-ch12.md, usmca-ch19.md, depa.md,
uk-singapore-dea.md, wto-jsi-ecommerce-2024.md), not from the rule files.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from comparator.parse import parse_file
from comparator.validate import check_paths
from tests.corpus.lookup import exc, prov

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"
MY_FILES = ["cptpp.dtr", "depa.dtr", "usmca.dtr", "rcep.dtr", "uk_sg_dea.dtr", "wto_jsi_ecom.dtr"]


@pytest.fixture(scope="module")
def r():
    return {name.removesuffix(".dtr"): parse_file(RULES / name) for name in MY_FILES}


def on_topic(rf, topic):
    return [p for p in rf.provisions() if topic in p.topics]


def exceptions_for(rf, ref):
    return [e for e in rf.exceptions() if ref in e.applies_to or e.applies_to == ["all"]]


def party(rf, country):
    found = [p for p in rf.regime.parties if p.country == country]
    assert found, f"{rf.regime.id} has no party {country}"
    return found[0]


# ---------------------------------------------------------------- the files check cleanly

def test_trade_files_check_without_errors():
    """All six trade rule files and the trade vocabulary pass `dtrc check`."""
    result = check_paths([RULES / f for f in MY_FILES] + [RULES / "vocabulary" / "trade.dtr"])
    assert result.errors == [], [e.message for e in result.errors]


def test_regime_ids(r):
    assert {k: v.regime.id for k, v in r.items()} == {
        "cptpp": "CPTPP", "depa": "DEPA", "usmca": "USMCA", "rcep": "RCEP",
        "uk_sg_dea": "UK_SG_DEA", "wto_jsi_ecom": "WTO_JSI_ECOM"}


# ---------------------------------------------------------------- CPTPP

def test_cptpp_14_11_2_must_allow_transfer_including_personal_information(r):
    """CPTPP 14.11.2: 'Each Party shall allow the cross-border transfer ... including personal information'."""
    p = prov(r["cptpp"], "14.11.2")
    assert p.norm.modality == "must" and p.norm.stance == "allow"
    assert p.norm.action == "cross_border_transfer"
    assert {"information", "personal_information"} <= set(p.norm.objects)
    assert "for the conduct of the business of a covered person" in p.norm.conditions[0]


def test_cptpp_14_11_2_scope_carve_outs_14_2_and_14_1(r):
    """CPTPP 14.2.3 (procurement, government information), 14.1 covered person (financial), 14.2.6 NCMs."""
    p = prov(r["cptpp"], "14.11.2")
    assert {"government_procurement", "government_information", "financial_services",
            "non_conforming_measures"} <= set(p.excludes)


def test_cptpp_14_11_3_legitimate_public_policy_not_self_judging(r):
    """CPTPP 14.11.3 qualifies 14.11.2 only; no 'it considers necessary', so not self-judging."""
    e = exc(r["cptpp"], "14.11.3")
    assert e.kind == "legitimate_public_policy" and e.applies_to == ["14.11.2"]
    assert {"non_discrimination", "no_disguised_restriction", "proportionality"} <= set(e.tests)
    assert "self_judging" not in e.tests


def test_cptpp_14_13_2_localisation_ban_with_14_13_3_exception(r):
    """CPTPP 14.13.2: 'No Party shall require a covered person to use or locate computing facilities'."""
    p = prov(r["cptpp"], "14.13.2")
    assert (p.norm.modality, p.norm.stance, p.norm.action) == ("must not", "require", "locate_computing_facilities")
    assert exc(r["cptpp"], "14.13.3").applies_to == ["14.13.2"]


def test_cptpp_14_3_1_permanent_customs_duty_ban(r):
    """CPTPP 14.3.1: 'No Party shall impose customs duties on electronic transmissions'."""
    p = prov(r["cptpp"], "14.3.1")
    assert (p.norm.modality, p.norm.action, p.norm.objects) == ("must not", "impose_customs_duties", ["electronic_transmission"])


def test_cptpp_14_5_2_and_14_9_are_best_endeavour(r):
    """CPTPP 14.5.2 and 14.9 say 'shall endeavour to': should, not must."""
    for ref in ("14.5.2.a", "14.5.2.b", "14.9.a", "14.9.b"):
        assert prov(r["cptpp"], ref).norm.modality == "should", ref


def test_cptpp_14_8_2_framework_binding_but_international_principles_soft(r):
    """CPTPP 14.8.2: 'shall adopt or maintain a legal framework' (must); 'should take into account' (should)."""
    assert prov(r["cptpp"], "14.8.2.a").norm.modality == "must"
    assert prov(r["cptpp"], "14.8.2.b").norm.modality == "should"


def test_cptpp_14_10_14_12_14_16_are_recognitions(r):
    """CPTPP 14.10, 14.12 and 14.16 only 'recognise': no obligation."""
    for ref in ("14.10", "14.12", "14.16"):
        assert prov(r["cptpp"], ref).norm.modality == "recognises", ref


def test_cptpp_14_17_source_code_mass_market_no_algorithms(r):
    """CPTPP 14.17.1-2: source code of mass-market software; critical infrastructure excluded; no algorithms."""
    p = prov(r["cptpp"], "14.17.1")
    assert (p.norm.modality, p.norm.stance, p.norm.action) == ("must not", "require", "disclose_source_code")
    assert p.norm.objects == ["source_code"]
    assert "critical_infrastructure_software" in p.excludes
    assert any("mass-market" in c for c in p.norm.conditions)


def test_cptpp_14_18_defers_dispute_settlement_for_my_and_vn(r):
    """CPTPP 14.18: MY (14.4, 14.11) and VN (14.4, 14.11, 14.13) for two years after entry into force."""
    ds = r["cptpp"].dispute_settlement
    assert ds.applies is True
    by_party = {tuple(d.parties): d for d in ds.deferrals}
    assert set(by_party[("MY",)].provisions) == {"14.4.1", "14.11.2"}
    assert set(by_party[("VN",)].provisions) == {"14.4.1", "14.11.2", "14.13.2"}
    for d in ds.deferrals:
        assert d.until_text.startswith("two years after the date of entry into force")


def test_cptpp_29_2_security_exception_self_judging_applies_to_all(r):
    """TPP 29.2(b): measures 'that it considers necessary' - self-judging, whole Agreement."""
    e = exc(r["cptpp"], "29.2")
    assert e.kind == "essential_security" and e.applies_to == ["all"] and "self_judging" in e.tests


def test_cptpp_29_1_3_general_exceptions_reach_chapter_14(r):
    """TPP 29.1.3 incorporates GATS XIV (a)-(c) for Chapter 14 (29.1.1 GATT XX does not reach it)."""
    e = exc(r["cptpp"], "29.1.3")
    assert e.kind == "general_exceptions" and e.applies_to == ["all"]
    assert "29.1.1" not in {x.ref for x in r["cptpp"].exceptions()}


def test_cptpp_parties_and_accession_dates(r):
    """CPTPP parties: original six from 2018-12-30; VN 2019-01-14; PE 2021-09-19; MY 2022-11-29; GB 2024-12-15."""
    rg = r["cptpp"].regime
    assert rg.in_force == dt.date(2018, 12, 30) and rg.signed == dt.date(2018, 3, 8)
    assert {p.country for p in rg.parties} == {"AU", "BN", "CA", "CL", "JP", "MX", "MY", "NZ", "PE", "SG", "VN", "GB"}
    assert party(r["cptpp"], "AU").joined is None
    assert party(r["cptpp"], "VN").joined == dt.date(2019, 1, 14)
    assert party(r["cptpp"], "PE").joined == dt.date(2021, 9, 19)
    assert party(r["cptpp"], "MY").joined == dt.date(2022, 11, 29)
    assert party(r["cptpp"], "BN").joined == dt.date(2023, 7, 12)
    assert party(r["cptpp"], "GB").joined == dt.date(2024, 12, 15)
    assert "2024-12-24" in rg.note and "not yet in force" in rg.note


# ---------------------------------------------------------------- RCEP

def test_rcep_12_15_2_transfer_without_personal_information_wording(r):
    """RCEP 12.15.2: 'A Party shall not prevent cross-border transfer of information' - binding, no 'including personal information'."""
    p = prov(r["rcep"], "12.15.2")
    assert p.norm.strength == "binding" and p.norm.action == "cross_border_transfer"
    assert p.norm.objects == ["information"]


def test_rcep_12_15_3_exceptions_self_judging_and_not_disputable(r):
    """RCEP 12.15.3(a) (fn 14: necessity decided by the implementing Party) and (b) 'shall not be disputed'."""
    a, b = exc(r["rcep"], "12.15.3.a"), exc(r["rcep"], "12.15.3.b")
    assert a.kind == "legitimate_public_policy" and a.applies_to == ["12.15.2"] and "self_judging" in a.tests
    assert "proportionality" not in a.tests
    assert b.kind == "essential_security" and b.applies_to == ["12.15.2"]
    assert {"self_judging", "non_justiciable"} <= set(b.tests)
    assert "shall not be disputed by other Parties" in b.quote


def test_rcep_12_14_3_exceptions_for_localisation(r):
    """RCEP 12.14.3(a)-(b) qualify 12.14.2 with the same self-judging limbs."""
    assert exc(r["rcep"], "12.14.3.a").applies_to == ["12.14.2"]
    b = exc(r["rcep"], "12.14.3.b")
    assert b.applies_to == ["12.14.2"] and {"self_judging", "non_justiciable"} <= set(b.tests)


def test_rcep_12_17_no_dispute_settlement(r):
    """RCEP 12.17.3: 'No Party shall have recourse to dispute settlement under Chapter 19'."""
    assert r["rcep"].dispute_settlement.applies is False
    assert prov(r["rcep"], "12.17.3").norm.modality == "must not"


def test_rcep_transitional_periods_fn11_fn13(r):
    """RCEP fn 11 and 13: KH, LA, MM (5 + 3 years) and VN (5 years) for 12.14.2 and 12.15.2."""
    ds = r["rcep"].dispute_settlement
    vn = [d for d in ds.deferrals if d.parties == ["VN"]]
    assert vn and set(vn[0].provisions) == {"12.14.2", "12.15.2"}
    kh = [d for d in ds.deferrals if set(d.parties) == {"KH", "LA", "MM"} and "12.14.2" in d.provisions]
    assert kh and "additional three years" in kh[0].until_text


def test_rcep_12_11_customs_duties_tied_to_wto_practice(r):
    """RCEP 12.11.1 'maintain its current practice' (must not) with 12.11.3 'may adjust'."""
    assert prov(r["rcep"], "12.11.1").norm.modality == "must not"
    assert prov(r["rcep"], "12.11.3").norm.modality == "may"


def test_rcep_12_8_2_international_standards_binding_and_12_8_5_soft(r):
    """RCEP 12.8.2 'shall take into account' (must); 12.8.5 'shall cooperate, to the extent possible' (should)."""
    assert prov(r["rcep"], "12.8.2").norm.modality == "must"
    assert prov(r["rcep"], "12.8.5").norm.modality == "should"


def test_rcep_no_source_code_or_digital_product_article(r):
    """RCEP 12.16.1(b): digital products and source code only as dialogue issues."""
    assert on_topic(r["rcep"], "source_code.disclosure") == []
    assert on_topic(r["rcep"], "nondiscrimination.digital_products") == []


def test_rcep_parties_and_dates(r):
    """RCEP: signed 2020-11-15, in force 2022-01-01 for the ten Parties the source dates."""
    rg = r["rcep"].regime
    assert rg.signed == dt.date(2020, 11, 15) and rg.in_force == dt.date(2022, 1, 1)
    assert {p.country for p in rg.parties} == {"AU", "BN", "KH", "CN", "JP", "LA", "NZ", "SG", "TH", "VN"}


# ---------------------------------------------------------------- USMCA

def test_usmca_19_12_has_no_exception_attached(r):
    """USMCA 19.12: whole article verbatim - no legitimate-public-policy exception (contrast CPTPP 14.13.3)."""
    p = prov(r["usmca"], "19.12")
    assert (p.norm.modality, p.norm.stance, p.norm.action) == ("must not", "require", "locate_computing_facilities")
    specific = [e for e in r["usmca"].exceptions() if "19.12" in e.applies_to]
    assert specific == []
    assert not any(e.kind == "legitimate_public_policy" for e in exceptions_for(r["usmca"], "19.12"))


def test_usmca_19_11_2_exception_explicit_necessity(r):
    """USMCA 19.11.2: 'that is necessary to achieve a legitimate public policy objective'."""
    e = exc(r["usmca"], "19.11.2")
    assert e.applies_to == ["19.11.1"] and "necessity" in e.tests and "self_judging" not in e.tests
    assert prov(r["usmca"], "19.11.1").norm.strength == "binding"


def test_usmca_19_16_1_source_code_includes_algorithms(r):
    """USMCA 19.16.1: 'or to an algorithm expressed in that source code'."""
    p = prov(r["usmca"], "19.16.1")
    assert p.norm.action == "disclose_source_code" and {"source_code", "algorithm"} <= set(p.norm.objects)
    assert p.excludes == []  # no critical-infrastructure exclusion in 19.16.1
    assert exc(r["usmca"], "19.16.2").status == "unverified"


def test_usmca_19_17_interactive_computer_services(r):
    """USMCA 19.17.2 and 19.17.3(a): no liability as information content provider / for good-faith moderation."""
    for ref in ("19.17.2", "19.17.3.a"):
        p = prov(r["usmca"], ref)
        assert p.topics == ["intermediary_liability"] and p.norm.modality == "must not" and p.quote


def test_usmca_only_verbatim_passages_are_verified(r):
    """USMCA: 19.3 and 19.6 come from paraphrases - unverified and without quotes."""
    for ref in ("19.3", "19.6", "19.8.2"):
        p = prov(r["usmca"], ref)
        assert p.status == "unverified" and p.quote is None and p.note


def test_usmca_parties_and_dates(r):
    """USMCA: US, MX, CA; signed 2018-11-30; in force 2020-07-01."""
    rg = r["usmca"].regime
    assert {p.country for p in rg.parties} == {"US", "MX", "CA"}
    assert rg.in_force == dt.date(2020, 7, 1)


# ---------------------------------------------------------------- DEPA

def test_depa_4_3_2_verbatim_must_allow(r):
    """DEPA 4.3.2 (IELP quotation): 'Each Party shall allow the cross-border transfer ...'."""
    p = prov(r["depa"], "4.3.2")
    assert p.status == "verified" and p.norm.modality == "must" and p.norm.stance == "allow"
    assert "affirm their level of commitments" in p.quote


def test_depa_paraphrased_provisions_are_unverified(r):
    """DEPA 3.2, 3.3, 4.4, 6.2: only paraphrases in the source."""
    for ref in ("3.2", "3.3", "4.4", "6.2", "2.7"):
        p = prov(r["depa"], ref)
        assert p.status == "unverified" and p.quote is None and p.note, ref


def test_depa_has_no_source_code_provision(r):
    """DEPA: no source-code article (contrast CPTPP 14.17, USMCA 19.16)."""
    assert on_topic(r["depa"], "source_code.disclosure") == []


def test_depa_module_14_not_found_dispute_settlement_unknown(r):
    """DEPA Module 14 not retrieved: no dispute_settlement block, the gap said in the note."""
    assert r["depa"].dispute_settlement is None
    assert "Module 14" in r["depa"].regime.note


def test_depa_parties_korea_accession(r):
    """DEPA: CL, NZ, SG; KR acceded 2024-05-03; signed 2020-06-12; in force 2021-01-07."""
    rg = r["depa"].regime
    assert {p.country for p in rg.parties} == {"CL", "NZ", "SG", "KR"}
    assert party(r["depa"], "KR").joined == dt.date(2024, 5, 3)
    assert rg.signed == dt.date(2020, 6, 12) and rg.in_force == dt.date(2021, 1, 7)


# ---------------------------------------------------------------- UK-Singapore DEA

def test_uk_sg_dea_article_3_2_endeavour_and_annex_unverified(r):
    """UK_SG_DEA Art 3.2: 'shall endeavour to cooperate' (should); Annex A paraphrased (unverified)."""
    assert prov(r["uk_sg_dea"], "3.2.a").norm.modality == "should"
    assert prov(r["uk_sg_dea"], "3.1").norm.modality == "recognises"
    for p in r["uk_sg_dea"].provisions():
        if p.ref.startswith("8."):
            assert p.status == "unverified" and p.quote is None
    rg = r["uk_sg_dea"].regime
    assert rg.in_force is None and rg.signed == dt.date(2022, 2, 25)
    assert {p.country for p in rg.parties} == {"GB", "SG"}


# ---------------------------------------------------------------- WTO JSI

def test_wto_jsi_not_in_force(r):
    """WTO_JSI_ECOM Art 29.2: entry into force after the '[X]th' acceptance - no date."""
    rg = r["wto_jsi_ecom"].regime
    assert rg.in_force is None and rg.signed is None and "Not in force" in rg.note


def test_wto_jsi_11_3_customs_duties_and_16_3_personal_data(r):
    """WTO_JSI_ECOM 11.3 'No Party shall impose customs duties' and 16.3 'shall adopt or maintain a legal framework'."""
    assert prov(r["wto_jsi_ecom"], "11.3").norm.modality == "must not"
    p = prov(r["wto_jsi_ecom"], "16.3")
    assert p.norm.modality == "must" and p.norm.action == "maintain_legal_framework"


def test_wto_jsi_4_1_framework_only_best_endeavour(r):
    """WTO_JSI_ECOM 4.1 'shall endeavour to adopt or maintain a legal framework' (should)."""
    assert prov(r["wto_jsi_ecom"], "4.1").norm.modality == "should"


def test_wto_jsi_no_data_flow_localisation_or_source_code_articles(r):
    """WTO_JSI_ECOM stabilised text: no data-flow, localisation or source-code article."""
    for topic in ("data_flows.cross_border_transfer", "localisation.computing_facilities", "source_code.disclosure"):
        assert on_topic(r["wto_jsi_ecom"], topic) == [], topic


def test_wto_jsi_23_security_not_self_judging_in_own_words_and_25_personal_data(r):
    """WTO_JSI_ECOM 23 incorporates GATT XXI (no 'it considers necessary' in its own words); 25 personal data exception."""
    assert "self_judging" not in exc(r["wto_jsi_ecom"], "23").tests
    e = exc(r["wto_jsi_ecom"], "25")
    assert e.kind == "personal_data_protection" and e.applies_to == ["all"]


def test_wto_jsi_12_open_government_data_not_excluded_as_government_information(r):
    """WTO_JSI_ECOM 1.2(c): government-held information excluded except for Articles 8, 9 and 12."""
    assert "government_information" not in prov(r["wto_jsi_ecom"], "12.5").excludes
    assert "government_information" in prov(r["wto_jsi_ecom"], "16.3").excludes


# ---------------------------------------------------------------- across regimes

def test_quotes_only_on_verified_provisions(r):
    """Every verified provision has a quote; every unverified one has none and says why."""
    for rf in r.values():
        for p in rf.provisions():
            if p.status == "verified":
                assert p.quote, (rf.regime.id, p.ref)
            else:
                assert p.quote is None and p.note, (rf.regime.id, p.ref)
