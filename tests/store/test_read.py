"""Read side: `dtrc list/show/export`, and the helpers the comparison engine and UI call."""
from __future__ import annotations

import json

import pytest

from comparator import store
from comparator.fmt import format_file
from comparator.parse import parse_file


@pytest.fixture
def loaded(db_url, corpus):
    store.load_paths([corpus], db_url)
    return db_url


def test_list_text(cli, loaded):
    result = cli("list", "--db", loaded)
    assert result.exit_code == 0, result.output
    rows = [ln for ln in result.stdout.splitlines() if ln.startswith("│")]
    assert [r.split("│")[1].strip() for r in rows] == ["ALPHA", "BETA"]
    alpha = [c.strip() for c in rows[0].split("│")[1:-1]]
    assert alpha[:4] == ["ALPHA", "trade_agreement", "SG, GB, FR", "3"]
    assert alpha[5] == "corpus/alpha.dtr"
    assert "2 regime(s) loaded" in result.stdout


def test_list_json(cli, loaded):
    result = cli("list", "--db", loaded, "--format", "json")
    assert result.exit_code == 0, result.output
    regimes = json.loads(result.stdout)["regimes"]
    assert [(r["id"], r["kind"], r["parties"], r["jurisdiction"], r["provisions"]) for r in regimes] == [
        ("ALPHA", "trade_agreement", ["SG", "GB", "FR"], [], 3), ("BETA", "domestic_law", [], ["EU"], 2)]
    assert regimes[0]["path"] == "corpus/alpha.dtr" and len(regimes[0]["sha256"]) == 64
    assert regimes[0]["loaded_at"].endswith("Z") or regimes[0]["loaded_at"].endswith("+00:00")


def test_show_regime_and_article(cli, loaded):
    result = cli("show", "ALPHA", "--db", loaded)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert 'ALPHA A "fixture" agreement' in out
    assert "parties: SG, GB (from 2024-12-15), FR (from 2020-01-01) (until 2022-12-31)" in out
    assert "dispute settlement: applies, except 1.1" in out
    assert "│ 1       │ Cross-border transfer" in out
    article = cli("show", "ALPHA", "1", "--db", loaded).stdout
    assert "ALPHA 1.1  topic: data_flows.cross_border_transfer  (binding)" in article
    assert "party must allow cross_border_transfer on information, personal_data" in article
    assert "when for the conduct of business" in article and "unless 1.3" in article
    assert "exception 1.3 legitimate_public_policy applies to 1.1, 1.2" in article
    assert "(translation)" in article and "status: unverified" in article
    # Items in the author's order: 1.1, exception 1.3, 1.2, then the definitions.
    assert article.index("ALPHA 1.1") < article.index("exception 1.3") < article.index("ALPHA 1.2")


def test_show_unknown_names_exit_2_with_a_hint(cli, loaded):
    result = cli("show", "ALPHAA", "--db", loaded)
    assert result.exit_code == 2
    assert result.stderr == "dtrc: no regime ALPHAA is loaded\n  hint: did you mean ALPHA?\n"
    result = cli("show", "ALPHA", "9", "--db", loaded)
    assert result.exit_code == 2 and "ALPHA has no article 9" in result.stderr


def test_export_to_a_file_and_a_vocabulary_file(cli, loaded, corpus, tmp_path):
    out = tmp_path / "alpha.dtr"
    result = cli("export", "ALPHA", "-o", out, "--db", loaded)
    assert result.exit_code == 0, result.output
    original = parse_file(corpus / "alpha.dtr")
    assert out.read_text(encoding="utf-8") == format_file(original.model_copy(update={"comments": []}))
    vocab = cli("export", "corpus/vocabulary/core.dtr", "--db", loaded)
    assert vocab.exit_code == 0
    assert vocab.stdout == format_file(parse_file(corpus / "vocabulary" / "core.dtr").model_copy(update={"comments": []}))


def test_export_to_an_unwritable_place_is_a_plain_error(cli, loaded, tmp_path):
    result = cli("export", "ALPHA", "-o", tmp_path / "no" / "such" / "dir.dtr", "--db", loaded)
    assert result.exit_code == 2 and result.stderr.startswith("dtrc: cannot write ")


def test_readers_never_create_a_database(cli, tmp_path):
    target = tmp_path / "none.sqlite"
    for args in (["list"], ["show", "X"], ["export", "X"]):
        result = cli(*args, "--db", f"sqlite:///{target}")
        assert result.exit_code == 2
        assert "no rules loaded" in result.stderr and "dtrc load rules/" in result.stderr
    assert not target.exists()


def test_lookups_by_topic_action_object(loaded):
    by_topic = store.find_provisions(loaded, topic="localisation.computing_facilities")
    assert [h.citation for h in by_topic] == ["ALPHA 2.1"]
    by_action = store.find_provisions(loaded, action="cross_border_transfer")
    assert [h.citation for h in by_action] == ["ALPHA 1.1", "ALPHA 1.2", "BETA 44", "BETA 45"]
    by_object = store.find_provisions(loaded, object="personal_data", regime="BETA")
    assert [h.citation for h in by_object] == ["BETA 44"]
    assert by_object[0].path == "corpus/beta.dtr" and by_object[0].line == 11


def test_search_is_case_insensitive_and_treats_wildcards_literally(loaded):
    assert [h.citation for h in store.search_provisions("COMMISSION", loaded)] == ["BETA 45"]
    assert [h.citation for h in store.search_provisions("100%", loaded)] == ["ALPHA 1.1"]
    assert [h.citation for h in store.search_provisions("the_data", loaded)] == ["ALPHA 1.1"]
    assert store.search_provisions("100_", loaded) == []
    # Conditions and other list values are searched too.
    assert [h.citation for h in store.search_provisions("conduct of business", loaded)] == ["ALPHA 1.1"]


def test_get_regime_gives_the_models(loaded):
    rf = store.get_regime("BETA", loaded)
    assert rf.regime.jurisdiction == ["EU"] and [p.ref for p in rf.provisions()] == ["44", "45"]
    assert rf.provisions()[0].norm.unless == ["45"] and rf.provisions()[0].span.line == 11
    assert (rf.regime.covers, rf.regime.not_encoded) == (["data_flows.*"], ["localisation.computing_facilities"])


def test_default_database_is_var_dtrc_sqlite_in_the_working_directory(cli, corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    try:
        result = cli("load", corpus / "beta.dtr")
        assert result.exit_code == 0, result.output
        assert (tmp_path / "var" / "dtrc.sqlite").is_file()
        assert f"in sqlite:///{tmp_path}/var/dtrc.sqlite" in result.stdout
    finally:
        store.dispose_engine(None)


def test_database_url_from_the_environment(cli, corpus, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'env.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    try:
        assert cli("load", corpus / "beta.dtr").exit_code == 0
        assert [r.id for r in store.list_regimes()] == ["BETA"]
    finally:
        store.dispose_engine(url)


def test_postgres_urls_use_the_shipped_driver():
    assert store.resolve_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert store.resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert store.resolve_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
