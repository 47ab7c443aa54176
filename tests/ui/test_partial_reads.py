"""The app reads only the regimes a result needs (ui/data.py), and the results are the engine's on the whole corpus.

Compare reads the chosen regimes; Conflicts and Accession read the regimes in play (found
on the outline: who binds whom needs no provision) and those named. Every result, and
every refusal with its hint, must be what the engine says on the whole corpus.
"""
from __future__ import annotations

import datetime as dt

import pytest

from comparator import store
from comparator.accession import accession
from comparator.checks import conflict_report
from comparator.compare import compare
from comparator.model import Perspective
from comparator.perspective import InputError
from tests.ui.conftest import run_page
from ui import data, state

AS_OF = dt.date(2026, 6, 1)
PERSPECTIVES = [
    dict(kind="country", country="GB"),
    dict(kind="country", country="CN", assume_party=[("CPTPP", "CN"), ("DEPA", "CN")]),
    dict(kind="country", country="EU"),
    dict(kind="role", role="provider", jurisdictions=["US", "EU"]),
    dict(kind="regimes", regimes=["CPTPP", "UK_GDPR"]),
]


@pytest.fixture
def whole(db_url):
    return store.load_corpus_from_db(db_url)


@pytest.mark.parametrize("fields", PERSPECTIVES, ids=lambda f: f.get("country") or f.get("role") or "regimes")
def test_a_conflict_report_is_the_engines_on_the_whole_corpus(db_url, whole, fields):
    perspective = Perspective(as_of=AS_OF, **fields)
    version = data.data_version(db_url)
    assert data.conflicts(db_url, version, perspective.model_dump_json()) == conflict_report(whole, perspective)


@pytest.mark.parametrize(("country", "agreements"), [("CN", ("CPTPP",)), ("CN", ("CPTPP", "DEPA")), ("GB", ("DEPA",)),
                                                     ("SG", ("CPTPP", "RCEP"))])
def test_an_accession_is_the_engines_on_the_whole_corpus(db_url, whole, country, agreements):
    version = data.data_version(db_url)
    assert data.accession(db_url, version, country, agreements, AS_OF) == \
        accession(whole, country, list(agreements), as_of=AS_OF)


def test_a_comparison_reads_only_the_chosen_regimes(db_url, whole):
    version = data.data_version(db_url)
    assert data.comparison(db_url, version, ("DEPA", "CPTPP"), (), AS_OF) == compare(whole, ["DEPA", "CPTPP"], as_of=AS_OF)
    some = data.corpus_of(db_url, version, ("CPTPP", "DEPA"))
    assert sorted(some.regimes) == ["CPTPP", "DEPA"] and some.terms == whole.terms
    # Every regime: the whole corpus itself, not a second copy.
    assert data.corpus_of(db_url, version, tuple(sorted(whole.regimes))) is data.corpus(db_url, version)


def _perspective(**fields) -> Perspective:
    return Perspective(as_of=AS_OF, **fields)


# (the app's call, the engine's on the whole corpus): each refuses its input.
REFUSALS = {
    "compare-typo": (lambda url, v: data.comparison(url, v, ("CPTPP", "CPTTP"), (), AS_OF),
                     lambda whole: compare(whole, ["CPTPP", "CPTTP"], as_of=AS_OF)),
    "lowercase-country": (lambda url, v: data.conflicts(url, v, _perspective(kind="country", country="gb").model_dump_json()),
                          lambda whole: conflict_report(whole, _perspective(kind="country", country="gb"))),
    "regimes-typo": (lambda url, v: data.conflicts(url, v, _perspective(kind="regimes", regimes=["CPTPP", "UK_GDRP"])
                                                   .model_dump_json()),
                     lambda whole: conflict_report(whole, _perspective(kind="regimes", regimes=["CPTPP", "UK_GDRP"]))),
    "assume-a-law": (lambda url, v: data.conflicts(url, v, _perspective(kind="country", country="CN",
                                                                        assume_party=[("GDPR", "CN")]).model_dump_json()),
                     lambda whole: conflict_report(whole, _perspective(kind="country", country="CN",
                                                                       assume_party=[("GDPR", "CN")]))),
    "join-a-law": (lambda url, v: data.accession(url, v, "CN", ("GDPR",), AS_OF),
                   lambda whole: accession(whole, "CN", ["GDPR"], as_of=AS_OF)),
    "join-a-typo": (lambda url, v: data.accession(url, v, "CN", ("CPTTP",), AS_OF),
                    lambda whole: accession(whole, "CN", ["CPTTP"], as_of=AS_OF)),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_refusal_says_what_the_engine_says_on_the_whole_corpus(db_url, whole, case):
    ours, engine = REFUSALS[case]
    with pytest.raises(InputError) as refused:
        ours(db_url, data.data_version(db_url))
    with pytest.raises(InputError) as expected:
        engine(whole)
    assert (refused.value.message, refused.value.hint) == (expected.value.message, expected.value.hint)


def test_tracing_a_provision_waits_until_one_is_picked(db_url):
    at = run_page("compare")
    assert at.selectbox(key=state.COMPARE_LINEAGE).value is None
    assert not [m for m in at.markdown if m.value.startswith("Earliest signed ancestor")]
