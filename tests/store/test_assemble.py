"""The bulk read (comparator/store/assemble.py): trusted models, rows in any order, partial reads.

The round-trip tests compare what is read with what was parsed through ``model_dump``;
here the comparison is ``==`` of whole models after putting the parsed ones in the form
the store keeps (spans at column 1, no comments, no per-field lines), so the fields that
``model_dump`` leaves out (spans, block order, ``of``/``on``) are compared too.
"""
from __future__ import annotations

import datetime as dt
import gc
import random
from pathlib import Path

import pytest
from pydantic import BaseModel
from sqlalchemy import create_engine, text

from comparator import store
from comparator.model import (
    Article,
    Deferral,
    Definition,
    DisputeSettlement,
    Exception_,
    Expectation,
    Norm,
    Party,
    Provision,
    Regime,
    RuleFile,
    Span,
    Term,
)
from comparator.store.assemble import _grouped, _listed
from comparator.collector import long_lived
from comparator.store.fast import trusted
from comparator.validate import check_paths

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "store"
RULES = REPO / "rules"


# ---------------------------------------------------------------------------- trusted()

SAMPLES: list[tuple[type[BaseModel], dict]] = [
    (Span, dict(path="a.dtr", line=3, column=1, end_line=None, end_column=None)),
    (Party, dict(country="GB", joined=dt.date(2024, 12, 15), left=None, span=None, lines={})),
    (Norm, dict(bearers=["party"], modality="must not", stance="require", action="localise", objects=["computing_facilities"],
                destinations=[], conditions=["as a condition"], unless=["14.13.3"], object_word="on",
                span=Span(path="a.dtr", line=4, column=1), lines={})),
    (Provision, dict(ref="14.13.2", topics=["localisation.computing_facilities"], norm=None, excludes=["financial_services"],
                     quote="No Party shall require...", translation=True, translation_text=None, translation_source=None,
                     gloss="a gloss", status="unverified", in_force=dt.date(2018, 12, 30), until=None, replaced_by=None,
                     note=None, span=None, lines={})),
    (Exception_, dict(ref="14.13.3", kind="legitimate_public_policy", applies_to=["14.13.2"], tests=["necessity"],
                      excludes=[], quote=None, translation=False, translation_text=None, translation_source=None,
                      gloss=None, status="verified", in_force=None, until=None, replaced_by=None, note="n", span=None,
                      lines={})),
    (Definition, dict(term="personal_data", quote="q", translation=False, translation_text=None, translation_source=None,
                      gloss=None, status="verified", note=None, span=None, lines={})),
    (Article, dict(ref="14.13", title="Location", note=None, provisions=[], exceptions=[], definitions=[],
                   order=[("provision", 0)], span=None, lines={})),
    (Deferral, dict(parties=["VN"], provisions=["14.13"], until_date=None, until_text="three years", span=None, lines={})),
    (DisputeSettlement, dict(applies=True, excepted=["14.2"], deferrals=[], note=None, span=None, lines={})),
    (Regime, dict(id="CPTPP", title="T", kind="trade_agreement", parties=[], jurisdiction=["EU"], signed=None,
                  in_force=None, until=None, source="https://x", note=None, covers=None, not_encoded=[], language="zh",
                  authentic=["zh", "en"], span=None, lines={})),
    (Term, dict(kind="group", id="EU", label="the European Union", label_zh=None, label_es=None, broader=[],
                aliases=[], members=["FR", "DE"], note=None, span=None, lines={})),
    (Expectation, dict(conflict=True, kind="direct", a_regime="A", a_ref="1", b_regime="B", b_ref="2", bound=None,
                       as_of=None, assume=[("CPTPP", "CN")], span=None, lines={})),
    (RuleFile, dict(path="a.dtr", regime=None, articles=[], dispute_settlement=None, vocabulary=[], expectations=[],
                    comments=[], order=[("regime", 0)], span=None, lines={})),
]


@pytest.mark.parametrize(("cls", "values"), SAMPLES, ids=[c.__name__ for c, _ in SAMPLES])
def test_a_trusted_model_equals_the_validated_one(cls, values):
    made = trusted(cls, dict(values))
    validated = cls(**values)
    assert made == validated
    assert made.model_dump() == validated.model_dump() and repr(made) == repr(validated)
    assert made.model_fields_set == validated.model_fields_set
    # Still an ordinary model: copies, assignment and dumps to JSON work as on a parsed one.
    assert made.model_copy(deep=True) == validated
    assert made.model_dump_json() == validated.model_dump_json()


def test_trusted_fills_defaults_afresh_and_refuses_unknown_or_missing_fields():
    a = trusted(Provision, {"ref": "1"})
    b = trusted(Provision, {"ref": "2"})
    assert a == Provision(ref="1") and a.model_fields_set == {"ref"}
    assert a.topics is not b.topics and a.lines is not b.lines  # mutable defaults are not shared
    with pytest.raises(TypeError, match="no field"):
        trusted(Provision, {"ref": "1", "refs": "x"})
    with pytest.raises(TypeError, match="needs ref"):
        trusted(Provision, {"topics": []})


def test_long_lived_leaves_the_collector_as_it_found_it():
    assert gc.isenabled()
    with long_lived():
        assert not gc.isenabled()
        kept = [[i] for i in range(1000)]
    assert gc.isenabled() and gc.get_freeze_count() == 0 and len(kept) == 1000
    gc.disable()
    try:
        with long_lived():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


# ---------------------------------------------------------------------------- rows in any order

def test_children_find_their_place_whatever_order_the_rows_come_in():
    rows = [(p, f, i, f"{p}{f}{i}") for p in (1, 2) for f in ("topic", "object") for i in range(4)]
    expected = _grouped(rows)
    assert expected[1]["topic"] == ["1topic0", "1topic1", "1topic2", "1topic3"]
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        assert _grouped(shuffled) == expected
        assert _listed([(p, i, v) for p, f, i, v in shuffled if f == "topic"]) == \
            {p: fields["topic"] for p, fields in expected.items()}


# ---------------------------------------------------------------------------- against the parse

def _as_stored(rf: RuleFile, key: str) -> RuleFile:
    """A parsed file as the store keeps it: spans at column 1 of their line (a norm at its
    provision's, none for a party), the file at line 1, no comments, no per-field lines."""
    rf = rf.model_copy(deep=True)

    def fix(node, line=None):
        if isinstance(node, BaseModel):
            if "span" in type(node).model_fields:
                span = node.span
                line = line if line is not None else (span.line if span and not isinstance(node, Party) else None)
                node.__dict__["span"] = Span(path=key, line=line, column=1) if line else None
                node.__dict__["lines"] = {}
            for name in type(node).model_fields:
                if name == "span":
                    continue
                value = node.__dict__[name]
                fix(value, node.span.line if name == "norm" and node.span else None)
        elif isinstance(node, list):
            for item in node:
                fix(item)

    fix(rf)
    rf.__dict__.update(path=key, span=Span(path=key, line=1, column=1), comments=[])
    return rf


def _load(db_url: str, *paths: Path) -> dict[str, RuleFile]:
    result = check_paths(store.with_vocabulary(list(paths)))
    assert not result.errors, [d.message for d in result.errors][:3]
    store.store_files([(rf, result.texts[rf.path]) for rf in result.corpus.files], db_url)
    return {store.source_key(rf.path): _as_stored(rf, store.source_key(rf.path)) for rf in result.corpus.files}


@pytest.mark.parametrize("corpus_dir", [FIXTURES, RULES], ids=["fixtures", "rules"])
def test_the_read_equals_the_parse_field_for_field(db_url, corpus_dir):
    parsed = _load(db_url, corpus_dir)
    read = {f.path: f for f in store.load_corpus_from_db(db_url).files}
    assert list(read) == sorted(read) and sorted(read) == sorted(parsed)
    for key, rf in read.items():
        assert rf == parsed[key], key


def test_rows_stored_out_of_order_read_the_same(tmp_path):
    # A database whose child rows sit in reverse order (as after reloads, or in a PostgreSQL heap).
    url = f"sqlite:///{tmp_path / 'dtrc.sqlite'}"
    parsed = _load(url, FIXTURES)
    store.dispose_engine(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("PRAGMA foreign_keys = OFF"))
        for table in ("provision_items", "exception_items", "term_links", "regime_parties", "provisions", "articles"):
            conn.execute(text(f"CREATE TEMP TABLE t AS SELECT * FROM {table} ORDER BY rowid DESC"))
            conn.execute(text(f"DELETE FROM {table}"))
            conn.execute(text(f"INSERT INTO {table} SELECT * FROM t"))
            conn.execute(text("DROP TABLE t"))
    engine.dispose()
    assert {f.path: f for f in store.load_corpus_from_db(url).files} == parsed
    store.dispose_engine(url)


# ---------------------------------------------------------------------------- partial reads

def test_reading_some_regimes_gives_their_files_and_every_file_without_a_regime(db_url, corpus):
    whole = store.load_corpus_from_db(_loaded(db_url, corpus))
    some = store.load_corpus_from_db(db_url, regimes=["ALPHA", "NO_SUCH"])
    assert [f.path for f in some.files] == ["corpus/alpha.dtr", "corpus/expectations.dtr", "corpus/vocabulary/core.dtr"]
    assert some.files == [f for f in whole.files if f.path in {g.path for g in some.files}]
    assert some.terms == whole.terms and some.expectations == whole.expectations
    assert store.load_corpus_from_db(db_url, regimes="BETA").regimes.keys() == {"ALPHA", "BETA"}
    assert store.get_regime("BETA", db_url) == whole.regimes["BETA"]
    assert store.get_file("corpus/vocabulary/core.dtr", db_url) == whole.files[-1]


def test_a_regime_file_declaring_vocabulary_is_always_read(db_url, corpus):
    # ALPHA declares terms of its own: every read keeps the vocabulary whole, so it comes too.
    whole = store.load_corpus_from_db(_loaded(db_url, corpus))
    none = store.load_corpus_from_db(db_url, regimes=[])
    assert [f.path for f in none.files] == ["corpus/alpha.dtr", "corpus/expectations.dtr", "corpus/vocabulary/core.dtr"]
    assert any(t.id not in {u.id for u in whole.files[-1].vocabulary} for t in whole.regimes["ALPHA"].vocabulary)
    assert none.terms == whole.terms


def _loaded(db_url: str, corpus: Path) -> str:
    result = check_paths(store.with_vocabulary([corpus]))
    assert not result.errors, [d.message for d in result.errors][:3]
    store.store_files([(rf, result.texts[rf.path]) for rf in result.corpus.files], db_url)
    return db_url


def test_the_outline_is_every_file_without_its_articles(db_url, corpus):
    whole = store.load_corpus_from_db(_loaded(db_url, corpus))
    outline = store.load_outline_from_db(db_url)
    assert [f.path for f in outline.files] == [f.path for f in whole.files]
    assert outline.files == [f.model_copy(update={"articles": [], "dispute_settlement": None}) for f in whole.files]
    assert outline.terms == whole.terms and sorted(outline.regimes) == sorted(whole.regimes)
