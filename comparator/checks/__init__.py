"""Conflict detection: one conflict kind per module, run over indexed candidate pairs.

Pipeline position: validate -> perspective/overlap -> **checks** -> report/cli/ui.

Public API::

    find_conflicts(corpus, perspective) -> list[Conflict]
    conflict_report(corpus, perspective) -> ConflictReport   # + the regimes in play

How it runs: the perspective gives the regimes in play and the countries each binds on the
as-of date (perspective.py, binding.py); every provision in force in those regimes becomes
a :class:`~comparator.overlap.NormEntry`; a :class:`~comparator.overlap.NormIndex` hands
out only pairs whose actions and objects meet; each check module (``KIND``, ``wants_a``,
``wants_b``, ``check``) is tried on each pair in both orders. Each module's docstring holds
a conflicting and a non-conflicting example in the rule language; tests/compare parses and
runs them.
"""
from __future__ import annotations

from importlib import import_module
from types import ModuleType

from .. import sentences as en
from ..binding import provisions_in_force
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
        rf = prep.files[regime_id]
        for p in provisions_in_force(rf, as_of):
            if p.norm is None:
                continue
            if role is not None and not roles_overlap(prep.vocab, p.norm.bearers, [role]):
                continue
            entries.append(prep.norm_entry(regime_id, p))
    return entries


def conflict_report(corpus: Corpus | Prepared, perspective: Perspective, stats: dict | None = None) -> ConflictReport:
    """Every conflict for ``perspective``, most severe first. Raises InputError on unknown names.

    ``stats`` (optional) receives ``pairs_examined`` (candidate pairs the index handed out)
    and ``norms``, for tests and for anyone measuring the engine.
    """
    prep = prepare(corpus)
    bound = regimes_in_play(prep, perspective)
    role = prep.check_role(perspective.role) if perspective.kind == "role" else None
    entries = norm_entries(prep, bound, perspective.as_of, role)
    index = NormIndex(prep.vocab, entries)
    ctx = Context(prep=prep, perspective=perspective, bound=bound)
    found: dict[tuple, Conflict] = {}
    modules = checks()
    for x, y in index.pairs():
        for a, b in ((x, y), (y, x)):
            for module in modules:
                if module.wants_a(a) and module.wants_b(b):
                    conflict = module.check(a, b, ctx)
                    if conflict is not None:
                        found.setdefault(conflict.key, conflict)
    if stats is not None:
        stats.update(pairs_examined=index.comparisons, norms=len(entries))
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
