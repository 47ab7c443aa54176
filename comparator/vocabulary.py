"""The resolved vocabulary: canonical terms, aliases, broader-than links, groups, countries.

Sits just above :mod:`comparator.model` (model <- **vocabulary** <- parse/validate <- store
<- engine). Validation resolves names against it and the engine (overlap, binding,
perspective) walks its hierarchy, so it imports only the model and pycountry: the engine
never needs the validator to know what a term means.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Iterable

from .model import Term

# Codes lawyers often write that ISO 3166-1 spells differently.
COUNTRY_CODE_SLIPS = {"UK": "GB", "EL": "GR", "KO": "KR"}


def topic_matches(topic: str, pattern: str) -> bool:
    """Whether ``topic`` falls under ``pattern``: the id itself, a family (``data_flows``
    reaches ``data_flows.cross_border_transfer``) or a glob (``data_flows.*``)."""
    return topic == pattern or topic.startswith(pattern + ".") or fnmatch.fnmatchcase(topic, pattern)


def is_country_code(code: str) -> bool:
    import pycountry

    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


@dataclass
class Vocabulary:
    """Resolved vocabulary: canonical terms, aliases, and the broader-than hierarchy."""

    terms: dict[str, Term] = field(default_factory=dict)
    alias_of: dict[str, str] = field(default_factory=dict)
    # ancestors() memoised: the conflict engine asks it for every candidate pair (the
    # vocabulary does not change once built; callers only read the lists).
    _ancestors: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)
    # Facts other modules derive from the vocabulary alone (overlap.py: which term lists meet).
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_terms(cls, terms: Iterable[Term]) -> "Vocabulary":
        vocab = cls()
        for t in terms:
            vocab.terms.setdefault(t.id, t)
            for a in t.aliases:
                vocab.alias_of.setdefault(a, t.id)
        return vocab

    def canonical(self, name: str) -> str:
        return self.alias_of.get(name, name)

    def get(self, name: str) -> Term | None:
        return self.terms.get(self.canonical(name))

    def ancestors(self, name: str) -> list[str]:
        """The term itself and every broader term above it, nearest first (cycle-safe)."""
        hit = self._ancestors.get(name)
        if hit is not None:
            return hit
        out: list[str] = []
        todo = [self.canonical(name)]
        while todo:
            cur = todo.pop(0)
            if cur in out:
                continue
            out.append(cur)
            term = self.terms.get(cur)
            if term:
                todo += [self.canonical(b) for b in term.broader]
        self._ancestors[name] = out
        return out

    def names(self, kind: str | None = None) -> list[str]:
        ids = [t.id for t in self.terms.values() if kind is None or t.kind == kind]
        aliases = [a for a, c in self.alias_of.items() if kind is None or self.terms[c].kind == kind]
        return sorted(ids + aliases)

    def group_members(self, group: str) -> list[str]:
        term = self.terms.get(group)
        return list(term.members) if term and term.kind == "group" else []
