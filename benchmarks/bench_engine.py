"""The engine at scale: every country's conflicts, a comparison, and every country's accession, 100k against 10k.

"Whole-corpus conflicts" is the negotiator's question asked for every country the corpus
names: one conflict report per country perspective, summed. Both corpora hold the *same
density* (harness.DENSITY regimes binding each country; comparator/synth.py): the 100k
corpus has ten times the countries, not ten times the regimes per country, so the
conflicts to find grow ten times and an engine that stays near-linear in its input and
output takes about ten times as long. An all-pairs engine would take about a hundred.
The figure is the raw CPU-time ratio; beside it are the countries, the density at each
size (measured on the corpus, not assumed), the conflicts found and the candidate pairs
the index handed out, each as a ratio, so a change of density or of output shows.

``accession_scaling`` is the same sweep for ``dtrc accession``: every country joining the
first CPTPP copy that does not bind it. ``compare_scaling`` compares four regimes from a
fresh corpus object (the corpus is prepared again; the comparison itself is constant).
"""
from __future__ import annotations

import datetime as dt

from .harness import DENSITY, LARGE, MEDIUM, Figure, checked, figures, ratio, timed_each

SIZE = LARGE / MEDIUM


def _countries(corpus) -> list[str]:
    out = set()
    for f in corpus.files:
        if f.regime:
            out.update(p.country for p in f.regime.parties)
            out.update(f.regime.jurisdiction)
    return sorted(out)


def _density(corpus) -> float:
    """Regimes binding a country today, averaged over the countries the corpus names."""
    from comparator.perspective import prepare

    prep, today = prepare(corpus), dt.date.today()
    countries = _countries(corpus)
    return sum(len(prep.regimes_binding(c, today)) for c in countries) / len(countries)


def _sweep(corpus) -> tuple[int, int]:
    """Every country's conflict report: (conflicts, candidate pairs)."""
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


def _joins(corpus) -> list[tuple[str, str]]:
    """Each country with the first CPTPP copy (by batch) that does not bind it today."""
    from comparator.perspective import prepare

    prep, today = prepare(corpus), dt.date.today()
    copies = sorted(r for r in prep.files if r.startswith("CPTPP_S"))
    out = []
    for c in _countries(corpus):
        binding = set(prep.regimes_binding(c, today))
        agreement = next((r for r in copies if r not in binding), None)
        if agreement is not None:
            out.append((c, agreement))
    return out


def _accessions(corpus) -> tuple[int, int]:
    """Every country's accession report: (accessions, conflicts in their rows)."""
    from comparator.accession import accession
    from comparator.perspective import prepare

    prep = prepare(corpus)
    joins = _joins(corpus)
    return len(joins), sum(accession(prep, c, a).summary.conflicts for c, a in joins)


def _scaling(name: str, what: str, work, labels: tuple[str, str]) -> Figure:
    """Time ``work(corpus)`` on the dense 10k and 100k corpora, from fresh corpus objects.

    ``work`` returns two counts, named by ``labels``; the time per unit of the first
    (a conflict, an accession) is printed as a ratio too.
    """
    from comparator.model import Corpus
    from comparator.perspective import forget_prepared

    corpora = {n: checked(n, DENSITY).corpus for n in (MEDIUM, LARGE)}
    counts: dict = {}

    def run(n: int):
        # A fresh Corpus object each run: prepare() (vocabulary, regime map) is part of the cost.
        return lambda: counts.setdefault(n, work(Corpus(files=corpora[n].files)))

    times = timed_each({n: run(n) for n in corpora}, cpu=True, setup=forget_prepared)
    forget_prepared()
    (tm, cm, km, dm), (tl, cl, kl, dl) = ((times[n], counts[n], len(_countries(corpora[n])), _density(corpora[n]))
                                          for n in (MEDIUM, LARGE))
    parts = [f"{what}: {tl:.2f} s / {tm:.2f} s CPU", f"countries {kl} / {km} ({ratio(kl, km):.1f}x)",
             f"regimes binding a country {dl:.1f} / {dm:.1f}"]
    for label, large, medium in zip(labels, cl, cm):
        parts.append(f"{label} {large:,} / {medium:,} ({ratio(large, medium):.1f}x)")
    parts.append(f"time per {labels[0].rstrip('s')} {ratio(tl / max(cl[0], 1), tm / max(cm[0], 1)):.2f}x")
    # Divided by how much more than the input the conflicts found grew (1.00-1.01 at
    # 10k/100k, where the density holds; the quick sizes' 3.6 batches cannot hold it).
    found = labels.index("conflicts")
    beyond = max(1.0, ratio(cl[found], cm[found]) / SIZE)
    if beyond > 1.01:
        parts.insert(0, f"{ratio(tl, tm):.1f}x time / {beyond:.2f} (conflicts beyond {SIZE:g}x)")
    return Figure(name, ratio(tl, tm) / beyond, SIZE * 1.1, detail="; ".join(parts))


@figures("conflicts")
def conflicts_figures() -> list[Figure]:
    return [_scaling("conflicts_scaling", "every country's conflicts", _sweep, ("conflicts", "candidate pairs"))]


@figures("compare")
def compare_figures() -> list[Figure]:
    from comparator.compare import compare
    from comparator.model import Corpus
    from comparator.perspective import forget_prepared

    regimes = ["CPTPP_S0001", "DEPA_S0001", "UK_GDPR_S0001", "GDPR_S0001"]
    corpora = {n: checked(n, DENSITY).corpus for n in (MEDIUM, LARGE)}
    rows = len(compare(corpora[MEDIUM], regimes).rows)

    def run(n: int):
        return lambda: compare(Corpus(files=corpora[n].files), regimes)

    times = timed_each({n: run(n) for n in corpora}, cpu=True, setup=forget_prepared)
    forget_prepared()
    value = ratio(times[LARGE], times[MEDIUM])
    return [Figure("compare_scaling", value, SIZE * 1.1,
                   detail=f"compare 4 regimes ({rows} topics) from a fresh corpus: {times[LARGE]:.3f} s / {times[MEDIUM]:.3f} s")]


@figures("accession")
def accession_figures() -> list[Figure]:
    return [_scaling("accession_scaling", "every country joining a CPTPP copy", _accessions, ("accessions", "conflicts"))]
