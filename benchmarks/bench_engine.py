"""The engine at scale: whole-corpus conflicts and a comparison, 100k against 10k provisions.

"Whole-corpus conflicts" is the negotiator's question asked for every country the corpus
names: one conflict report per country perspective, summed. The synthetic corpus draws
parties from the ~250 real country codes, so at 100k provisions each country is bound by
about ten times as many regimes as at 10k and the conflicts *found* grow faster than the
corpus (pairs of regimes per country), and so do the candidate pairs the index must hand
out. The figure therefore divides out the growth of those pairs beyond linear: it is the
time ratio per candidate pair, times the input ratio (10 when the cost per pair stays
flat and nothing else grows faster). The raw ratios are printed beside it.
"""
from __future__ import annotations

from .harness import LARGE, MEDIUM, Figure, checked, figures, ratio, timed

# Later (issue 13, accession): `accession_scaling` registers here with @figures("accession").


def _countries(corpus) -> list[str]:
    out = set()
    for f in corpus.files:
        if f.regime:
            out.update(p.country for p in f.regime.parties)
            out.update(f.regime.jurisdiction)
    return sorted(out)


def _sweep(corpus) -> tuple[int, int]:
    from comparator.checks import conflict_report
    from comparator.model import Perspective
    from comparator.perspective import prepare

    prep = prepare(corpus)
    conflicts = pairs = 0
    for c in _countries(corpus):
        stats: dict = {}
        conflicts += len(conflict_report(prep, Perspective(kind="country", country=c), stats).conflicts)
        pairs += stats["pairs_examined"]
    return conflicts, pairs


@figures("conflicts")
def conflicts_figures() -> list[Figure]:
    from comparator.model import Corpus

    out = {}
    for n in (MEDIUM, LARGE):
        corpus = checked(n).corpus
        counts: list = []
        # A fresh Corpus object each run: prepare() (vocabulary, regime map) is part of the cost.
        t = timed(lambda: counts.append(_sweep(Corpus(files=corpus.files))), cpu=True)
        out[n] = (t, *counts[0])
    (tm, cm, nm), (tl, cl, nl) = out[MEDIUM], out[LARGE]
    size = LARGE / MEDIUM
    work = ratio(nl, nm)
    value = ratio(tl, tm) / max(1.0, work / size)
    return [Figure("conflicts_scaling", value, size * 1.1,
                   detail=f"{tl:.2f} s / {tm:.2f} s = {ratio(tl, tm):.1f}x time; conflicts {cl:,} / {cm:,}; "
                          f"candidate pairs from the index {nl:,} / {nm:,} ({work:.1f}x)")]


@figures("compare")
def compare_figures() -> list[Figure]:
    from comparator.compare import compare
    from comparator.model import Corpus

    times = {}
    for n in (MEDIUM, LARGE):
        corpus = checked(n).corpus
        regimes = ["CPTPP_S0001", "DEPA_S0001", "UK_GDPR_S0001", "GDPR_S0001"]
        rows = len(compare(corpus, regimes).rows)
        times[n] = timed(lambda: compare(Corpus(files=corpus.files), regimes), cpu=True)
    value = ratio(times[LARGE], times[MEDIUM])
    return [Figure("compare_scaling", value, LARGE / MEDIUM * 1.1,
                   detail=f"compare 4 regimes ({rows} topics) from a fresh corpus: {times[LARGE]:.3f} s / {times[MEDIUM]:.3f} s")]
