"""The rule files encoded from ToTA say what the ToTA texts say.

Each test names the article it checks. Expected values come from the VERBATIM blocks in
/work/shared/sources/tota/*.md and the <meta> of tota/xml/pta_N.xml (ToTA, CC BY-NC 4.0,
Alschner, Seiermann and Skougarevskiy), not from the rule files: where a test turns on a
word ("shall endeavor", "procurará", "permitirá"), it also checks that the word is in the
source block, so that a changed source or a changed encoding both make it fail.
"""
from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from comparator.compare import compare
from comparator.parse import parse_file
from comparator.validate import check_paths, load_corpus
from tests.corpus.lookup import exc, prov

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"
TOTA = Path("/work/shared/sources/tota")
FILES = {
    "CHAFTA": ("chafta.dtr", "chafta-australia-china-2015-ch12-electronic-commerce.md", 141),
    "CN_KR_FTA": ("cn_kr_fta.dtr", "china-korea-fta-2015-ch13-electronic-commerce.md", 398),
    "KORUS": ("korus.dtr", "korus-2007-ch15-electronic-commerce.md", 159),
    "USSFTA": ("ussfta.dtr", "us-singapore-fta-2003-ch14-electronic-commerce.md", 52),
    "SAFTA": ("safta.dtr", "safta-singapore-australia-2003-ch14-electronic-commerce.md", 54),
    "JAEPA": ("jaepa.dtr", "jaepa-japan-australia-2014-ch13-electronic-commerce.md", 151),
    "KAFTA": ("kafta.dtr", "kafta-korea-australia-2014-ch15-electronic-commerce.md", 343),
    "JP_MN_EPA": ("jp_mn_epa.dtr", "japan-mongolia-epa-2015-ch9-electronic-commerce.md", 425),
    "PACIFIC_ALLIANCE": ("pacific_alliance.dtr", "pacific-alliance-2014-cap13-comercio-electronico.md", 438),
    "MX_PA_FTA": ("mx_pa_fta.dtr", "mexico-panama-2014-cap14-comercio-electronico.md", 417),
    "KSFTA": ("ksfta.dtr", "korea-singapore-fta-2005-electronic-commerce.md", 24),
    "TPP": ("tpp.dtr", "tpp-2016-en-ch14-electronic-commerce.md", 449),
}
ISO3 = {"AUS": "AU", "CHN": "CN", "KOR": "KR", "USA": "US", "SGP": "SG", "JPN": "JP", "MNG": "MN",
        "CHL": "CL", "COL": "CO", "MEX": "MX", "PER": "PE", "PAN": "PA", "BRN": "BN", "CAN": "CA",
        "MYS": "MY", "NZL": "NZ", "VNM": "VN"}

needs_sources = pytest.mark.skipif(not TOTA.is_dir(), reason="ToTA sources not beside this checkout")


@pytest.fixture(scope="module")
def r():
    return {rid: parse_file(RULES / f) for rid, (f, _, _) in FILES.items()}


def block(regime_id: str, heading: str) -> str:
    """The VERBATIM text block under the source heading that contains `heading`, whitespace collapsed."""
    text = (TOTA / FILES[regime_id][1]).read_text(encoding="utf-8")
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        title, _, rest = section.partition("\n")
        m = re.search(r"```text\n(.*?)```", rest, re.S)
        if m and heading.lower() in title.lower():
            return " ".join(m.group(1).split())
    raise AssertionError(f"no block {heading!r} in {FILES[regime_id][1]}")


def strength(rf, ref):
    return prov(rf, ref).norm.strength


# ---------------------------------------------------------------- all files

def test_tota_files_check_without_errors():
    result = check_paths([RULES / f for f, _, _ in FILES.values()] + [RULES / "vocabulary"])
    assert result.errors == [], [e.message for e in result.errors]


@needs_sources
@pytest.mark.parametrize("regime_id", list(FILES))
def test_regime_matches_tota_meta(r, regime_id):
    """Parties (alpha-3 -> alpha-2), signature and entry into force as in each pta_N.xml <meta>."""
    meta = ET.parse(TOTA / "xml" / f"pta_{FILES[regime_id][2]}.xml").getroot().find("meta")
    reg = r[regime_id].regime
    assert reg.id == regime_id and reg.kind == "trade_agreement"
    assert [p.country for p in reg.parties] == [ISO3[c.text] for c in meta.find("parties").iter("partyisocode")]
    assert reg.signed == dt.date.fromisoformat(meta.findtext("date_signed"))
    into_force = meta.findtext("date_into_force")
    assert reg.in_force == (dt.date.fromisoformat(into_force) if into_force else None)
    assert f"pta_{FILES[regime_id][2]}.xml" in reg.source
    assert "Alschner" in reg.note and "CC BY-NC 4.0" in reg.note


@pytest.mark.parametrize("regime_id", list(FILES))
def test_header_credits_tota(regime_id):
    head = (RULES / FILES[regime_id][0]).read_text(encoding="utf-8").split("\nregime ")[0]
    assert "ToTA" in head and "Alschner" in head and "CC BY-NC 4.0" in head


# ---------------------------------------------------------------- ChAFTA

@needs_sources
def test_chafta_12_8_1_binding_but_self_judged(r):
    """ChAFTA 12.8.1: 'each Party shall take such measures as it considers appropriate and necessary'."""
    assert "shall take such measures as it considers appropriate and necessary" in block("CHAFTA", "12.8 ")
    p = prov(r["CHAFTA"], "12.8.1")
    assert p.norm.strength == "binding" and "personal_information" in p.norm.objects
    assert any("as it considers appropriate and necessary" in c for c in p.norm.conditions)


@needs_sources
def test_chafta_12_8_2_to_the_extent_possible_is_best_endeavour(r):
    """ChAFTA 12.8.2: 'shall, to the extent possible, take into account international standards'."""
    assert "each Party shall, to the extent possible, take into account" in block("CHAFTA", "12.8 ")
    assert strength(r["CHAFTA"], "12.8.2") == "best_endeavour"


def test_chafta_12_11_no_dispute_settlement(r):
    """ChAFTA 12.11: Chapter 15 (Dispute Settlement) shall not apply to this Chapter."""
    assert r["CHAFTA"].dispute_settlement.applies is False


def test_chafta_12_9_1_paperless_with_contrary_law_exceptions(r):
    """ChAFTA 12.9.1: 'shall accept ... except where (a) ... legal requirement to the contrary; or (b) ...'."""
    assert strength(r["CHAFTA"], "12.9.1") == "binding"
    assert {exc(r["CHAFTA"], ref).kind for ref in ("12.9.1.a", "12.9.1.b")} == {"contrary_legal_requirement"}
    assert exc(r["CHAFTA"], "12.9.1.a").applies_to == ["12.9.1"]


def test_chafta_has_no_data_flow_provision(r):
    """ChAFTA Chapter 12 has no article on cross-border transfer of information."""
    assert not [p for p in r["CHAFTA"].provisions() if any(t.startswith("data_flows") for t in p.topics)]


# ---------------------------------------------------------------- China-Korea

@needs_sources
def test_cn_kr_13_4_1_neither_party_may_is_a_prohibition(r):
    """CN-KR 13.4.1: 'Neither Party may adopt or maintain legislation ... that would deny a signature legal validity'."""
    assert block("CN_KR_FTA", "13.4 ").startswith("1. Neither Party may adopt or maintain legislation")
    p = prov(r["CN_KR_FTA"], "13.4.1")
    assert p.norm.modality == "must not" and p.norm.action == "deny_legal_validity"


@needs_sources
def test_cn_kr_13_6_paperless_endeavour_and_explore(r):
    """CN-KR 13.6.1 'shall endeavour to make ... available'; 13.6.2 only 'shall explore the possibility of accepting'."""
    assert "shall explore the possibility of accepting" in block("CN_KR_FTA", "13.6 ")
    assert strength(r["CN_KR_FTA"], "13.6.1") == "best_endeavour"
    p = prov(r["CN_KR_FTA"], "13.6.2")
    assert p.norm.action != "accept_electronic_documents"


def test_cn_kr_13_9_no_dispute_settlement(r):
    """CN-KR 13.9: 'Neither Party shall have recourse to Chapter 20 (Dispute Settlement)'."""
    assert r["CN_KR_FTA"].dispute_settlement.applies is False


def test_cn_kr_13_5_personal_information_binding(r):
    """CN-KR 13.5: 'each Party shall adopt or maintain measures which ensure the protection of the personal information'."""
    p = prov(r["CN_KR_FTA"], "13.5.a")
    assert p.norm.strength == "binding" and p.norm.objects == ["personal_information"]


# ---------------------------------------------------------------- KORUS

@needs_sources
def test_korus_15_8_shall_endeavor_to_refrain_is_best_endeavour(r):
    """KORUS 15.8: 'the Parties shall endeavor to refrain from imposing or maintaining unnecessary barriers'."""
    assert "shall endeavor to refrain from imposing or maintaining unnecessary barriers" in block("KORUS", "15.8 ")
    p = prov(r["KORUS"], "15.8")
    assert p.topics == ["data_flows.cross_border_transfer"]
    assert p.norm.modality == "should" and p.norm.action == "cross_border_transfer"
    assert "personal_information" not in p.norm.objects


def test_korus_15_3_scope_carve_outs(r):
    """KORUS 15.3.4 (non-conforming measures), 15.3.5 (subsidies, governmental authority), 15.3.6 (broadcasting)."""
    nt = prov(r["KORUS"], "15.3.2")
    assert {"non_conforming_measures", "subsidies", "governmental_authority_services", "broadcasting"} <= set(nt.excludes)
    mfn = prov(r["KORUS"], "15.3.3")
    assert "subsidies" not in mfn.excludes and "non_conforming_measures" in mfn.excludes
    assert prov(r["KORUS"], "15.3.1").norm.modality == "must not"


def test_korus_15_7_internet_principles_recognition_only(r):
    """KORUS 15.7: 'each Party recognizes that consumers in its territory should be able to'."""
    assert strength(r["KORUS"], "15.7") == "recognition"


def test_korus_15_4_2_performance_standards_is_a_permission(r):
    """KORUS 15.4.2: 'a Party may require ... provided the requirement: (a) serves a legitimate governmental objective'."""
    p = prov(r["KORUS"], "15.4.2")
    assert p.norm.modality == "may" and p.norm.stance == "require"


# ---------------------------------------------------------------- US-Singapore

def test_ussfta_14_3_1_no_customs_duties_binding(r):
    """USSFTA 14.3.1: 'A Party shall not apply customs duties or other duties, fees, or charges'."""
    p = prov(r["USSFTA"], "14.3.1")
    assert p.norm.modality == "must not" and "broadcasting" in p.excludes


def test_ussfta_14_3_2_carrier_medium_valued_alone(r):
    """USSFTA 14.3.2: customs value of the carrier medium 'alone, without regard to the cost or value of the digital product'."""
    p = prov(r["USSFTA"], "14.3.2")
    assert p.norm.strength == "binding" and p.norm.action == "value_carrier_medium_alone"


def test_ussfta_14_3_5_nc_measures_exclude_nt_and_mfn_only(r):
    """USSFTA 14.3.5: 'Paragraphs 3 and 4 do not apply to any non-conforming measure'."""
    for ref in ("14.3.3", "14.3.4.a", "14.3.4.b"):
        assert "non_conforming_measures" in prov(r["USSFTA"], ref).excludes
    assert "non_conforming_measures" not in prov(r["USSFTA"], "14.3.1").excludes


def test_ussfta_has_no_data_flow_provision(r):
    assert not [p for p in r["USSFTA"].provisions() if p.norm and p.norm.action == "cross_border_transfer"]


# ---------------------------------------------------------------- SAFTA

@needs_sources
def test_safta_14_7_2_take_into_account_is_binding(r):
    """SAFTA Ch 14 Art 7.2: 'each Party shall take into account the international standards' (no 'to the extent possible')."""
    assert "each Party shall take into account the international standards" in block("SAFTA", "ARTICLE 7 ")
    assert strength(r["SAFTA"], "14.7.2") == "binding"


def test_safta_14_10_dispute_settlement_excludes_articles_4_to_7(r):
    """SAFTA Ch 14 Art 10: Chapter 16 shall not apply to Articles 4, 5, 6 and 7."""
    ds = r["SAFTA"].dispute_settlement
    assert ds.applies is True
    assert {"14.4.1", "14.5.1.a", "14.6.1", "14.7.1", "14.7.2"} <= set(ds.excepted)
    assert "14.8.2" not in ds.excepted and "14.3" not in ds.excepted


def test_safta_9_4_financial_information_binding_with_privacy_carve_out(r):
    """SAFTA Ch 9 Art 4: 'Neither Party shall take measures that prevent transfers of information ...'."""
    p = prov(r["SAFTA"], "9.4")
    assert p.topics == ["data_flows.financial_information"] and p.norm.strength == "binding"
    e = exc(r["SAFTA"], "9.4.privacy")
    assert e.kind == "personal_data_protection" and e.applies_to == ["9.4"] and e.tests == ["no_circumvention"]


def test_safta_14_6_consumer_protection_to_the_extent_possible(r):
    """SAFTA Ch 14 Art 6: 'Each Party shall, to the extent possible ... provide protection for consumers'."""
    assert strength(r["SAFTA"], "14.6.1") == "best_endeavour"


# ---------------------------------------------------------------- JAEPA

def test_jaepa_13_8_personal_data_binding(r):
    """JAEPA 13.8.1 'shall adopt or maintain measures to protect the personal data'; 13.8.2 'shall take into account'."""
    assert strength(r["JAEPA"], "13.8.1") == "binding"
    assert strength(r["JAEPA"], "13.8.2") == "binding"


@needs_sources
def test_jaepa_13_9_paperless_endeavour_but_international_standards_binding(r):
    """JAEPA 13.9.1-2 'shall endeavour'; 13.9.3 'each Party shall take into account international standards'."""
    assert "each Party shall take into account international standards" in block("JAEPA", "13.9 ")
    assert strength(r["JAEPA"], "13.9.1") == strength(r["JAEPA"], "13.9.2") == "best_endeavour"
    assert strength(r["JAEPA"], "13.9.3") == "binding"


def test_jaepa_13_4_3_carve_outs_and_ip_exception(r):
    """JAEPA 13.4.3: (a) NCMs, (b) Chapter 16 IP, (c) government procurement, (d) subsidies, (e) governmental authority."""
    p = prov(r["JAEPA"], "13.4.1")
    assert {"non_conforming_measures", "government_procurement", "subsidies",
            "governmental_authority_services"} <= set(p.excludes)
    assert exc(r["JAEPA"], "13.4.3.b").kind == "intellectual_property"


def test_jaepa_11_6_financial_information(r):
    """JAEPA 11.6: transfers of information 'necessary for the conduct of the ordinary business of a financial service supplier'."""
    p = prov(r["JAEPA"], "11.6")
    assert p.norm.modality == "must" and p.norm.stance == "allow"
    assert "ordinary business of a financial service supplier" in p.norm.conditions[0]


# ---------------------------------------------------------------- KAFTA

def test_kafta_15_3_standing_prohibition_on_customs_duties(r):
    """KAFTA 15.3: 'Neither Party shall impose customs duties on electronic transmissions between the Parties.'"""
    p = prov(r["KAFTA"], "15.3")
    assert p.norm.modality == "must not" and "practice" not in " ".join(p.norm.conditions)


@needs_sources
def test_kafta_15_4_2_regulatory_burden_endeavour(r):
    """KAFTA 15.4.2: 'Each Party shall endeavour to: (a) minimise the regulatory burden'."""
    assert "Each Party shall endeavour to: (a) minimise the regulatory burden" in block("KAFTA", "15.4 ")
    assert strength(r["KAFTA"], "15.4.2.a") == "best_endeavour"
    assert strength(r["KAFTA"], "15.4.1") == "binding"


def test_kafta_15_8_two_binding_sentences(r):
    """KAFTA 15.8: 'shall adopt or maintain measures ...' and 'shall take into account the international standards'."""
    assert strength(r["KAFTA"], "15.8.a") == strength(r["KAFTA"], "15.8.b") == "binding"


def test_kafta_15_9_spam_endeavour_cooperation_binding(r):
    """KAFTA 15.9.1 'shall endeavour to adopt or maintain measures'; 15.9.2 'shall ... cooperate'."""
    assert strength(r["KAFTA"], "15.9.1") == "best_endeavour"
    assert strength(r["KAFTA"], "15.9.2") == "binding"


# ---------------------------------------------------------------- Japan-Mongolia

@needs_sources
def test_jp_mn_9_10_binding_localisation_ban(r):
    """Japan-Mongolia 9.10.1: 'Neither Party shall require ... to use or locate computing facilities in that Area'."""
    assert "Neither Party shall require" in block("JP_MN_EPA", "9.10 ")
    p = prov(r["JP_MN_EPA"], "9.10.1")
    assert p.topics == ["localisation.computing_facilities"]
    assert p.norm.modality == "must not" and p.norm.stance == "require"
    assert p.norm.action == "locate_computing_facilities"
    assert "financial_services" not in p.excludes


def test_jp_mn_9_10_2_exception_requires_necessity(r):
    """Japan-Mongolia 9.10.2: measures 'necessary to achieve a legitimate public policy objective', chapeau only."""
    e = exc(r["JP_MN_EPA"], "9.10.2")
    assert e.kind == "legitimate_public_policy" and e.applies_to == ["9.10.1"]
    assert set(e.tests) == {"necessity", "non_discrimination", "no_disguised_restriction"}


def test_jp_mn_9_11_source_code_mass_market_only(r):
    """Japan-Mongolia 9.11: no transfer of source code required; 9.11.2 mass-market, not critical infrastructure."""
    p = prov(r["JP_MN_EPA"], "9.11.1")
    assert p.norm.modality == "must not" and p.norm.action == "disclose_source_code"
    assert "critical_infrastructure_software" in p.excludes
    assert not [e for e in r["JP_MN_EPA"].exceptions() if "9.11.1" in e.applies_to]


def test_jp_mn_9_12_5_data_flows_recognition_only(r):
    """Japan-Mongolia 9.12.5: 'The Parties recognize the importance of working to maintain cross-border flows'."""
    assert strength(r["JP_MN_EPA"], "9.12.5") == "recognition"


# ---------------------------------------------------------------- Pacific Alliance (Spanish)

@needs_sources
def test_pacific_alliance_13_11_only_to_consider_future_negotiation(r):
    """Alianza del Pacífico 13.11: 'las Partes considerarán a futuro la negociación de compromisos'."""
    assert "considerarán a futuro la negociación de compromisos" in block("PACIFIC_ALLIANCE", "13.11 ")
    p = prov(r["PACIFIC_ALLIANCE"], "13.11")
    assert p.norm.action == "consider" and p.norm.stance is None
    assert not [q for q in r["PACIFIC_ALLIANCE"].provisions()
                if q.norm.action == "cross_border_transfer" and q.norm.strength == "binding"]


@needs_sources
def test_pacific_alliance_procurara_is_best_endeavour(r):
    """Alianza del Pacífico 13.3.4 'cada Parte procurará evitar medidas'; 13.7 'se esforzará por'."""
    assert "procurará evitar medidas" in block("PACIFIC_ALLIANCE", "13.3 ")
    assert strength(r["PACIFIC_ALLIANCE"], "13.3.4") == "best_endeavour"
    assert strength(r["PACIFIC_ALLIANCE"], "13.7.2") == "best_endeavour"


def test_pacific_alliance_13_8_personal_information_binding(r):
    """Alianza del Pacífico 13.8.1: 'Las Partes deberán adoptar o mantener leyes, regulaciones o medidas'."""
    p = prov(r["PACIFIC_ALLIANCE"], "13.8.1.a")
    assert p.norm.strength == "binding" and p.norm.action == "maintain_legal_framework"


def test_spanish_provisions_carry_an_english_gloss(r):
    """Every provision of the Spanish texts has an English `gloss` (the encoder's summary), no translation."""
    for rid in ("PACIFIC_ALLIANCE", "MX_PA_FTA"):
        for p in r[rid].provisions():
            assert p.gloss and not p.translation, (rid, p.ref)
        assert r[rid].regime.language == "es" and "not a translation" in r[rid].regime.note


# ---------------------------------------------------------------- Mexico-Panama (Spanish)

@needs_sources
def test_mx_pa_14_10_binding_free_flow_subject_to_data_protection_law(r):
    """México-Panamá 14.10: 'Cada Parte permitirá que ... transmitan información electrónica ... de conformidad con la legislación aplicable en materia de protección de datos personales'."""
    assert block("MX_PA_FTA", "14.10 ").startswith("Cada Parte permitirá que sus personas")
    p = prov(r["MX_PA_FTA"], "14.10")
    assert p.norm.modality == "must" and p.norm.stance == "allow" and p.norm.action == "cross_border_transfer"
    assert any("protección de datos personales" in c for c in p.norm.conditions)


def test_mx_pa_14_8_only_to_encourage_data_protection_laws(r):
    """México-Panamá 14.8: 'Las Partes fomentarán la adopción o mantenimiento de leyes'."""
    p = prov(r["MX_PA_FTA"], "14.8.a")
    assert p.norm.action == "encourage_legal_framework" and p.norm.action != "maintain_legal_framework"


@needs_sources
def test_mx_pa_14_6_2_en_la_medida_de_lo_posible(r):
    """México-Panamá 14.6.2: 'Las Partes promoverán, en la medida de lo posible, mecanismos alternativos'."""
    assert "promoverán, en la medida de lo posible" in block("MX_PA_FTA", "14.6 ")
    assert strength(r["MX_PA_FTA"], "14.6.2") == "best_endeavour"


# ---------------------------------------------------------------- Korea-Singapore

def test_ksfta_14_4_1_customs_duties_for_products_of_the_other_party(r):
    """KSFTA 14.4.1: no duties on 'a digital product of the other Party by electronic transmission'."""
    p = prov(r["KSFTA"], "14.4.1")
    assert p.norm.modality == "must not" and "of the other Party" in p.norm.conditions[0]


def test_ksfta_14_4_2_customs_valuation_agreement_not_medium_alone(r):
    """KSFTA 14.4.2: value 'in accordance with the Customs Valuation Agreement' (not USSFTA's carrier medium alone)."""
    p = prov(r["KSFTA"], "14.4.2")
    assert p.norm.action == "determine_customs_value"
    assert p.norm.action != prov(r["USSFTA"], "14.3.2").norm.action


def test_ksfta_14_2_2_broadcasting_excluded_everywhere(r):
    """KSFTA 14.2.2: the Chapter does not apply to scheduled content."""
    assert all("broadcasting" in p.excludes for p in r["KSFTA"].provisions())


# ---------------------------------------------------------------- TPP

def test_tpp_14_11_2_binding_with_exception_14_11_3(r):
    """TPP 14.11.2: 'Each Party shall allow the cross-border transfer of information'; qualified by 14.11.3."""
    p = prov(r["TPP"], "14.11.2")
    assert p.norm.modality == "must" and p.norm.stance == "allow"
    assert {"information", "personal_information"} <= set(p.norm.objects)
    e = exc(r["TPP"], "14.11.3")
    assert e.kind == "legitimate_public_policy" and e.applies_to == ["14.11.2"]
    assert "proportionality" in e.tests and "necessity" not in e.tests


def test_tpp_never_in_force_and_related_to_cptpp(r):
    """TPP was signed but never entered into force; CPTPP Article 1 incorporates it."""
    reg = r["TPP"].regime
    assert reg.in_force is None and "never entered into force" in reg.note and "CPTPP Article 1" in reg.note
    for node in r["TPP"].provisions() + r["TPP"].exceptions():
        assert node.note and f"see CPTPP {node.ref}" in node.note, node.ref


def test_tpp_encoding_agrees_with_cptpp(r):
    """Same Chapter 14 text: every TPP provision has the CPTPP provision of the same citation, same norm."""
    cptpp = parse_file(RULES / "cptpp.dtr")
    for p in r["TPP"].provisions():
        q = prov(cptpp, p.ref)
        assert (p.topics, p.norm.modality, p.norm.stance, p.norm.action, p.norm.objects, p.excludes) == \
            (q.topics, q.norm.modality, q.norm.stance, q.norm.action, q.norm.objects, q.excludes), p.ref


def test_tpp_14_13_2_localisation_ban_and_14_17_source_code(r):
    """TPP 14.13.2 'No Party shall require a covered person to use or locate computing facilities'; 14.17.1 source code."""
    assert prov(r["TPP"], "14.13.2").norm.modality == "must not"
    assert exc(r["TPP"], "14.13.3").applies_to == ["14.13.2"]
    assert prov(r["TPP"], "14.17.1").norm.action == "disclose_source_code"


# ---------------------------------------------------------------- the comparison the brief names

def test_compare_data_flows_cptpp_ussfta_korus_chafta():
    """Binding CPTPP 14.11.2; KORUS 15.8 best endeavour; no data-flow article in USSFTA or ChAFTA."""
    row = compare(load_corpus([RULES]), ["CPTPP", "USSFTA", "KORUS", "CHAFTA"],
                  topics="data_flows.*").row("data_flows.cross_border_transfer")
    status = {rid: cell.status for rid, cell in row.cells.items()}
    assert status == {"CPTPP": "binding", "USSFTA": "absent", "KORUS": "best_endeavour", "CHAFTA": "absent"}
    assert row.cells["KORUS"].provisions == ["KORUS 15.8"]


def test_compare_data_flows_later_agreements():
    """Mexico-Panama 14.10 binds ('permitirá'); Pacific Alliance and Japan-Mongolia only consider or recognise."""
    row = compare(load_corpus([RULES]), ["MX_PA_FTA", "PACIFIC_ALLIANCE", "JP_MN_EPA"],
                  topics="data_flows.*").row("data_flows.cross_border_transfer")
    assert row.cells["MX_PA_FTA"].status == "binding"
    assert row.cells["JP_MN_EPA"].status == "recognition"
    assert row.cells["PACIFIC_ALLIANCE"].status != "best_endeavour"
