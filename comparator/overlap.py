"""Overlap reasoning through the vocabulary, and the index that finds candidate norm pairs.

Pipeline position: validate -> **overlap** -> checks/compare. ``compare`` and the conflict
checks never compare two norms' words directly; they ask this module whether two terms
meet, and through which vocabulary links (aliases, ``broader`` chains).

Semantics (docs/comparison.md section 2):

* **objects and actions** overlap when one is the other, an alias of it, or falls under
  it through ``broader`` links (``personal_data`` = ``personal_information`` under
  ``information``). Siblings do not overlap: ``store_locally`` and
  ``locate_computing_facilities`` are both kinds of ``localise`` but different activities.
  The overlap reported is the narrower term of each related pair: what both norms reach.
  A norm without objects (or destinations) reaches every object (destination).
* **bearers** (roles) are capacities, not persons: they overlap when related as above *or*
  when they share a broader role, because one person can act in two capacities of the
  same kind (a cloud provider is usually also a controller or processor). ``party`` and
  ``controller`` share nothing, so a treaty's duty on states never meets an actor's duty
  directly; those meet through the country (see checks/restriction.py).

:class:`NormIndex` maps each canonical action and each object to the norms that use it or
something under it, so the candidates for a norm come from a few dictionary look-ups, never
from a scan of every provision against every other. ``NormIndex.comparisons`` counts the
candidate pairs handed out, which a test uses to show the work grows linearly.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from .model import Norm, Provision, Regime
from . import sentences as en
from .vocabulary import Vocabulary


# ---------------------------------------------------------------------------- term relations

def relation(vocab: Vocabulary, a: str, b: str) -> str | None:
    """How term ``a`` relates to ``b`` in words, or None when they do not meet.

    For example ``relation(vocab, "personal_data", "information")`` gives
    ``"“personal data” (the same as “personal information”) falls under “information”"``:
    named by label, because the sentence is shown to readers (JSON ``overlap_via``, explanations).
    """
    key = ("relation", a, b)
    memo = vocab.memo
    if key not in memo:
        memo[key] = _relation(vocab, a, b)
    return memo[key]


def _relation(vocab: Vocabulary, a: str, b: str) -> str | None:
    ca, cb = vocab.canonical(a), vocab.canonical(b)

    def name(term: str, canon: str) -> str:
        if term == canon:
            return f"“{en.label(vocab, canon)}”"
        return f"“{term.replace('_', ' ')}” (the same as “{en.label(vocab, canon)}”)"

    if ca == cb:
        if a == b:
            return f"{name(a, ca)} is named on both sides"
        return f"“{a.replace('_', ' ')}” and “{b.replace('_', ' ')}” are the same term (“{en.label(vocab, ca)}”)"
    if cb in vocab.ancestors(ca):
        return f"{name(a, ca)} falls under {name(b, cb)}"
    if ca in vocab.ancestors(cb):
        return f"{name(b, cb)} falls under {name(a, ca)}"
    return None


def narrower(vocab: Vocabulary, a: str, b: str) -> str | None:
    """The narrower of two related terms (canonical), or None when they do not meet."""
    ca, cb = vocab.canonical(a), vocab.canonical(b)
    if ca == cb or cb in vocab.ancestors(ca):
        return ca
    if ca in vocab.ancestors(cb):
        return cb
    return None


@dataclass
class Overlap:
    """What two lists of terms both reach, and why (one sentence per vocabulary link)."""

    terms: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)
    unrestricted: bool = False  # neither side names any: they meet on everything

    def __bool__(self) -> bool:
        return bool(self.terms) or self.unrestricted


def _memo(vocab: Vocabulary, key: tuple, make) -> Overlap:
    # The engine asks the same question of the same term lists for many pairs of norms
    # (each law's bearers against each treaty's): answer each once per vocabulary. The
    # Overlap returned is shared, so callers read it and never change it.
    hit = vocab.memo.get(key)
    if hit is None:
        hit = vocab.memo[key] = make()
    return hit


def overlap_terms(vocab: Vocabulary, xs: Iterable[str], ys: Iterable[str], unrestricted_if_empty: bool = True) -> Overlap:
    """The overlap of two term lists; an empty list reaches everything the other names."""
    xs, ys = tuple(xs), tuple(ys)
    return _memo(vocab, ("overlap", xs, ys, unrestricted_if_empty),
                 lambda: _overlap_terms(vocab, xs, ys, unrestricted_if_empty))


def _overlap_terms(vocab: Vocabulary, xs: tuple[str, ...], ys: tuple[str, ...], unrestricted_if_empty: bool) -> Overlap:
    if unrestricted_if_empty and (not xs or not ys):
        named = [vocab.canonical(t) for t in (xs or ys)]
        side = "one side names none, so it reaches all" if named else "neither side limits them"
        return Overlap(terms=sorted(set(named)), via=[side] if named else [], unrestricted=not named)
    out = Overlap()
    for x in xs:
        for y in ys:
            n = narrower(vocab, x, y)
            if n is None:
                continue
            if n not in out.terms:
                out.terms.append(n)
            why = relation(vocab, x, y)
            if why and why not in out.via:
                out.via.append(why)
    return out


def roles_overlap(vocab: Vocabulary, xs: Iterable[str], ys: Iterable[str]) -> Overlap:
    """Bearers overlap when related, or when they share a broader role (one person, two capacities)."""
    xs, ys = tuple(xs), tuple(ys)
    return _memo(vocab, ("roles", xs, ys), lambda: _roles_overlap(vocab, xs, ys))


def _roles_overlap(vocab: Vocabulary, xs: tuple[str, ...], ys: tuple[str, ...]) -> Overlap:
    out = _overlap_terms(vocab, xs, ys, unrestricted_if_empty=False)
    if out:
        return out
    for x in xs:
        for y in ys:
            shared = [t for t in vocab.ancestors(x)[1:] if t in vocab.ancestors(y)[1:]]
            if shared:
                out.terms += [t for t in (vocab.canonical(x), vocab.canonical(y)) if t not in out.terms]
                out.via.append(f"{en.article(en.label(vocab, x))} and {en.article(en.label(vocab, y))} are both kinds of "
                               f"{en.label(vocab, shared[0])}: one person can act in both capacities")
    return out


# ---------------------------------------------------------------------------- the norm index

@dataclass(eq=False)
class NormEntry:
    """A provision's norm with its terms resolved once, ready for overlap look-ups.

    ``memo`` holds what the engine derives from the entry alone (its conflict side, its
    sentence, which checks want it), computed on first use: a sweep over every country
    meets the same entry in many reports.
    """

    regime: Regime
    provision: Provision
    norm: Norm
    action: str
    action_ancestors: tuple[str, ...]
    objects: tuple[str, ...]
    bearers: tuple[str, ...]
    regime_id: str = ""
    cite: str = ""
    memo: dict = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, vocab: Vocabulary, regime: Regime, provision: Provision) -> "NormEntry":
        norm = provision.norm
        assert norm is not None
        action = vocab.canonical(norm.action)
        return cls(regime=regime, provision=provision, norm=norm, action=action,
                   action_ancestors=tuple(vocab.ancestors(action)),
                   objects=tuple(dict.fromkeys(vocab.canonical(o) for o in norm.objects)),
                   bearers=tuple(dict.fromkeys(vocab.canonical(b) for b in norm.bearers)),
                   regime_id=regime.id, cite=f"{regime.id} {provision.ref}")


class NormIndex:
    """Norms keyed by canonical action and object, and by every term above those.

    ``candidates(entry)`` returns the entries whose action meets ``entry``'s action (same,
    narrower or broader) and whose objects meet ``entry``'s objects: two look-ups per
    ancestor, then a set intersection. Cost per entry is proportional to the depth of the
    hierarchy and the number of genuine candidates, not to the size of the corpus.
    """

    def __init__(self, vocab: Vocabulary, entries: Iterable[NormEntry]):
        self.vocab = vocab
        self.entries: list[NormEntry] = list(entries)
        self._by_action: dict[str, list[int]] = defaultdict(list)
        self._under_action: dict[str, list[int]] = defaultdict(list)
        self._by_object: dict[str, set[int]] = defaultdict(set)
        self._under_object: dict[str, set[int]] = defaultdict(set)
        self._objectless: set[int] = set()
        self.comparisons = 0
        for i, e in enumerate(self.entries):
            self._by_action[e.action].append(i)
            for anc in e.action_ancestors:
                self._under_action[anc].append(i)
            if not e.objects:
                self._objectless.add(i)
            for o in e.objects:
                self._by_object[o].add(i)
                for anc in vocab.ancestors(o):
                    self._under_object[anc].add(i)

    def _action_matches(self, e: NormEntry) -> set[int]:
        found = set(self._under_action.get(e.action, ()))  # same action or narrower
        for anc in e.action_ancestors[1:]:  # strictly broader actions
            found.update(self._by_action.get(anc, ()))
        return found

    def _object_matches(self, e: NormEntry) -> set[int] | None:
        if not e.objects:
            return None  # reaches every object
        found = set(self._objectless)
        for o in e.objects:
            found |= self._under_object.get(o, set())
            for anc in self.vocab.ancestors(o)[1:]:
                found |= self._by_object.get(anc, set())
        return found

    def candidates(self, e: NormEntry) -> list[NormEntry]:
        ids = self._action_matches(e)
        objs = self._object_matches(e)
        if objs is not None:
            ids &= objs
        out = [self.entries[i] for i in sorted(ids) if self.entries[i] is not e]
        self.comparisons += len(out)
        return out

    def pairs(self) -> Iterable[tuple[NormEntry, NormEntry]]:
        """Each unordered pair of overlapping norms from different regimes, once."""
        position = {id(e): i for i, e in enumerate(self.entries)}
        for i, e in enumerate(self.entries):
            for c in self.candidates(e):
                if position[id(c)] > i and c.regime_id != e.regime_id:
                    yield e, c
