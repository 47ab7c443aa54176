"""Conflict detection: one conflict kind per module, run over indexed candidate pairs.

Pipeline position: validate -> perspective/overlap -> **checks** -> report/cli/ui.

Public API::

    find_conflicts(corpus, perspective) -> list[Conflict]
    conflict_report(corpus, perspective) -> ConflictReport   # + the regimes in play

How it runs: the perspective gives the regimes in play and the countries each binds on the
as-of date (perspective.py, binding.py); every provision in force in those regimes becomes
a :class:`~comparator.overlap.NormEntry`. Each check module (``KIND``, ``wants_a``,
``wants_b``, ``check``) says which norms can be its side a and its side b; a
:class:`~comparator.overlap.NormIndex` over the norms some module wants as side b hands
each side-a norm only the side-b norms whose actions and objects meet it, and a module
runs on a pair only if it wants both (a norm's wants are worked out once per corpus). Each
module's docstring holds a conflicting and a non-conflicting example in the rule language;
tests/compare parses and runs them.
"""
from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Iterable

from .. import sentences as en
# The collector paused, as for parsing: a report allocates its findings and frees none of
# them in cycles, yet each full collection it set off walked the whole corpus (40% of every
# country's sweep at 10k provisions, and a cost that grows with the corpus, not the report).
# accession.py runs under it too; nested use is fine.
from ..collector import long_lived
from ..model import Conflict, ConflictReport, Corpus, Perspective
from ..overlap import NormEntry, NormIndex, roles_overlap
from ..perspective import Prepared, prepare, regimes_in_play
from ._common import Context

CHECK_MODULES = ("direct", "commitment_vs_measure", "restriction", "permission_denied")
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def checks() -> list[ModuleType]:
    """The check modules, imported on first use (no work at import time)."""
    return [import_module(f"{__name__}.{name}") for name in CHECK_MODULES]


def norm_entries(prep: Prepared, regime_ids, as_of, role: str | None = None) -> list[NormEntry]:
    entries = []
    for regime_id in regime_ids:
        for e in prep.entries_in_force(regime_id, as_of):
            if role is not None and not roles_overlap(prep.vocab, e.norm.bearers, [role]):
                continue
            entries.append(e)
    return entries


def _wants(e: NormEntry, modules: list[ModuleType]) -> tuple[int, int]:
    """Bit masks of the modules that want ``e`` as side a and as side b (memoised on the entry)."""
    hit = e.memo.get("wants")
    if hit is None:
        hit = e.memo["wants"] = (sum(1 << i for i, m in enumerate(modules) if m.wants_a(e)),
                                 sum(1 << i for i, m in enumerate(modules) if m.wants_b(e)))
    return hit


def conflict_report(corpus: Corpus | Prepared, perspective: Perspective, stats: dict | None = None, *,
                    involving: Iterable[str] | None = None, ignore_carve_outs: Iterable[str] = ()) -> ConflictReport:
    """Every conflict for ``perspective``, most severe first (see :func:`_report`)."""
    with long_lived():
        return _report(corpus, perspective, stats, involving=involving, ignore_carve_outs=ignore_carve_outs)


def _report(corpus: Corpus | Prepared, perspective: Perspective, stats: dict | None = None, *,
            involving: Iterable[str] | None = None, ignore_carve_outs: Iterable[str] = ()) -> ConflictReport:
    """Every conflict for ``perspective``, most severe first. Raises InputError on unknown names.

    ``stats`` (optional) receives ``pairs_examined`` (candidate pairs the index handed out)
    and ``norms``, for tests and for anyone measuring the engine. ``involving``: only the
    conflicts with a side in one of these regimes (accession asks about the agreements a
    country would join). ``ignore_carve_outs``: read these regimes as if their provisions
    had no ``excludes:`` (what a measure would meet but for the scope carve-outs).
    """
    prep = prepare(corpus)
    bound = regimes_in_play(prep, perspective)
    role = prep.check_role(perspective.role) if perspective.kind == "role" else None
    entries = norm_entries(prep, bound, perspective.as_of, role)
    modules = checks()
    wants = [_wants(e, modules) for e in entries]
    b_side = [e for e, (_, wb) in zip(entries, wants) if wb]
    index = NormIndex(prep.vocab, b_side)
    # A side a outside ``involving`` is paired only with sides b inside it.
    inside = index if involving is None else NormIndex(prep.vocab, [e for e in b_side if e.regime_id in involving])
    involving = None if involving is None else set(involving)
    # The modules a pair of masks selects, in CHECK_MODULES order: 16 combinations at most.
    chosen = [[m for i, m in enumerate(modules) if mask >> i & 1] for mask in range(1 << len(modules))]
    ctx = Context(prep=prep, perspective=perspective, bound=bound, ignore_carve_outs=frozenset(ignore_carve_outs))
    found: dict[tuple, Conflict] = {}
    for a, (wa, _) in zip(entries, wants):
        if not wa:
            continue
        for b in (index if involving is None or a.regime_id in involving else inside).candidates(a):
            both = wa & b.memo["wants"][1]
            if both and b.regime_id != a.regime_id:
                for module in chosen[both]:
                    conflict = module.check(a, b, ctx)
                    if conflict is not None:
                        found.setdefault(conflict.key, conflict)
    if stats is not None:
        stats.update(pairs_examined=index.comparisons + (inside.comparisons if inside is not index else 0),
                     norms=len(entries))
    conflicts = sorted(found.values(), key=lambda c: (SEVERITY_ORDER[c.severity], c.kind, c.a.provision, c.b.provision))
    named = [t for c in conflicts for t in _conflict_terms(c)] + [perspective.role or "", perspective.country or ""]
    return ConflictReport(perspective=perspective, regimes=sorted(bound), conflicts=conflicts,
                          labels=en.labels_map(prep.vocab, named))


def _conflict_terms(c: Conflict) -> list[str]:
    sides = [x for s in (c.a, c.b) for x in (*s.bearers, s.action, *s.objects, *s.destinations)]
    return sides + list(c.overlap) + [x for r in c.reconcile for x in (r.kind, *r.tests)]


def find_conflicts(corpus: Corpus | Prepared, perspective: Perspective) -> list[Conflict]:
    """Every conflict for ``perspective`` (see :func:`conflict_report`)."""
    return conflict_report(corpus, perspective).conflicts
