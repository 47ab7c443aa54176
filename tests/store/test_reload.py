"""`dtrc load` after a change parses only what changed, and decides as the full load would.

Every test compares the reload with the full check and store it replaces (the same load
with :func:`comparator.store.reload_paths` switched off): the same findings word for word,
the same rows, nothing written on a refusal.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text

from comparator import store
from comparator.parse import parse_text, read_source
from comparator.store import reload as reload_module
from comparator.store.schema import SourceFile
from comparator.validate import TERM_USE_KINDS, collect_files

REPO = Path(__file__).resolve().parents[2]
CROSS_FILE_KINDS = {*TERM_USE_KINDS, "term", "topic_pattern", "bound", "country", "regime"}


@pytest.fixture
def full(monkeypatch):
    """Run the CLI with the reload switched off: today's full check and store, to compare with."""
    def off(*args, **kwargs):
        return None

    def run(cli, *args):
        with monkeypatch.context() as m:
            m.setattr(store, "reload_paths", off)
            return cli(*args)

    return run


def _rows(url: str) -> dict[str, list[tuple]]:
    """Every table's rows without the columns that say when (timestamps, batch ids)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            out = {}
            for table in sorted(inspect(conn).get_table_names()):
                names = [c["name"] for c in inspect(conn).get_columns(table) if c["name"] not in ("loaded_at", "batch")]
                cols = ", ".join(f'"{n}"' for n in names)
                out[table] = sorted((tuple(r) for r in conn.execute(text(f'SELECT {cols} FROM "{table}"'))), key=repr)
            return out
    finally:
        engine.dispose()


def _edit(path: Path, old: str, new: str) -> None:
    body = path.read_text(encoding="utf-8")
    assert old in body, f"{old!r} not in {path}"
    path.write_text(body.replace(old, new), encoding="utf-8")


def _second_db(db_url: str, tmp_path: Path, request) -> str:
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'other.sqlite'}"
    return request.getfixturevalue("pg_other")


@pytest.fixture
def pg_other(pg_server_url):
    from tests.store.conftest import throwaway_pg_database

    with throwaway_pg_database(pg_server_url, prefix="r") as url:
        yield url


# ---------------------------------------------------------------------------- a valid change

def test_a_changed_file_is_parsed_and_stored_as_a_full_load_stores_it(cli, full, db_url, corpus, tmp_path, request):
    other = _second_db(db_url, tmp_path, request)
    for url in (db_url, other):
        assert cli("load", corpus, "--db", url).exit_code == 0
    _edit(corpus / "beta.dtr", "kind: domestic_law", "kind: domestic_law\n  note: \"one comma, fixed\"")
    quick = cli("load", corpus, "--db", db_url)
    slow = full(cli, "load", corpus, "--db", other)
    assert quick.exit_code == slow.exit_code == 0, quick.output
    assert quick.stderr == slow.stderr == ""
    # The same outcomes; one line more says what was parsed (beta, and the vocabulary).
    lines = quick.stdout.splitlines()
    assert "parsed 3 of 4 file(s); the other 1 are unchanged and were checked against the database" in lines
    assert [ln for ln in lines if not ln.startswith("parsed ")] == [
        ln.replace(other, db_url) for ln in slow.stdout.splitlines()]
    assert "replaced  corpus/beta.dtr [BETA]" in lines
    assert _rows(db_url) == _rows(other)


def test_nothing_changed_parses_only_the_vocabulary(cli, db_url, corpus):
    cli("load", corpus, "--db", db_url)
    again = cli("load", corpus, "--db", db_url)
    assert again.exit_code == 0
    assert "parsed 2 of 4 file(s)" in again.stdout  # vocabulary/core.dtr and alpha.dtr (it has a vocabulary block)
    assert again.stdout.splitlines()[-1].startswith("4 file(s): 0 added, 0 replaced, 4 unchanged")


def test_force_still_rewrites_every_file(cli, db_url, corpus):
    cli("load", corpus, "--db", db_url)
    forced = cli("load", corpus, "--db", db_url, "--force")
    assert forced.exit_code == 0
    assert "parsed" not in forced.stdout
    assert forced.stdout.splitlines()[-1].startswith("4 file(s): 0 added, 4 replaced, 0 unchanged")


def test_a_new_file_and_a_moved_one_are_stored_as_a_full_load_stores_them(cli, full, db_url, corpus, tmp_path,
                                                                          request):
    other = _second_db(db_url, tmp_path, request)
    for url in (db_url, other):
        cli("load", corpus, "--db", url)
    (corpus / "beta.dtr").rename(corpus / "beta_act.dtr")
    (corpus / "gamma.dtr").write_text(
        (corpus / "alpha.dtr").read_text(encoding="utf-8").replace("regime ALPHA", "regime GAMMA")
        .split("vocabulary {")[0], encoding="utf-8")
    quick = cli("load", corpus, "--db", db_url)
    slow = full(cli, "load", corpus, "--db", other)
    assert quick.exit_code == slow.exit_code == 0, quick.output + slow.output
    assert "replaced  corpus/beta_act.dtr [BETA] (was loaded from corpus/beta.dtr)" in quick.stdout
    assert "added     corpus/gamma.dtr [GAMMA]" in quick.stdout
    assert _rows(db_url) == _rows(other)


# ---------------------------------------------------------------------------- refusals

def _refuses_like_a_full_load(cli, full, db_url, corpus, dump_db, code: str):
    before = dump_db(db_url)
    quick = cli("load", corpus, "--db", db_url)
    slow = full(cli, "load", corpus, "--db", db_url)
    assert quick.exit_code == slow.exit_code == 1
    assert quick.stderr == slow.stderr
    assert f"error[{code}]" in quick.stderr
    assert quick.stdout == ""
    assert dump_db(db_url) == before
    return quick.stderr


def test_a_term_removed_from_the_vocabulary_that_a_changed_file_now_uses(cli, full, db_url, corpus, dump_db):
    cli("load", corpus, "--db", db_url)
    _edit(corpus / "vocabulary" / "core.dtr", "test necessity", "test necessity_removed")
    _edit(corpus / "alpha.dtr", 'note: "a regime note"', 'note: "a regime note, edited"')
    err = _refuses_like_a_full_load(cli, full, db_url, corpus, dump_db, "E010")
    assert "unknown term `necessity`" in err


def test_a_term_only_a_changed_file_defined_and_an_unchanged_file_uses(cli, full, db_url, corpus, dump_db):
    # alpha declares `alpha_only` in its own vocabulary block; beta (unchanged) uses it.
    _edit(corpus / "alpha.dtr", "vocabulary {", 'vocabulary {\n  scope alpha_only "a scope only alpha declares"')
    _edit(corpus / "beta.dtr", "topic: data_flows.cross_border_transfer",
          "topic: data_flows.cross_border_transfer\n    excludes: alpha_only")
    assert cli("load", corpus, "--db", db_url).exit_code == 0
    _edit(corpus / "alpha.dtr", '\n  scope alpha_only "a scope only alpha declares"', "")
    err = _refuses_like_a_full_load(cli, full, db_url, corpus, dump_db, "E010")
    assert "beta.dtr" in err and "alpha_only" in err


def test_a_citation_removed_that_an_unchanged_expectation_names(cli, full, db_url, corpus, dump_db):
    cli("load", corpus, "--db", db_url)
    assert "BETA 45" in (corpus / "expectations.dtr").read_text(encoding="utf-8")
    for old, new in (("article 45 ", "article 46 "), ("provision 45 ", "provision 46 "), ("unless 45", "unless 46")):
        _edit(corpus / "beta.dtr", old, new)
    err = _refuses_like_a_full_load(cli, full, db_url, corpus, dump_db, "E021")
    assert "expectations.dtr:3:" in err and "BETA has no article or provision 45" in err


def test_an_alias_removed_that_an_unchanged_file_uses(cli, full, db_url, corpus, dump_db):
    cli("load", corpus, "--db", db_url)
    _edit(corpus / "vocabulary" / "core.dtr", "aliases: personal_data", "aliases: personal_data_removed")
    err = _refuses_like_a_full_load(cli, full, db_url, corpus, dump_db, "E010")
    assert "beta.dtr:13:" in err and "unknown term `personal_data`" in err


def test_a_regime_renamed_that_an_unchanged_expectation_names(cli, full, db_url, corpus, dump_db):
    cli("load", corpus, "--db", db_url)
    _edit(corpus / "beta.dtr", "regime BETA", "regime BETA_ACT")
    _refuses_like_a_full_load(cli, full, db_url, corpus, dump_db, "E023")


def test_a_duplicate_regime_id_is_refused(cli, full, db_url, corpus, dump_db):
    cli("load", corpus, "--db", db_url)
    (corpus / "beta_copy.dtr").write_text((corpus / "beta.dtr").read_text(encoding="utf-8"), encoding="utf-8")
    _refuses_like_a_full_load(cli, full, db_url, corpus, dump_db, "E020")
    (corpus / "beta_copy.dtr").unlink()
    _edit(corpus / "alpha.dtr", "regime ALPHA", "regime BETA")
    _refuses_like_a_full_load(cli, full, db_url, corpus, dump_db, "E020")


def test_a_changed_expectation_is_checked_against_the_stored_regimes(cli, full, db_url, corpus, dump_db):
    # The expectations file changes; the regimes it names are stored, unchanged, and not parsed.
    cli("load", corpus, "--db", db_url)
    _edit(corpus / "expectations.dtr", "BETA 45", "BETA 46")
    err = _refuses_like_a_full_load(cli, full, db_url, corpus, dump_db, "E021")
    assert "BETA has no article or provision 46" in err
    _edit(corpus / "expectations.dtr", "BETA 46", "BETX 45")
    err = _refuses_like_a_full_load(cli, full, db_url, corpus, dump_db, "E023")
    assert "did you mean `BETA`?" in err


def test_a_valid_change_to_an_expectation_is_stored_as_a_full_load_stores_it(cli, full, db_url, corpus, tmp_path,
                                                                             request):
    other = _second_db(db_url, tmp_path, request)
    for url in (db_url, other):
        cli("load", corpus, "--db", url)
    _edit(corpus / "expectations.dtr", "BETA 45", "BETA 44")
    quick = cli("load", corpus, "--db", db_url)
    slow = full(cli, "load", corpus, "--db", other)
    assert quick.exit_code == slow.exit_code == 0, quick.output
    assert "parsed 3 of 4 file(s)" in quick.stdout
    assert _rows(db_url) == _rows(other)


def test_a_changed_file_that_does_not_parse(cli, full, db_url, corpus, dump_db):
    cli("load", corpus, "--db", db_url)
    _edit(corpus / "beta.dtr", "kind: domestic_law", "kind domestic_law")
    _refuses_like_a_full_load(cli, full, db_url, corpus, dump_db, "E001")


def test_warnings_are_printed_as_a_full_load_prints_them(cli, full, db_url, corpus, tmp_path, request):
    other = _second_db(db_url, tmp_path, request)
    _edit(corpus / "vocabulary" / "core.dtr", "vocabulary {", "vocabulary {\n  scope no_label_here")
    for url in (db_url, other):
        cli("load", corpus, "--db", url)
    _edit(corpus / "beta.dtr", "kind: domestic_law", "kind: domestic_law\n  note: \"edited\"")
    quick = cli("load", corpus, "--db", db_url)
    slow = full(cli, "load", corpus, "--db", other)
    assert quick.exit_code == slow.exit_code == 0
    assert "warning[W001]" in quick.stderr
    assert quick.stderr == slow.stderr  # the summary line counts the whole corpus
    assert _rows(db_url) == _rows(other)


# ---------------------------------------------------------------------------- when only a full load can say

def test_another_load_in_between_makes_it_a_full_load(cli, db_url, corpus, monkeypatch):
    cli("load", corpus, "--db", db_url)
    _edit(corpus / "alpha.dtr", 'note: "a regime note"', 'note: "a regime note, edited"')
    real_parse = reload_module.parse_text
    beta = corpus / "beta.dtr"
    edited_beta = beta.read_text(encoding="utf-8").replace("kind: domestic_law", 'kind: domestic_law\n  note: "x"')

    def parse_while_someone_loads(source: str, path: str):
        # Someone stores another version of beta (unchanged here) while this load parses.
        if path.endswith("alpha.dtr"):
            other = parse_text(edited_beta, str(beta))
            store.store_files([(other.file, edited_beta)], db_url)
        return real_parse(source, path)

    monkeypatch.setattr(reload_module, "parse_text", parse_while_someone_loads)
    assert store.reload_paths([corpus], db_url) is None
    result = cli("load", corpus, "--db", db_url)  # the full load puts the files on disk back
    assert result.exit_code == 0
    assert "replaced  corpus/beta.dtr [BETA]" in result.stdout
    assert store.get_regime("BETA", db_url).regime.note is None


def test_a_partial_corpus_is_checked_as_check_paths_checks_it(cli, db_url, corpus):
    cli("load", corpus, "--db", db_url)
    # Expectations are checked with the rest of their corpus as context: only a full check reads it.
    result = cli("load", corpus / "expectations.dtr", "--db", db_url)
    assert result.exit_code == 0 and "parsed" not in result.stdout
    # A file without expectations is checked with its vocabulary only: the reload does that too.
    result = cli("load", corpus / "beta.dtr", "--db", db_url)
    assert result.exit_code == 0
    assert "parsed 1 of 2 file(s)" in result.stdout


def test_the_first_load_is_a_full_load(db_url, corpus):
    assert store.reload_paths([corpus], db_url) is None


# ---------------------------------------------------------------------------- the rows say every use

FIXTURES = REPO / "tests" / "fixtures"
# name -> (what to copy into the corpus folder, what to copy into its vocabulary/ folder)
CORPORA = {
    "rules": ([REPO / "rules"], []),
    "compare": ([FIXTURES / "compare"], []),
    "hostile": ([FIXTURES / "hostile"], []),
    "store": ([FIXTURES / "store"], []),
    "accession": ([FIXTURES / "accession" / n for n in ("already.dtr", "join.dtr", "kr_law.dtr")],
                  [FIXTURES / "accession" / "vocabulary.dtr", FIXTURES / "compare" / "vocabulary" / "vocabulary.dtr"]),
    "every_construct": ([FIXTURES / "good" / "every_construct.dtr"], [FIXTURES / "vocabulary" / "base.dtr"]),
}


def _cross_file_uses(path: Path) -> set[tuple]:
    """What a full check resolves against other files, from the parse: outside vocabulary blocks
    (a file with one is always parsed again), regime-qualified refs only (local ones are the file's own)."""
    result = parse_text(read_source(path), str(path))
    rf = result.file
    blocks = [(rf.lines[f"vocabulary:{i}"], rf.lines[f"vocabulary_end:{i}"])
              for i in range(sum(1 for k in rf.lines if k.startswith("vocabulary_end:")))]
    return {(u.kind, u.value, u.regime) for u in result.uses
            if (u.kind in CROSS_FILE_KINDS or (u.kind == "ref" and u.regime is not None))
            and not any(a <= u.span.line <= b for a, b in blocks)}


@pytest.mark.parametrize("name", CORPORA)
def test_the_stored_rows_hold_every_name_a_file_takes_from_others(name, tmp_path):
    # The reload reads what unchanged files use from their rows (store/reload.py, _facts); a
    # use the builder records but the rows do not hold would go unchecked. every_construct
    # holds every construct of the language.
    corpus = tmp_path / name
    (corpus / "vocabulary").mkdir(parents=True)
    files, vocabulary = CORPORA[name]
    for src in files:
        if src.is_dir():
            shutil.copytree(src, corpus, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected"))
        else:
            shutil.copy(src, corpus / src.name)
    for i, src in enumerate(vocabulary):
        shutil.copy(src, corpus / "vocabulary" / f"{i}_{src.name}")
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store.load_paths([corpus], url)
    engine = store.get_engine(url)
    try:
        with engine.connect() as conn:
            ids = dict(conn.execute(select(SourceFile.path, SourceFile.id)).all())
            paths = collect_files([corpus])
            for path in paths:
                file_id = ids[store.source_key(path)]
                layout = conn.execute(select(SourceFile.layout).where(SourceFile.id == file_id)).scalar_one()
                facts, _ = reload_module._facts(conn, {file_id: layout}, [])
                assert facts.uses == _cross_file_uses(path), path
            assert len(paths) >= 2
    finally:
        store.dispose_engine(url)


def test_a_file_key_resolves_links_as_before(tmp_path):
    # Keys resolve each folder once; a linked file must still resolve through its link.
    corpus = tmp_path / "rules"
    (corpus / "vocabulary").mkdir(parents=True)
    (corpus / "a.dtr").write_text("", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere.dtr"
    elsewhere.write_text("", encoding="utf-8")
    (corpus / "link.dtr").symlink_to(elsewhere)
    (corpus / "inner").symlink_to(corpus / "vocabulary", target_is_directory=True)
    assert store.source_key(corpus / "a.dtr") == "rules/a.dtr"
    assert store.source_key(corpus / "inner" / ".." / "a.dtr") == "rules/a.dtr"
    assert store.source_key(corpus / "link.dtr") == (corpus / "link.dtr").as_posix()  # outside the corpus
    assert store.source_key(corpus / "inner" / "core.dtr") == "rules/vocabulary/core.dtr"
