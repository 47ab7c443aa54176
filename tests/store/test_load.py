"""`dtrc load`: all or nothing, hash skip, replacement, same findings as `dtrc check`."""
from __future__ import annotations

from pathlib import Path

import pytest

from comparator import store
from comparator.model import Regime
from comparator.validate import check_paths


def test_load_stores_every_file_of_the_corpus(cli, db_url, corpus):
    result = cli("load", corpus / "alpha.dtr", corpus / "beta.dtr", corpus / "expectations.dtr", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no progress bar off a terminal
    # The vocabulary of the corpus comes along: a stored regime needs the terms it was checked against.
    assert sorted(f.path for f in store.list_files(db_url)) == [
        "corpus/alpha.dtr", "corpus/beta.dtr", "corpus/expectations.dtr", "corpus/vocabulary/core.dtr"]
    assert "4 file(s): 4 added, 0 replaced, 0 unchanged" in result.stdout
    corpus_db = store.load_corpus_from_db(db_url)
    assert sorted(corpus_db.regimes) == ["ALPHA", "BETA"]
    assert len(corpus_db.terms) == 16 and len(corpus_db.expectations) == 2


def test_a_broken_file_writes_nothing_and_reports_like_check(cli, db_url, corpus, dump_db):
    assert cli("load", corpus, "--db", db_url).exit_code == 0
    before = dump_db(db_url)
    # One good change and one broken file in the same batch: neither may reach the database.
    alpha = corpus / "alpha.dtr"
    alpha.write_text(alpha.read_text().replace("a regime note", "a changed note"))
    (corpus / "broken.dtr").write_text('regime BROKEN "Broken" {\n  kind: trade_agreement\n  parties: XX\n}\n'
                                       "article 1 {\n  provision 1.1 {\n    topic: no_such_topic\n"
                                       "    party must allow transfer of information\n  }\n}\n")
    result = cli("load", corpus, "--db", db_url)
    assert result.exit_code == 1
    checked = cli("check", corpus)
    assert checked.exit_code == 1
    assert result.stderr.startswith(checked.stderr)  # the same findings, the same words
    assert "broken.dtr:3:12: error[E013]" in result.stderr
    assert result.stderr.endswith("dtrc: nothing loaded (fix the errors above and load again)\n")
    assert result.stdout == ""
    assert dump_db(db_url) == before


def test_no_database_is_created_when_the_first_load_fails(cli, tmp_path, corpus):
    (corpus / "beta.dtr").write_text((corpus / "beta.dtr").read_text().replace("kind: domestic_law", "kind: law"))
    target = tmp_path / "var" / "fresh.sqlite"
    result = cli("load", corpus, "--db", f"sqlite:///{target}")
    assert result.exit_code == 1 and "error[E014]" in result.stderr
    assert not target.exists()


def test_a_database_error_midway_rolls_back_the_whole_batch(db_url, corpus, dump_db):
    store.load_paths([corpus], db_url)
    before = dump_db(db_url)
    result = check_paths(store.with_vocabulary([corpus]))
    files = [(rf, result.texts[rf.path]) for rf in result.corpus.files]
    changed = [(rf, text + "\n# changed\n") for rf, text in files]
    # A regime with no kind violates NOT NULL in the database itself, after other files were written.
    beta = next(rf for rf, _ in changed if rf.regime and rf.regime.id == "BETA")
    beta.regime = Regime.model_construct(**{**beta.regime.__dict__, "kind": None})
    with pytest.raises(store.StoreError, match="database"):
        store.store_files(changed, db_url)
    assert dump_db(db_url) == before


def test_reload_replaces_changed_files_and_skips_unchanged_ones(cli, db_url, corpus):
    first = cli("load", corpus, "--db", db_url)
    assert first.exit_code == 0, first.output
    alpha = corpus / "alpha.dtr"
    alpha.write_text(alpha.read_text().replace("Nothing in this Article shall prevent a Party",
                                               "Nothing in this Article prevents a Party"))
    second = cli("load", corpus, "--db", db_url)
    assert second.exit_code == 0, second.output
    lines = second.stdout.splitlines()
    assert "replaced  corpus/alpha.dtr [ALPHA]" in lines
    assert "unchanged corpus/beta.dtr [BETA] (same content, skipped)" in lines
    assert "unchanged corpus/vocabulary/core.dtr (same content, skipped)" in lines
    assert lines[-1].startswith("4 file(s): 0 added, 1 replaced, 3 unchanged")
    exception = store.get_regime("ALPHA", db_url).exceptions()[0]
    assert exception.quote == "Nothing in this Article prevents a Party"
    # Replaced, not duplicated: one ALPHA, the same provision count.
    assert [(r.id, r.provisions) for r in store.list_regimes(db_url)] == [("ALPHA", 3), ("BETA", 2)]
    history = store.load_history(db_url)
    assert len(history) == 8 and {h.batch for h in history[:4]} != {h.batch for h in history[4:]}
    assert [h.action for h in history if h.path == "corpus/alpha.dtr"] == ["replaced", "added"]
    newest_alpha = next(h for h in history if h.path == "corpus/alpha.dtr")
    assert newest_alpha.sha256 == store.sha256_text(alpha.read_text(encoding="utf-8"))
    assert newest_alpha.loaded_by  # the OS user, when the system knows one


def test_force_rewrites_unchanged_files(cli, db_url, corpus):
    cli("load", corpus, "--db", db_url)
    result = cli("load", corpus / "beta.dtr", "--db", db_url, "--force")
    assert result.exit_code == 0
    assert "replaced  corpus/beta.dtr [BETA]" in result.stdout


def test_a_moved_regime_file_replaces_the_old_copy(cli, db_url, corpus):
    cli("load", corpus, "--db", db_url)
    (corpus / "beta.dtr").rename(corpus / "beta_act.dtr")
    result = cli("load", corpus / "beta_act.dtr", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert "replaced  corpus/beta_act.dtr [BETA] (was loaded from corpus/beta.dtr)" in result.stdout
    assert [f.path for f in store.list_files(db_url) if f.regime == "BETA"] == ["corpus/beta_act.dtr"]


def test_the_file_key_does_not_depend_on_the_working_directory(corpus, monkeypatch):
    key = store.source_key(corpus / "vocabulary" / "core.dtr")
    monkeypatch.chdir(corpus / "vocabulary")
    assert store.source_key(Path("core.dtr")) == key == "corpus/vocabulary/core.dtr"


def test_unreachable_server_is_one_plain_message(cli, corpus):
    result = cli("load", corpus, "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert result.exit_code == 2
    assert result.stderr.startswith("dtrc: database postgresql+psycopg://nobody@127.0.0.1:1/none:")
    assert "Traceback" not in result.output


def test_a_bad_url_is_a_usage_error(cli, corpus):
    result = cli("list", "--db", "nosuchdb://x")
    assert result.exit_code == 2 and "cannot use database URL 'nosuchdb://x'" in result.stderr
