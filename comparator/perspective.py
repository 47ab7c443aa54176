"""Perspectives and the prepared corpus: which regimes bind whom, checked against the input.

Pipeline position: validate -> **perspective** -> checks/compare. A perspective (country,
actor role in jurisdictions, or explicit regimes; as-of date; hypothetical accessions) is
turned into the regimes in play and the countries each binds. Bad input (unknown regime,
country, role; a date that is not a date) raises :class:`InputError` with a "did you mean"
hint, which the CLI prints without a traceback and the UI shows beside the field.

``prepare(corpus)`` resolves the vocabulary once per corpus and is memoised, so a UI that
calls the engine on every page load pays for it once.
"""
from __future__ import annotations

import datetime as dt
import difflib
from collections import OrderedDict
from dataclasses import dataclass, field

from .binding import countries_bound, is_treaty, provisions_in_force, regime_in_force
from .errors import UserError
from .model import Corpus, Perspective, RuleFile
from .overlap import roles_overlap
from .vocabulary import Vocabulary, is_country_code


class InputError(UserError, ValueError):
    """A user-supplied name or value the engine cannot use; ``hint`` says what would work."""

    def __str__(self) -> str:
        return self.message + (f" ({self.hint})" if self.hint else "")


def did_you_mean(name: str, candidates: list[str]) -> str | None:
    close = difflib.get_close_matches(name, candidates, n=3, cutoff=0.5)
    if not close:
        close = [c for c in candidates if c.lower() == name.lower()]
    return ("did you mean " + " or ".join(close) + "?") if close else None


def parse_date(text: str | dt.date | None, what: str = "--as-of") -> dt.date | None:
    if text is None or isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{what} `{text}` is not a date", "write it as YYYY-MM-DD, e.g. 2025-06-01") from None


@dataclass
class Prepared:
    """A corpus with its vocabulary resolved: what every engine call starts from."""

    corpus: Corpus
    vocab: Vocabulary
    files: dict[str, RuleFile] = field(default_factory=dict)
    # Facts that depend on the corpus alone, computed on first use: a sweep over every
    # country asks each of them once per country (profile: half the time of that sweep).
    _bound: dict = field(default_factory=dict, repr=False)
    _articles: dict = field(default_factory=dict, repr=False)
    _entries: dict = field(default_factory=dict, repr=False)
    _in_force: dict = field(default_factory=dict, repr=False)
    _binding: dict = field(default_factory=dict, repr=False)

    def countries_bound(self, regime_id: str, as_of: dt.date, assumed: tuple[str, ...] = ()) -> set[str]:
        """:func:`binding.countries_bound`, memoised (callers must not change the set)."""
        key = (regime_id, as_of, assumed)
        hit = self._bound.get(key)
        if hit is None:
            hit = self._bound[key] = countries_bound(self.files[regime_id].regime, as_of, self.vocab, assumed)
        return hit

    def article_ref(self, regime_id: str, provision) -> str | None:
        """The ref of the article holding ``provision`` (None for a provision outside any)."""
        refs = self._articles.get(regime_id)
        if refs is None:
            refs = self._articles[regime_id] = {id(p): art.ref for art in self.files[regime_id].articles
                                                for p in art.provisions}
        return refs.get(id(provision))

    def norm_entry(self, regime_id: str, provision):
        """The provision's :class:`~comparator.overlap.NormEntry`, built once."""
        key = (regime_id, id(provision))
        hit = self._entries.get(key)
        if hit is None:
            from .overlap import NormEntry

            hit = self._entries[key] = NormEntry.build(self.vocab, self.files[regime_id].regime, provision)
        return hit

    def entries_in_force(self, regime_id: str, as_of: dt.date) -> list:
        """The NormEntry of every provision of the regime in force on ``as_of`` that has a norm (memoised)."""
        key = (regime_id, as_of)
        hit = self._in_force.get(key)
        if hit is None:
            hit = self._in_force[key] = [self.norm_entry(regime_id, p)
                                         for p in provisions_in_force(self.files[regime_id], as_of) if p.norm is not None]
        return hit

    def regimes_binding(self, country: str, as_of: dt.date) -> list[str]:
        """The regimes in force on ``as_of`` that bind ``country`` (no accession assumed), sorted.

        One pass over the corpus per date builds the country -> regimes map, so asking for
        every country costs the corpus once, not once per country.
        """
        by_country = self._binding.get(as_of)
        if by_country is None:
            by_country = self._binding[as_of] = {}
            for regime_id, rf in sorted(self.files.items()):
                if regime_in_force(rf.regime, as_of):
                    for c in self.countries_bound(regime_id, as_of):
                        by_country.setdefault(c, []).append(regime_id)
        return by_country.get(country, [])

    def regime_file(self, regime_id: str) -> RuleFile:
        if regime_id not in self.files:
            raise InputError(f"no regime `{regime_id}` in the rules",
                             did_you_mean(regime_id, sorted(self.files)) or "known regimes: " + ", ".join(sorted(self.files)))
        return self.files[regime_id]

    def check_country(self, code: str) -> str:
        term = self.vocab.get(code)
        if is_country_code(code) or (term is not None and term.kind == "group"):
            return code
        groups = [t.id for t in self.vocab.terms.values() if t.kind == "group"]
        hint = (f"write country codes in capitals: {code.upper()}" if is_country_code(code.upper())
                else did_you_mean(code, groups) or "an ISO 3166-1 alpha-2 code (GB, CN) or a group in the vocabulary (" + ", ".join(groups) + ")")
        raise InputError(f"`{code}` is not a country code or group", hint)

    def check_role(self, role: str) -> str:
        term = self.vocab.get(role)
        if term is None or term.kind != "role":
            raise InputError(f"`{role}` is not a role in the vocabulary", did_you_mean(role, self.vocab.names("role")))
        return self.vocab.canonical(role)


_PREPARED: "OrderedDict[int, Prepared]" = OrderedDict()


def prepare(corpus: Corpus | Prepared) -> Prepared:
    """The corpus with its vocabulary resolved; memoised on the corpus object (last 8 kept)."""
    if isinstance(corpus, Prepared):
        return corpus
    hit = _PREPARED.get(id(corpus))
    if hit is not None and hit.corpus is corpus:
        _PREPARED.move_to_end(id(corpus))
        return hit
    prepared = Prepared(corpus=corpus, vocab=Vocabulary.from_terms(corpus.terms), files=corpus.regimes)
    _PREPARED[id(corpus)] = prepared
    while len(_PREPARED) > 8:
        _PREPARED.popitem(last=False)
    return prepared


def forget_prepared() -> None:
    """Drop every memoised prepared corpus (benchmarks timing a fresh corpus; a process done with its corpora)."""
    _PREPARED.clear()


def validate_perspective(prep: Prepared, perspective: Perspective) -> None:
    """Raise InputError for any name in the perspective the corpus does not know."""
    for regime_id, country in perspective.assume_party:
        rf = prep.regime_file(regime_id)
        if not is_treaty(rf.regime):
            raise InputError(f"{regime_id} is a {rf.regime.kind.replace('_', ' ')}, not a treaty: it has no parties to add",
                             "--assume-party takes a treaty and a country, e.g. CPTPP=CN")
        prep.check_country(country)
    if perspective.kind == "country":
        if not perspective.country:
            raise InputError("a country perspective needs a country", "e.g. --country GB")
        prep.check_country(perspective.country)
    elif perspective.kind == "role":
        if not perspective.role or not perspective.jurisdictions:
            raise InputError("a role perspective needs a role and at least one jurisdiction",
                             "e.g. the role provider in the jurisdictions US and EU")
        prep.check_role(perspective.role)
        for j in perspective.jurisdictions:
            prep.check_country(j)
    else:
        if not perspective.regimes:
            raise InputError("name at least one regime", "e.g. --regimes CPTPP UK_GDPR")
        for r in perspective.regimes:
            prep.regime_file(r)


def regimes_in_play(prep: Prepared, perspective: Perspective) -> dict[str, set[str]]:
    """Regime id -> the countries it binds on the as-of date, for the regimes in the perspective.

    * country C: every treaty C is a party to and every law whose jurisdiction covers C;
    * role R in jurisdictions J: every domestic law or set of clauses covering one of J
      (treaties bind states, not actors, so they are left out);
    * explicit regimes: those named, if in force on the as-of date.
    """
    validate_perspective(prep, perspective)
    as_of = perspective.as_of
    out: dict[str, set[str]] = {}
    if perspective.kind == "country":
        # The regimes binding the country anyway, then those it is assumed to join.
        for regime_id in prep.regimes_binding(perspective.country, as_of):
            out[regime_id] = set(prep.countries_bound(regime_id, as_of))
        for regime_id, _ in perspective.assume_party:
            assumed = tuple(c for r, c in perspective.assume_party if r == regime_id)
            bound = prep.countries_bound(regime_id, as_of, assumed)
            if perspective.country in bound:
                out[regime_id] = set(bound)
        return dict(sorted(out.items()))
    for regime_id, rf in sorted(prep.files.items()):
        regime = rf.regime
        assumed = tuple(c for r, c in perspective.assume_party if r == regime_id)
        bound = prep.countries_bound(regime_id, as_of, assumed)
        if not bound:
            continue
        if perspective.kind == "country":
            keep = perspective.country in bound
        elif perspective.kind == "role":
            keep = not is_treaty(regime) and any(j in bound for j in perspective.jurisdictions)
        else:
            keep = regime_id in perspective.regimes
        if keep and (regime_in_force(regime, as_of) or assumed):
            out[regime_id] = set(bound)
    return out


def bearer_fits_role(prep: Prepared, bearers: list[str] | tuple[str, ...], role: str) -> bool:
    return bool(roles_overlap(prep.vocab, bearers, [role]))
