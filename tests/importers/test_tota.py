"""`dtrc import tota` on the real ToTA files: drafts that check, format and quote verbatim."""
from __future__ import annotations

import shutil
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comparator.cli import app
from comparator.fmt import format_text
from comparator.importers.tota import DEFAULT_CHAPTER, import_file, suggest_modalities
from comparator.parse import parse_text
from comparator.validate import check_paths
from tests.conftest import ROOT

SOURCES = next((p for p in (ROOT.parent / "shared" / "sources", Path("/work/shared/sources")) if p.is_dir()), None)
XML = SOURCES / "tota" / "xml" if SOURCES else Path("missing")
CHAFTA = XML / "pta_141.xml"
FILES = sorted(XML.glob("pta_*.xml"), key=lambda p: int(p.stem.split("_")[1]))
QUOTE_CHECKER = SOURCES.parent / "tools" / "check_quotes.py" if SOURCES else Path("missing")

pytestmark = pytest.mark.skipif(not CHAFTA.exists(), reason="the ToTA XML files are not beside this checkout")
runner = CliRunner()


def corpus(tmp_path: Path) -> Path:
    """A throwaway rules/ folder with the bundled vocabulary, where drafts are checked."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "vocabulary", rules / "vocabulary")
    return rules


def chapter_articles(path: Path) -> list[ET.Element]:
    import re

    body = ET.parse(path).getroot().find("body")
    chapter = next(c for c in body.findall("chapter") if re.search(DEFAULT_CHAPTER, c.get("name", ""), re.I))
    return chapter.findall("article")


def test_chafta_draft_checks_formats_and_keeps_the_facts_of_the_xml(tmp_path):
    rules = corpus(tmp_path)
    out = rules / "chafta.dtr"
    result = runner.invoke(app, ["import", "tota", str(CHAFTA), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["check", str(out)]).exit_code == 0
    assert runner.invoke(app, ["fmt", "--check", str(out)]).exit_code == 0
    rf = parse_text(out.read_text(encoding="utf-8"), str(out)).file
    assert rf.regime.id == "CHAFTA" and rf.regime.title == "Australia - China"
    assert [p.country for p in rf.regime.parties] == ["AU", "CN"]
    assert (str(rf.regime.signed), str(rf.regime.in_force)) == ("2015-06-17", "2015-12-20")
    assert "pta_141.xml" in rf.regime.source and "CC BY-NC 4.0" in rf.regime.note
    xml_articles = chapter_articles(CHAFTA)
    assert len(rf.articles) == len(xml_articles) == 11
    assert [a.title for a in rf.articles] == [a.get("name") for a in xml_articles]
    assert [a.ref for a in rf.articles] == [a.get("number").split()[-1] for a in xml_articles]
    for a, el in zip(rf.articles, xml_articles):
        (p,) = a.provisions
        assert p.status == "unverified" and p.norm is None
        assert p.quote == " ".join("".join(el.itertext()).split())
    by_ref = {a.ref: a.provisions[0] for a in rf.articles}
    # 12.11: "The provisions in Chapter 15 (Dispute Settlement) shall not apply ..."
    assert "must not (\u201cshall not\u201d \u00d71)" in by_ref["12.11"].note
    assert "must (" not in by_ref["12.11"].note
    # 12.1 recognises, then endeavours: both named, in the order the words come.
    note = by_ref["12.1"].note
    assert note.index("recognises") < note.index("should (\u201cshall endeavour\u201d")
    assert "must be encoded by a lawyer" in note
    assert by_ref["12.3"].topics == ["customs_duties.electronic_transmissions"]
    assert by_ref["12.2"].topics == []  # "Definitions": no topic is guessed


def test_without_output_the_draft_goes_to_stdout_and_the_id_comes_from_the_treaty():
    result = runner.invoke(app, ["import", "tota", str(CHAFTA)])
    assert result.exit_code == 0
    assert result.stdout.startswith('regime TOTA_141 "Australia - China" {')
    result = runner.invoke(app, ["import", "tota", str(CHAFTA), "--id", "CHAFTA", "--chapter", "Transparency"])
    assert result.exit_code == 0
    assert result.stdout.startswith("regime CHAFTA ") and 'article 13.1 "' in result.stdout


def test_suggested_modalities_follow_the_words():
    found = suggest_modalities("No Party shall require X. Each Party shall endeavour to Y. The Parties recognise Z. "
                               "A Party may W. Each Party shall V, and shall U.")
    assert found == [("must not", "no party shall", 1), ("should", "shall endeavour", 1),
                     ("recognises", "recognise", 1), ("may", "may", 1), ("must", "shall", 2)]
    # Spanish says "shall" with the future tense (TPP 14.3.1 in pta_450: "Ninguna Parte impondrá ...").
    found = suggest_modalities("Ninguna Parte impondrá derechos. Cada Parte procurará X. Cada Parte adoptará Y. "
                               "Las Partes reconocen Z. Una Parte podrá W.")
    assert [m for m, _, _ in found] == ["must not", "should", "must", "recognises", "may"]


@pytest.fixture(scope="module")
def all_drafts(tmp_path_factory):
    """Every ToTA file imported in-process into one corpus, checked once."""
    rules = corpus(tmp_path_factory.mktemp("tota"))
    drafts, started = {}, time.perf_counter()
    for path in FILES:
        draft = import_file(path, output_name=str(rules / f"{path.stem}.dtr"))
        (rules / f"{path.stem}.dtr").write_text(draft.text, encoding="utf-8")
        drafts[path.name] = draft
    elapsed = time.perf_counter() - started
    result = check_paths([rules])
    errors: dict[str, list[str]] = {}
    for d in result.errors:
        errors.setdefault(Path(d.span.path).stem + ".xml" if d.span else "?", []).append(d.message)
    return rules, drafts, errors, elapsed


def test_there_are_59_tota_files():
    assert len(FILES) == 59


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_tota_file_imports_checks_and_is_formatted(all_drafts, path):
    _rules, drafts, errors, _elapsed = all_drafts
    draft = drafts[path.name]
    assert errors.get(path.name, []) == []
    assert format_text(draft.text) == draft.text
    assert len(draft.rule_file.articles) == len(chapter_articles(path))


def test_importing_all_files_is_quick(all_drafts):
    *_, elapsed = all_drafts
    assert elapsed < 30, f"importing {len(FILES)} files took {elapsed:.1f}s"


@pytest.mark.skipif(not QUOTE_CHECKER.exists(), reason="check_quotes.py is not beside the sources")
def test_draft_quotes_are_found_verbatim_in_the_sources(all_drafts, tmp_path):
    import subprocess
    import sys

    # Three drafts, not 59: the checker takes about 40 ms a quote here (all 649: about 27 s).
    rules, *_ = all_drafts
    for name in ("pta_141", "pta_449", "pta_450"):  # ChAFTA, TPP in English and in Spanish
        shutil.copy(rules / f"{name}.dtr", tmp_path / f"{name}.dtr")
    out = subprocess.run([sys.executable, str(QUOTE_CHECKER), str(tmp_path), str(SOURCES)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and " 0 not found" in out.stdout, out.stdout + out.stderr


# ---------------------------------------------------------------- bad input: exit 1, message, nothing written

def _bad(tmp_path, xml: str, *args: str):
    src = tmp_path / "in.xml"
    src.write_text(xml, encoding="utf-8")
    out = tmp_path / "out.dtr"
    result = runner.invoke(app, ["import", "tota", str(src), "-o", str(out), *args])
    return result, out


def _chafta_with(old: str, new: str) -> str:
    text = CHAFTA.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def test_bad_xml_is_a_clear_error_and_writes_nothing(tmp_path):
    result, out = _bad(tmp_path, _chafta_with("</meta>", "</mta>"))
    assert result.exit_code == 1
    assert "in.xml:30:5: not well-formed XML (mismatched tag)" in result.output
    assert "   30 |   </mta>\n        |     ^\n" in result.output  # the line, a caret under the bad tag
    assert f"nothing written to {out}" in result.output
    assert "hint:" in result.output and "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "in.xml"]


def test_missing_chapter_lists_the_chapters(tmp_path):
    result, out = _bad(tmp_path, CHAFTA.read_text(encoding="utf-8"), "--chapter", "space travel")
    assert result.exit_code == 1
    assert "no chapter whose number or name matches `space travel`" in result.output
    assert "CHAPTER 12 Electronic Commerce" in result.output  # the hint names what there is
    assert not out.exists()


def test_unknown_country_code_is_named(tmp_path):
    result, out = _bad(tmp_path, _chafta_with('<partyisocode n="2">CHN</partyisocode>\n    </parties>',
                                              '<partyisocode n="2">XXQ</partyisocode>\n    </parties>'))
    assert result.exit_code == 1
    assert "not ISO 3166-1 alpha-3: XXQ" in result.output
    assert not out.exists()


def test_existing_output_is_kept_without_force(tmp_path):
    out = tmp_path / "chafta.dtr"
    out.write_text("# mine\n", encoding="utf-8")
    result = runner.invoke(app, ["import", "tota", str(CHAFTA), "-o", str(out)])
    assert result.exit_code == 1 and "already exists" in result.output and "--force" in result.output
    assert out.read_text(encoding="utf-8") == "# mine\n"
    assert runner.invoke(app, ["import", "tota", str(CHAFTA), "-o", str(out), "--force"]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("regime CHAFTA ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chafta.dtr"]  # no temporary file left


def test_contradictory_dates_are_left_out_and_said(tmp_path):
    # pta_392 (EU - Ukraine): ToTA gives entry into force 2014-04-23, before signature 2014-06-27.
    draft = import_file(XML / "pta_392.xml")
    assert draft.rule_file.regime.in_force is None
    assert "before signature" in draft.rule_file.regime.note


def test_a_draft_loads_into_a_database_and_reads_back_the_same(tmp_path):
    from comparator.model import semantic_equal
    from comparator.store import load_corpus_from_db

    rules = corpus(tmp_path)
    out = rules / "chafta.dtr"
    assert runner.invoke(app, ["import", "tota", str(CHAFTA), "-o", str(out)]).exit_code == 0
    url = f"sqlite:///{tmp_path / 'rules.db'}"
    loaded = runner.invoke(app, ["load", str(rules), "--db", url])
    assert loaded.exit_code == 0, loaded.output
    stored = load_corpus_from_db(url).regimes["CHAFTA"]
    assert semantic_equal(stored.articles[0], parse_text(out.read_text(encoding="utf-8"), str(out)).file.articles[0])
    assert [p.norm for p in stored.provisions()] == [None] * 11


def test_a_spanish_text_is_drafted_as_spanish_and_asks_for_english_once_verified(tmp_path):
    # pta_338 (Chile - Colombia) is held by ToTA in Spanish only (<language>es</language>).
    rules = corpus(tmp_path)
    out = rules / "cl_co.dtr"
    assert runner.invoke(app, ["import", "tota", str(XML / "pta_338.xml"), "-o", str(out)]).exit_code == 0
    rf = parse_text(out.read_text(encoding="utf-8"), str(out)).file
    assert rf.regime.language == "es"
    assert runner.invoke(app, ["check", str(out)]).exit_code == 0  # drafts are unverified: no E050 yet
    # A lawyer who marks a provision verified without giving English beside it is stopped.
    out.write_text(out.read_text(encoding="utf-8").replace("status: unverified", "status: verified", 1),
                   encoding="utf-8")
    codes = {d.code for d in check_paths([out]).errors}
    assert "E050" in codes
    # The English-language TPP text stays English.
    assert import_file(XML / "pta_449.xml").rule_file.regime.language == "en"
