"""Overlap through the vocabulary, and proof that candidate pairs come from the index."""
from __future__ import annotations

import itertools

from comparator.model import Perspective, Provision, Norm, Regime, RuleFile, Corpus, Term, Article, Party
from comparator.checks import conflict_report
from comparator.overlap import NormEntry, NormIndex, overlap_terms, relation, roles_overlap
from comparator.validate import Vocabulary


def vocab_of(corpus):
    return Vocabulary.from_terms(corpus.terms)


def test_alias_is_the_same_term(fixture_corpus):
    v = vocab_of(fixture_corpus)
    assert relation(v, "personal_data", "personal_information") == "“personal data” and “personal information” are the same term (“personal information”)"
    assert overlap_terms(v, ["personal_data"], ["personal_information"]).terms == ["personal_information"]


def test_broader_term_overlaps_and_reports_the_narrower(fixture_corpus):
    v = vocab_of(fixture_corpus)
    # a prohibition on transferring personal_data meets an obligation to allow transfers of information
    ov = overlap_terms(v, ["information"], ["personal_data"])
    assert ov.terms == ["personal_information"]
    assert any("falls under “information”" in why for why in ov.via)
    # two levels down, and through a second broader link
    assert overlap_terms(v, ["information"], ["subscriber_records"]).terms == ["subscriber_records"]
    assert overlap_terms(v, ["personal_data"], ["subscriber_records"]).terms == ["subscriber_records"]


def test_disjoint_objects_do_not_overlap(fixture_corpus):
    v = vocab_of(fixture_corpus)
    assert not overlap_terms(v, ["computing_facilities"], ["personal_information"])
    assert not overlap_terms(v, ["source_code"], ["information"])


def test_sibling_actions_do_not_meet(fixture_corpus):
    v = vocab_of(fixture_corpus)
    assert relation(v, "store_locally", "locate_computing_facilities") is None
    assert relation(v, "disclose_source_code", "transfer") is not None


def test_a_norm_without_objects_reaches_every_object(fixture_corpus):
    v = vocab_of(fixture_corpus)
    assert overlap_terms(v, [], ["personal_data"]).terms == ["personal_information"]


def test_roles_are_capacities_one_person_can_combine(fixture_corpus):
    v = vocab_of(fixture_corpus)
    assert roles_overlap(v, ["provider"], ["controller", "processor"])  # both kinds of actor
    assert roles_overlap(v, ["actor"], ["provider"]).terms == ["provider"]
    assert not roles_overlap(v, ["party"], ["controller"])  # a state's duty is not an actor's


def test_index_finds_exactly_the_pairs_a_full_scan_finds(bundled):
    v = vocab_of(bundled)
    entries = [NormEntry.build(v, f.regime, p) for f in bundled.regimes.values() for p in f.provisions() if p.norm]
    index = NormIndex(v, entries)
    indexed = {(id(a), id(b)) for a, b in index.pairs()}

    def meet(a, b):
        return relation(v, a.action, b.action) is not None and bool(overlap_terms(v, a.objects, b.objects))

    position = {id(e): i for i, e in enumerate(entries)}
    scanned = {(id(a), id(b)) if position[id(a)] < position[id(b)] else (id(b), id(a))
               for a, b in itertools.combinations(entries, 2) if a.regime_id != b.regime_id and meet(a, b)}
    assert indexed == scanned
    assert len(indexed) > 10


def synthetic_corpus(n: int) -> Corpus:
    """n treaties x 1 provision and n laws x 1 provision, every action and object distinct."""
    terms = [Term(kind="role", id="party"), Term(kind="role", id="actor"), Term(kind="topic", id="t")]
    files = []
    for i in range(n):
        terms += [Term(kind="action", id=f"act{i}"), Term(kind="object", id=f"obj{i}")]
        for kind, bearer, modality, stance, rid in (("trade_agreement", "party", "must", "allow", f"T{i}"),
                                                   ("domestic_law", "actor", "must not", None, f"L{i}")):
            prov = Provision(ref="1", topics=["t"], quote="q",
                             norm=Norm(bearers=[bearer], modality=modality, stance=stance, action=f"act{i}", objects=[f"obj{i}"]))
            regime = Regime(id=rid, title=rid, kind=kind, in_force=None,
                            parties=[Party(country="GB")] if kind == "trade_agreement" else [],
                            jurisdiction=["GB"] if kind == "domestic_law" else [])
            files.append(RuleFile(path=f"{rid}.dtr", regime=regime, articles=[Article(ref="1", provisions=[prov])]))
    files.append(RuleFile(path="vocabulary.dtr", vocabulary=terms))
    return Corpus(files=files)


def test_candidate_generation_grows_linearly_not_quadratically():
    counts = {}
    for n in (50, 100, 200):
        stats: dict = {}
        report = conflict_report(synthetic_corpus(n), Perspective(kind="country", country="GB"), stats=stats)
        # each treaty meets exactly its own law: n restrictions, found from ~2 candidates per norm
        assert len(report.conflicts) == n
        counts[n] = stats["pairs_examined"]
    assert counts[200] <= 2 * 2 * 200  # all-pairs would be (400 * 399) = 159,600
    assert counts[200] / counts[50] < 4.5  # x4 the norms, ~x4 the work
