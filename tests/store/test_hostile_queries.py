"""Hostile regime ids and search strings on SQLite and PostgreSQL (issue 14): every entry point
binds them as parameters, so they match only themselves, literally — a clear "unknown regime"
(exit 2) or an empty result, never a wildcard match, never an SQL error, and every table intact.
"""
from __future__ import annotations

import pytest

from comparator import store

HOSTILE = ["' OR 1=1 --", "ALPHA' OR '1'='1", "ALPHA; DROP TABLE regimes; --", "%", "_", "\\", "ALPH_", "AL%",
           '"; DELETE FROM provisions; --', "ALPHA\x00", "ＡＬＰＨＡ"]
# Through the CLI (slower: a load per case), one of each shape.
HOSTILE_CLI = ["' OR 1=1 --", "ALPHA; DROP TABLE regimes; --", "%", "ALPH_", "ALPHA\x00"]


@pytest.fixture
def loaded(db_url, corpus):
    store.load_paths([corpus], db_url)
    return db_url


def _no_traceback(result):
    assert "Traceback" not in result.output and "sqlalchemy" not in result.output.lower(), result.output


@pytest.mark.parametrize("regime", HOSTILE_CLI)
def test_hostile_regime_ids_are_unknown_regimes_and_change_nothing(cli, loaded, dump_db, regime, tmp_path):
    before = dump_db(loaded)
    for args in (["show", regime], ["show", "ALPHA", regime], ["export", regime],
                 ["export", regime, "-o", tmp_path / "out.dtr"], ["compare", "ALPHA", regime],
                 ["conflicts", "--regimes", "ALPHA", regime]):
        result = cli(*args, "--db", loaded)
        _no_traceback(result)
        assert result.exit_code == 2, (args, result.output)
        assert result.output.startswith("dtrc: ") and "hint: " in result.output, (args, result.output)
    assert not (tmp_path / "out.dtr").exists()
    listed = cli("list", "--db", loaded)
    assert listed.exit_code == 0 and "2 regime(s) loaded" in listed.stdout
    assert dump_db(loaded) == before


def test_search_strings_match_only_themselves(loaded, dump_db):
    before = dump_db(loaded)
    percent = store.search_provisions("0%", loaded)
    assert [h.quote for h in percent] and all("100%" in h.quote for h in percent)
    # `%` and `_` are LIKE wildcards: escaped, they match the one quote that holds them literally.
    assert [(h.regime, h.ref) for h in store.search_provisions("%", loaded)] == [(h.regime, h.ref) for h in percent]
    underscore = store.search_provisions("e_d", loaded)
    assert underscore and all("e_d" in " ".join([h.quote or "", h.action or "", *h.topics, *h.objects]).lower()
                              for h in underscore)
    assert store.search_provisions("sh_ll", loaded) == []  # a wildcard would have matched "shall"
    assert store.search_provisions("shall", loaded)
    for text in ["\\", "' OR 1=1 --", "' OR '1'='1", "%%%", "\\%", "_%_", "'); DROP TABLE provisions; --"]:
        assert store.search_provisions(text, loaded) == [], text
    for regime in HOSTILE:
        assert store.search_provisions("shall", loaded, regime=regime) == []
        assert store.find_provisions(loaded, regime=regime) == []
        assert store.find_provisions(loaded, topic=regime) == []
    assert dump_db(loaded) == before


def test_a_nul_matches_nothing_on_either_database(loaded):
    # PostgreSQL text cannot hold NUL: asking it would be a driver error, not an empty result.
    assert store.search_provisions("sh\x00all", loaded) == []
    assert store.search_provisions("shall", loaded, regime="ALPHA\x00") == []
    assert store.find_provisions(loaded, topic="data\x00") == []
