"""Who is bound, and by what, on a given date: the time and membership half of the engine.

Pipeline position: validate -> **binding** -> compare/checks. Pure functions over the
models; no vocabulary membership is hard-coded (groups such as ``EU`` are expanded through
their ``members`` in the vocabulary).

* A **treaty** (trade_agreement, digital_economy_agreement) binds its parties: a party from
  its ``joined`` date (else the regime's entry into force) until its ``left`` date; a
  hypothetical party (``--assume-party CPTPP=CN``) from the as-of date.
* A **domestic law** and **contract clauses** bind their jurisdiction: the countries and
  groups listed, and the members of those groups.
* A regime applies from ``in_force`` (or, when that is unknown, ``signed``) through
  ``until``; a provision or exception from its own ``in_force`` through ``until``, and not
  once the provision named in ``replaced_by`` is in force.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from .model import Exception_, Perspective, Provision, Regime, RuleFile
from .vocabulary import Vocabulary

TREATY_KINDS = ("trade_agreement", "digital_economy_agreement")


def is_treaty(regime: Regime) -> bool:
    return regime.kind in TREATY_KINDS


def regime_in_force(regime: Regime, as_of: dt.date) -> bool:
    start = regime.in_force or regime.signed
    if start and as_of < start:
        return False
    return not (regime.until and as_of > regime.until)


def norm_in_force(node: Provision | Exception_, as_of: dt.date, by_ref: dict[str, Provision | Exception_]) -> bool:
    """Whether a provision or exception applies on ``as_of`` (its own dates and replacement)."""
    if node.in_force and as_of < node.in_force:
        return False
    if node.until and as_of > node.until:
        return False
    if node.replaced_by:
        successor = by_ref.get(node.replaced_by)
        # Without its own dates the successor says nothing about when it took over.
        if successor is not None and successor.in_force and as_of >= successor.in_force:
            return False
    return True


def provisions_in_force(rf: RuleFile, as_of: dt.date) -> list[Provision]:
    by_ref = {p.ref: p for p in rf.provisions()}
    return [p for p in rf.provisions() if norm_in_force(p, as_of, by_ref)]


def exceptions_in_force(rf: RuleFile, as_of: dt.date) -> list[Exception_]:
    by_ref: dict = {**{p.ref: p for p in rf.provisions()}, **{e.ref: e for e in rf.exceptions()}}
    return [e for e in rf.exceptions() if norm_in_force(e, as_of, by_ref)]


def assumed_parties(perspective: Perspective | None, regime_id: str) -> list[str]:
    if perspective is None:
        return []
    return [c for r, c in perspective.assume_party if r == regime_id]


def treaty_parties(regime: Regime, as_of: dt.date, assumed: Iterable[str] = ()) -> set[str]:
    """The countries (or groups) a treaty binds on ``as_of``, hypothetical ones included."""
    if not regime_in_force(regime, as_of) and not assumed:
        return set()
    bound: set[str] = set()
    for party in regime.parties:
        start = party.joined or regime.in_force or regime.signed
        if start and as_of < start:
            continue
        if party.left and as_of > party.left:
            continue
        bound.add(party.country)
    return bound | set(assumed)


def expand(codes: Iterable[str], vocab: Vocabulary) -> set[str]:
    """Countries and groups, with each group's members added (nested groups too)."""
    out: set[str] = set()
    todo = list(codes)
    while todo:
        code = todo.pop()
        if code in out:
            continue
        out.add(code)
        todo += vocab.group_members(code)
    return out


def countries_bound(regime: Regime, as_of: dt.date, vocab: Vocabulary, assumed: Iterable[str] = ()) -> set[str]:
    """Every country or group a regime binds on ``as_of`` (groups expanded to their members)."""
    assumed = list(assumed)
    if is_treaty(regime):
        return expand(treaty_parties(regime, as_of, assumed), vocab)
    if not regime_in_force(regime, as_of):
        return set()
    return expand(regime.jurisdiction, vocab)


def binds(regime: Regime, country: str, as_of: dt.date, vocab: Vocabulary, assumed: Iterable[str] = ()) -> bool:
    """Whether ``regime`` binds ``country`` (a code, or a group such as EU) on ``as_of``."""
    return country in countries_bound(regime, as_of, vocab, assumed)
