"""The data-protection rule files say what the sources say.

Each test names the article it checks; the expected values are taken from the texts in
../shared/sources (gdpr-ch5.md, uk-transfers.md, eu-scc-2021.md, china-pipl-dsl-csl.md,
us-cloud-act.md, asean-mcc.md), not from the rule files.
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
MY_FILES = ["gdpr.dtr", "uk_gdpr.dtr", "eu_scc_2021.dtr", "cn_pipl.dtr", "cn_dsl.dtr", "cn_csl.dtr",
            "cn_cbdf_2024.dtr", "asean_mcc.dtr", "us_cloud_act.dtr", "vocabulary/data_protection.dtr",
            "expectations/data_protection.dtr"]


@pytest.fixture(scope="module")
def files():
    return {name.removesuffix(".dtr"): parse_file(RULES / name) for name in MY_FILES}


# ---------------------------------------------------------------------------- the files check

def test_data_protection_files_check_without_errors():
    """All files of this corpus pass `dtrc check` (syntax, vocabulary, references, dates)."""
    result = check_paths([RULES / name for name in MY_FILES])
    assert result.errors == [], [d.message for d in result.errors]


# ---------------------------------------------------------------------------- GDPR

def test_gdpr_regime_applies_from_25_may_2018_in_the_eu(files):
    """GDPR Art 99(2): applies from 25 May 2018; adopted 27 April 2016; jurisdiction the EU."""
    rg = files["gdpr"].regime
    assert (rg.id, rg.kind, rg.jurisdiction) == ("GDPR", "domestic_law", ["EU"])
    assert rg.in_force == dt.date(2018, 5, 25)
    assert rg.signed == dt.date(2016, 4, 27)


def test_gdpr_art3_territorial_scope_has_establishment_and_targeting_limbs(files):
    """GDPR Art 3(1), 3(2)(a), 3(2)(b), 3(3): four scope rules, all under scope.territorial."""
    for ref in ("3.1", "3.2.a", "3.2.b", "3.3"):
        assert prov(files["gdpr"], ref).topics == ["scope.territorial"]
    assert "regardless of whether the processing takes place in the Union" in prov(files["gdpr"], "3.1").quote


def test_gdpr_art44_prohibits_transfer_unless_45_46_47_49(files):
    """GDPR Art 44: 'shall take place only if' the Chapter V conditions are met — a prohibition
    on controller and processor with the escape routes of Arts 45, 46, 47 and 49."""
    p = prov(files["gdpr"], "44")
    assert p.norm.bearers == ["controller", "processor"]
    assert p.norm.modality == "must not"
    assert p.norm.action == "cross_border_transfer"
    assert "personal_data" in p.norm.objects
    assert "third_country" in p.norm.destinations and "international_organisation" in p.norm.destinations
    assert p.norm.unless == ["45", "46", "47", "49"]
    assert "onward_transfer" in p.topics


def test_gdpr_art45_1_adequacy_is_a_permission_without_authorisation(files):
    """GDPR Art 45(1): a transfer 'may take place' on an adequacy decision."""
    p = prov(files["gdpr"], "45.1")
    assert p.norm.modality == "may"
    assert p.topics == ["transfer_mechanisms.adequacy"]
    assert "shall not require any specific authorisation" in p.quote


def test_gdpr_art46_2_c_standard_clauses_are_an_appropriate_safeguard(files):
    """GDPR Art 46(2)(c): standard data protection clauses adopted by the Commission."""
    p = prov(files["gdpr"], "46.2.c")
    assert p.norm.modality == "may"
    assert p.topics == ["transfer_mechanisms.safeguards_contracts"]
    assert "standard data protection clauses adopted by the Commission" in p.quote
    assert [r for r in ("46.2.a", "46.2.b", "46.2.d", "46.2.e", "46.2.f") if prov(files["gdpr"], r)]


def test_gdpr_art46_2_b_binding_corporate_rules_route_and_art47_approval(files):
    """GDPR Art 46(2)(b) (BCRs as a safeguard) and Art 47(1): the authority 'shall approve'."""
    assert prov(files["gdpr"], "46.2.b").topics == ["transfer_mechanisms.binding_corporate_rules"]
    p = prov(files["gdpr"], "47.1")
    assert (p.norm.bearers, p.norm.modality) == (["supervisory_authority"], "must")


def test_gdpr_art48_blocks_disclosure_on_a_foreign_order_alone(files):
    """GDPR Art 48: a third-country judgment or decision is recognised only if based on an
    international agreement — encoded as must not disclose to a foreign authority."""
    p = prov(files["gdpr"], "48")
    assert p.norm.modality == "must not"
    assert p.norm.action == "disclose"
    assert p.norm.destinations == ["foreign_authority"]
    assert p.norm.unless == ["45", "46", "47", "49"]
    assert "mutual legal assistance treaty" in p.quote
    assert p.topics == ["government_access.foreign_requests"]


def test_gdpr_art49_1_each_derogation_is_its_own_permission(files):
    """GDPR Art 49(1)(a)-(g) and the second subparagraph: one provision per derogation, each a may."""
    refs = ["49.1.a", "49.1.b", "49.1.c", "49.1.d", "49.1.e", "49.1.f", "49.1.g", "49.1.sub2"]
    for ref in refs:
        p = prov(files["gdpr"], ref)
        assert p.norm.modality == "may", ref
        assert p.topics == ["transfer_mechanisms.derogations"], ref
    assert "explicitly consented" in prov(files["gdpr"], "49.1.a").quote
    assert "compelling legitimate interests" in prov(files["gdpr"], "49.1.sub2").quote


def test_gdpr_art49_3_public_powers_excluded_only_from_a_b_c_and_second_subparagraph(files):
    """GDPR Art 49(3): points (a), (b), (c) and the second subparagraph do not apply to public
    authorities exercising public powers; (d)-(g) do."""
    for ref in ("49.1.a", "49.1.b", "49.1.c", "49.1.sub2"):
        assert "public_powers" in prov(files["gdpr"], ref).excludes, ref
    for ref in ("49.1.d", "49.1.e", "49.1.f", "49.1.g"):
        assert "public_powers" not in prov(files["gdpr"], ref).excludes, ref


def test_gdpr_art83_5_c_fines_transfers_in_breach_of_44_to_49(files):
    """GDPR Art 83(5)(c): up to EUR 20 000 000 or 4 % of worldwide annual turnover."""
    p = prov(files["gdpr"], "83.5.c")
    assert p.topics == ["enforcement.sanctions"]
    assert "20 000 000 EUR" in p.quote and "4 %" in p.quote
    assert "Articles 44 to 49" in p.quote


# ---------------------------------------------------------------------------- UK GDPR

def test_uk_gdpr_art44_ends_2026_02_04_and_is_replaced_by_44A(files):
    """UK GDPR Art 44 (omitted by DUAA 2025 Sch 7 para 2(1)); reforms commenced 5 February 2026.
    Its UK wording is not in the sources: unverified, no quote."""
    p = prov(files["uk_gdpr"], "44")
    assert p.until == dt.date(2026, 2, 4)
    assert p.replaced_by == "44A"
    assert p.status == "unverified" and p.quote is None


def test_uk_gdpr_art44A_in_force_from_2026_02_05_with_three_routes(files):
    """UK GDPR Art 44A(1)-(2): transfer only if approved by regulations (45A), subject to
    appropriate safeguards (46) or under a derogation (49)."""
    p = prov(files["uk_gdpr"], "44A")
    assert files["uk_gdpr"].regime.jurisdiction == ["GB"]
    assert p.in_force == dt.date(2026, 2, 5)
    assert p.norm.modality == "must not"
    assert p.norm.unless == ["45A", "46", "49"]
    assert "approved by regulations under Article 45A" in p.quote


def test_uk_gdpr_art44A_3_restrictions_under_49A_override_safeguards_and_derogations(files):
    """UK GDPR Art 44A(3): 'may not be made' in reliance on 2(b) or (c) if it breaches a 49A restriction."""
    p = prov(files["uk_gdpr"], "44A.3")
    assert p.norm.modality == "must not"
    assert "Article 49A" in p.quote


def test_uk_gdpr_art46_1A_controller_applies_the_data_protection_test(files):
    """UK GDPR Art 46(1A)(a) as amended: the controller, acting reasonably and proportionately,
    considers that the data protection test is met."""
    p = prov(files["uk_gdpr"], "46.1A.a")
    assert p.in_force == dt.date(2026, 2, 5)
    assert "acting reasonably and proportionately" in p.quote
    assert "section 119A of the 2018 Act" in prov(files["uk_gdpr"], "46.2.d").quote


# ---------------------------------------------------------------------------- EU SCCs

def test_scc_regime_in_force_27_june_2021(files):
    """Decision (EU) 2021/914 Art 4(1): in force on the twentieth day after publication (OJ 7.6.2021)."""
    rg = files["eu_scc_2021"].regime
    assert (rg.id, rg.kind, rg.in_force) == ("EU_SCC_2021", "contract_clauses", dt.date(2021, 6, 27))


def test_scc_clause8_bearers_follow_the_module(files):
    """SCC Clause 8: Module One binds the importer-controller, Two the importer-processor,
    Three the sub-processor, Four the EU exporter-processor (8.1(a) of Module Four)."""
    scc = files["eu_scc_2021"]
    assert prov(scc, "8.m1.1").norm.bearers == ["importer_c2c"]
    assert prov(scc, "8.m2.1.a").norm.bearers == ["importer_c2p"]
    assert prov(scc, "8.m3.1.b").norm.bearers == ["importer_p2p"]
    assert prov(scc, "8.m4.1.a").norm.bearers == ["exporter_p2c"]
    assert prov(scc, "8.m3.1.d").norm.bearers == ["exporter_p2p"]


def test_scc_clause8_onward_transfer_grounds_differ_by_module(files):
    """SCC Clause 8.7 (Module One) has six grounds incl. explicit consent; 8.8 (Modules Two and
    Three) has four and requires documented instructions."""
    scc = files["eu_scc_2021"]
    m1 = prov(scc, "8.m1.7").norm
    assert m1.modality == "must not" and m1.action == "transfer_onward"
    assert "8.m1.7.vi" in m1.unless and len(m1.unless) == 7
    m2 = prov(scc, "8.m2.8").norm
    assert len(m2.unless) == 5 and not any(r.endswith(".vi") for r in m2.unless)
    assert all(any("documented instructions" in c for c in prov(scc, r).norm.conditions) for r in m2.unless)


def test_scc_clause14_transfer_impact_assessment(files):
    """SCC Clause 14(a)-(b): the Parties warrant, having assessed the destination's laws and
    practices; 14(f): the exporter shall suspend if no appropriate safeguards can be ensured."""
    scc = files["eu_scc_2021"]
    b = prov(scc, "14.b")
    assert b.norm.action == "assess_local_laws" and b.norm.modality == "must"
    assert b.norm.bearers == ["data_exporter", "data_importer"]
    assert b.topics == ["transfer_impact_assessment"]
    assert prov(scc, "14.e").norm.action == "notify_local_law_conflict"
    f = prov(scc, "14.f")
    assert (f.norm.bearers, f.norm.modality, f.norm.action) == (["data_exporter"], "must", "suspend_transfer")


def test_scc_clause15_notify_best_efforts_waiver_and_challenge(files):
    """SCC Clause 15.1(a) notify, 15.1(b) best efforts to obtain a waiver (should), 15.2(a)
    review and challenge, 15.2(c) minimum information."""
    scc = files["eu_scc_2021"]
    assert prov(scc, "15.1.a").norm.action == "notify_access_request"
    assert prov(scc, "15.1.b").norm.modality == "should"
    c = prov(scc, "15.2.a")
    assert (c.norm.modality, c.norm.action) == ("must", "challenge_access_request")
    assert "principles of international comity" in c.quote
    assert prov(scc, "15.2.c").norm.action == "minimise_disclosure"
    assert all(prov(scc, r).topics == ["government_access.foreign_requests"] for r in ("15.1.a", "15.2.a"))


def test_scc_clauses17_18_governing_law_and_forum(files):
    """SCC Clause 17 (EU Member State law allowing third-party beneficiary rights; Module Four any
    such country) and Clause 18 (EU courts; data subject may sue where habitually resident)."""
    scc = files["eu_scc_2021"]
    assert "third-party beneficiary rights" in prov(scc, "17.opt1").quote
    assert prov(scc, "17.m4").norm.bearers == ["exporter_p2c", "importer_p2c"]
    assert "courts of an EU Member State" in prov(scc, "18.a").quote
    c = prov(scc, "18.c")
    assert (c.norm.bearers, c.norm.modality) == (["data_subject"], "may")


def test_scc_clause3_data_subjects_are_third_party_beneficiaries(files):
    """SCC Clause 3(a): data subjects may invoke and enforce the Clauses."""
    p = prov(files["eu_scc_2021"], "3.a")
    assert p.norm.modality == "may"
    assert p.topics == ["data_subject_rights.third_party_beneficiary"]


# ---------------------------------------------------------------------------- China

def test_pipl_art40_ciio_and_threshold_handlers_must_store_in_china(files):
    """PIPL Art 40, first sentence: CIIOs and handlers over the CAC threshold 应当 store in China."""
    p = prov(files["cn_pipl"], "40")
    assert p.norm.bearers == ["ciio", "volume_threshold_handler"]
    assert (p.norm.modality, p.norm.action) == ("must", "store_locally")
    assert p.norm.objects == ["personal_information"]
    assert "存储在境内" in p.quote
    assert "localisation.computing_facilities" in p.topics


def test_pipl_art40_security_assessment_and_statutory_exemption(files):
    """PIPL Art 40, second sentence (security assessment) and last clause (exemptions by law,
    regulation or CAC rule), which qualifies only the assessment."""
    pipl = files["cn_pipl"]
    s2 = prov(pipl, "40.s2")
    assert s2.norm.action == "pass_security_assessment" and s2.norm.modality == "must"
    e = exc(pipl, "40.s3")
    assert e.kind == "statutory_exemption" and e.applies_to == ["40.s2"]


def test_pipl_art38_transfer_only_on_one_of_the_conditions(files):
    """PIPL Art 38(1): 应当具备下列条件之一 — assessment, certification, standard contract,
    other conditions; 38(2) treaty clause (可以 = may)."""
    pipl = files["cn_pipl"]
    p = prov(pipl, "38.1")
    assert p.norm.modality == "must not"
    assert p.norm.unless == ["38.1.1", "38.1.2", "38.1.3", "38.1.4", "38.2"]
    assert prov(pipl, "38.2").norm.modality == "may"
    assert prov(pipl, "38.1.3").topics == ["transfer_mechanisms.safeguards_contracts"]


def test_pipl_art41_no_provision_to_foreign_judicial_bodies_without_approval(files):
    """PIPL Art 41: 不得向外国司法或者执法机构提供 without approval of the competent PRC authority."""
    p = prov(files["cn_pipl"], "41")
    assert (p.norm.modality, p.norm.action, p.norm.destinations) == ("must not", "disclose", ["foreign_authority"])
    assert "非经中华人民共和国主管机关批准" in p.quote


def test_dsl_art36_no_provision_of_data_stored_in_china_to_foreign_authorities(files):
    """DSL Art 36: organisations and individuals in China 不得 provide data stored in China to
    foreign judicial or law-enforcement bodies without approval."""
    p = prov(files["cn_dsl"], "36")
    assert (p.norm.modality, p.norm.action, p.norm.objects) == ("must not", "disclose", ["data"])
    assert p.norm.destinations == ["foreign_authority"]
    assert files["cn_dsl"].regime.in_force == dt.date(2021, 9, 1)


def test_dsl_art21_and_art31_important_data(files):
    """DSL Art 21(3) (regions and departments 应当 catalogue important data) and Art 31 (CIIO
    important data export governed by the CSL)."""
    dsl = files["cn_dsl"]
    assert prov(dsl, "21.3").norm.objects == ["important_data"]
    assert prov(dsl, "31").norm.bearers == ["ciio"]


def test_csl_art37_until_2025_and_art39_from_2026(files):
    """CSL Art 37 (2016 text, in force 1 June 2017) is Art 39 of the text in force 1 January 2026."""
    csl = files["cn_csl"]
    old, new = prov(csl, "37"), prov(csl, "39")
    assert old.until == dt.date(2025, 12, 31) and old.replaced_by == "39"
    assert new.in_force == dt.date(2026, 1, 1)
    assert (old.norm.action, new.norm.action) == ("store_locally", "store_locally")
    assert old.norm.objects == new.norm.objects == ["personal_information", "important_data"]
    assert old.translation is False and new.translation is True
    assert prov(csl, "37.s2").replaced_by == "39.s2"
    assert csl.regime.in_force == dt.date(2017, 6, 1)


def test_cbdf_2024_exemptions_qualify_the_assessment_and_contract_duties(files):
    """CAC 2024 Provisions Arts 3-5 exempt from the Art 7 assessment and Art 8 contract/
    certification duties; no official text in the sources, so all unverified."""
    cb = files["cn_cbdf_2024"]
    assert cb.regime.in_force == dt.date(2024, 3, 22)
    assert exc(cb, "5.4").applies_to == ["8"]
    assert set(exc(cb, "3").applies_to) == {"7.1", "7.2", "8"}
    assert all(p.status == "unverified" for p in cb.provisions())


# ---------------------------------------------------------------------------- CLOUD Act, ASEAN

def test_cloud_act_2713_provider_must_disclose_wherever_located(files):
    """18 U.S.C. 2713: preserve, backup or disclose ... regardless of whether located within or
    outside of the United States."""
    p = prov(files["us_cloud_act"], "2713")
    assert p.norm.bearers == ["electronic_communication_service_provider", "remote_computing_service_provider"]
    assert (p.norm.modality, p.norm.action) == ("must", "disclose")
    assert set(p.norm.objects) == {"communications_content", "subscriber_records"}
    assert any("regardless of whether" in c for c in p.norm.conditions)
    assert files["us_cloud_act"].regime.jurisdiction == ["US"]


def test_asean_mcc_modules_are_unverified_structure(files):
    """ASEAN MCC Module 1 (C2P) and Module 2 (C2C): clause text not found, so unverified."""
    mcc = files["asean_mcc"]
    assert prov(mcc, "1.1").norm.bearers == ["exporter_c2p"]
    assert prov(mcc, "2.1").norm.bearers == ["exporter_c2c"]
    assert all(prov(mcc, r).status == "unverified" for r in ("1.1", "1.2", "2.1", "2.2"))


# ---------------------------------------------------------------------------- vocabulary, expectations

def test_vocabulary_links_let_instruments_meet(files):
    """Shared terms: CLOUD Act subscriber records are personal information (meets GDPR 48 /
    PIPL 41); module roles sit under data_exporter / data_importer; EU is a group without members."""
    terms = {t.id: t for t in files["vocabulary/data_protection"].vocabulary}
    assert "personal_information" in terms["subscriber_records"].broader
    assert "data" in terms["communications_content"].broader
    assert terms["exporter_c2p"].broader == ["data_exporter"]
    assert terms["importer_p2c"].broader == ["data_importer"]
    assert terms["EU"].kind == "group" and terms["EU"].members == []


def test_expectations_cover_the_required_conflicts(files):
    """Expectations: CPTPP 14.11.2 vs UK_GDPR 44A (restriction, GB), CLOUD Act vs GDPR 48 and
    DSL 36 (direct), CPTPP 14.13.2 vs PIPL 40 (commitment_vs_measure, CN assumed), and no-conflict cases."""
    exps = files["expectations/data_protection"].expectations
    pairs = {(e.kind, e.a_regime, e.a_ref, e.b_regime, e.b_ref, e.bound) for e in exps if e.conflict}
    assert ("restriction", "CPTPP", "14.11.2", "UK_GDPR", "44A", "GB") in pairs
    assert ("direct", "US_CLOUD_ACT", "2713", "GDPR", "48", None) in pairs
    assert ("direct", "US_CLOUD_ACT", "2713", "CN_DSL", "36", None) in pairs
    assert ("commitment_vs_measure", "CPTPP", "14.13.2", "CN_PIPL", "40", "CN") in pairs
    assert sum(1 for e in exps if not e.conflict) >= 2
