"""The English beside a non-English quote survives the database, and search finds it."""
from __future__ import annotations

import json
from pathlib import Path

from comparator import store
from comparator.validate import check_paths

RULES = Path(__file__).resolve().parents[2] / "rules"


def _load_pipl(db_url: str):
    result = check_paths(store.with_vocabulary([RULES / "cn_pipl.dtr"]))
    assert not result.errors, [d.message for d in result.errors]
    store.store_files([(rf, result.texts[rf.path]) for rf in result.corpus.files], db_url)
    return next(rf for rf in result.corpus.files if rf.regime and rf.regime.id == "CN_PIPL")


def test_translation_gloss_and_languages_round_trip(db_url):
    parsed = _load_pipl(db_url)
    stored = next(f for f in store.load_corpus_from_db(db_url).files if f.regime and f.regime.id == "CN_PIPL")
    assert (stored.regime.language, stored.regime.authentic) == (parsed.regime.language, parsed.regime.authentic) == ("zh", ["zh"])
    pairs = lambda rf: [(p.ref, p.translation_text, p.translation_source, p.gloss)  # noqa: E731
                        for a in rf.articles for p in [*a.provisions, *a.exceptions]]
    assert pairs(stored) == pairs(parsed)
    assert any(t for _, t, _, _ in pairs(stored)) and any(g for *_, g in pairs(stored))


def test_search_matches_the_translation_and_the_gloss(db_url):
    _load_pipl(db_url)
    by_translation = store.search_provisions("Personal information handled by state organs", db_url)
    assert [h.citation for h in by_translation] == ["CN_PIPL 36"]
    hit = by_translation[0]
    assert (hit.quote_language, hit.translation_language, hit.translation_authentic) == ("zh", "en", False)
    assert hit.translation_source.startswith("unofficial translation")
    by_gloss = store.search_provisions("conduct of natural persons inside China", db_url)
    assert "CN_PIPL 3.2.2" in [h.citation for h in by_gloss]
    assert by_gloss[0].gloss


def test_show_puts_the_english_under_the_original_with_its_label(cli, db_url):
    _load_pipl(db_url)
    out = cli("show", "CN_PIPL", "36", "--db", db_url).stdout
    original = out.index("第三十六条 国家机关处理的个人信息应当在中华人民共和国境内存储")
    english = out.index("Unofficial translation — XL Law & Consulting (pipl.xllawconsulting.com):")
    assert original < english < out.index("Personal information handled by state organs")
    assert "language: Chinese (zh); authentic: Chinese (zh)" in out
    scope = cli("show", "CN_PIPL", "3", "--db", db_url).stdout
    assert "English summary by the encoder (not a translation): This Law applies" in scope


def test_dtrc_search_finds_a_provision_by_its_translation_and_shows_both(cli, db_url):
    _load_pipl(db_url)
    out = cli("search", "handled by state organs", "--db", db_url).stdout
    assert "CN_PIPL 36" in out and "1 provision(s)" in out
    assert out.index("第三十六条") < out.index("Unofficial translation — XL Law & Consulting")
    data = json.loads(cli("search", "inside China", "--db", db_url, "--format", "json").stdout)
    glossed = [h for h in data["provisions"] if h["gloss"]]
    assert glossed and all(h["quote_language"] == "zh" for h in glossed)
