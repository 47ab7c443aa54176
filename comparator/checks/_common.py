"""What every conflict check shares: the context it runs in, and how a Conflict is assembled.

A check module (direct.py, ...) decides *whether* two norms conflict; this module decides
*how the finding reads*: who is bound by both, the two sides with citations, which
exceptions could reconcile it (and their tests), and its severity.

Severity (docs/comparison.md section 4):
  ``low``    either norm is not binding (should / may), or the kind is permission_denied
             (one can comply with both by not acting);
  ``medium`` the prohibition has escape routes (``unless``), or an exception written for
             one of the two provisions could reconcile them (subject to its tests);
  ``high``   both binding and only instrument-wide exceptions (``applies_to all``) remain.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..binding import exceptions_in_force, is_treaty
from ..model import Citation, Conflict, ConflictSide, Exception_, Perspective, ReconcileRoute, english_beside
from ..overlap import NormEntry, Overlap
from ..perspective import Prepared
from .. import sentences as en

NOT_BINDING = {"should", "should not", "may", "recognises"}


@dataclass
class Context:
    """The perspective a check runs in: vocabulary, date, regimes in play and whom they bind."""

    prep: Prepared
    perspective: Perspective
    bound: dict[str, set[str]]
    ignore_carve_outs: frozenset[str] = frozenset()  # regimes read as if without ``excludes:``
    _exceptions: dict[str, list[Exception_]] = field(default_factory=dict)
    _escapes: dict[str, set[str]] = field(default_factory=dict)
    _words: dict[tuple, str] = field(default_factory=dict)

    @property
    def vocab(self):
        return self.prep.vocab

    def exceptions(self, regime_id: str) -> list[Exception_]:
        if regime_id not in self._exceptions:
            self._exceptions[regime_id] = exceptions_in_force(self.prep.files[regime_id], self.perspective.as_of)
        return self._exceptions[regime_id]

    def bound_by_both(self, a: NormEntry, b: NormEntry, need_country: bool) -> tuple[str, list[str]] | None:
        """Who is bound by both norms, in words and as country codes; None when nobody is.

        ``need_country``: the conflict is between a state's commitment and its own measure,
        so only a country bound by both regimes counts (not an actor straddling two).
        """
        p = self.perspective
        ca, cb = self.bound.get(a.regime_id, set()), self.bound.get(b.regime_id, set())
        if p.kind == "country":
            return (p.country, [p.country]) if p.country in ca and p.country in cb else None
        common = ca & cb
        if common:
            shown = _collapse_groups(common, self.vocab)
            return ", ".join(shown), shown
        if need_country or is_treaty(a.regime) or is_treaty(b.regime):
            return None
        if p.kind == "role":
            return f"{p.role} operating in {', '.join(p.jurisdictions)}", []
        ja = ", ".join(a.regime.jurisdiction) or "?"
        jb = ", ".join(b.regime.jurisdiction) or "?"
        return f"an actor subject to both {a.regime_id} ({ja}) and {b.regime_id} ({jb})", []

    def bound_words(self, bound: tuple[str, list[str]]) -> str:
        """Who is bound by both, as a reader says it: country names, or the actor in words."""
        if bound[1]:
            key = tuple(bound[1])
            hit = self._words.get(key)
            if hit is None:
                hit = self._words[key] = en.countries(bound[1], self.vocab)
            return hit
        p = self.perspective
        if p.kind == "role":
            return f"{en.article(en.label(self.vocab, p.role))} operating in {en.countries(p.jurisdictions, self.vocab)}"
        # JSON ``bound`` keeps codes ("an actor subject to both US_CLOUD_ACT (US) and ..."); words name them.
        return re.sub(r"\(([A-Z]{2}(?:, [A-Z]{2})*|EU)\)",
                      lambda m: f"({en.countries(m.group(1).split(', '), self.vocab)})", bound[0])

    def place(self, bound: tuple[str, list[str]]) -> str | None:
        """Where 'the territory' of a label is, when one country is bound ("in China")."""
        return self.bound_words(bound) if len(bound[1]) == 1 else None

    def reconcile_routes(self, *entries: NormEntry) -> list[ReconcileRoute]:
        """Exceptions of either regime covering either provision (specific ones first, then `all`)."""
        specific: list[ReconcileRoute] = []
        general: list[ReconcileRoute] = []
        seen: set[str] = set()
        for e in entries:
            for route, is_general in self._routes(e):
                if route.provision not in seen:
                    seen.add(route.provision)
                    (general if is_general else specific).append(route)
        return specific + general

    def _routes(self, e: NormEntry) -> list[tuple[ReconcileRoute, bool]]:
        """The exceptions of e's regime covering e on the as-of date, each with whether it is only
        instrument-wide (memoised on the entry: the routes are shared, read-only, by its conflicts)."""
        key = ("routes", self.perspective.as_of)
        hit = e.memo.get(key)
        if hit is None:
            hit = e.memo[key] = []
            article = self.prep.article_ref(e.regime_id, e.provision)
            for exc in self.exceptions(e.regime_id):
                covers = e.provision.ref in exc.applies_to or (article is not None and article in exc.applies_to)
                if covers or exc.applies_to_all:
                    route = ReconcileRoute(provision=f"{e.regime_id} {exc.ref}", regime=e.regime_id, kind=exc.kind,
                                           tests=list(exc.tests), applies_to_all=exc.applies_to_all)
                    hit.append((route, exc.applies_to_all and not covers))
        return hit

    def is_escape_route(self, e: NormEntry) -> bool:
        """Whether the provision is named in an ``unless`` of its own regime (it lifts that prohibition)."""
        if e.regime_id not in self._escapes:
            self._escapes[e.regime_id] = {r for p in self.prep.files[e.regime_id].provisions() if p.norm for r in p.norm.unless}
        routes = self._escapes[e.regime_id]
        return e.provision.ref in routes or self.prep.article_ref(e.regime_id, e.provision) in routes

    def dispute_settlement_note(self, e: NormEntry, countries: list[str]) -> str | None:
        ds = self.prep.files[e.regime_id].dispute_settlement
        if ds is None or not is_treaty(e.regime):
            return None
        if not ds.applies:
            return f"{e.regime_id}'s dispute settlement does not apply to it"
        if e.provision.ref in ds.excepted:
            return f"{e.cite} is outside {e.regime_id}'s dispute settlement"
        for d in ds.deferrals:
            if e.provision.ref in d.provisions and set(d.parties) & set(countries):
                when = d.until_date.isoformat() if d.until_date else d.until_text
                if d.until_date is None or self.perspective.as_of <= d.until_date:
                    return f"dispute settlement on {e.cite} is deferred for {en.countries(d.parties, self.vocab)} until {when}"
        return None


def _article_ref(prep: Prepared, e: NormEntry) -> str | None:
    return prep.article_ref(e.regime_id, e.provision)


def _collapse_groups(codes: set[str], vocab) -> list[str]:
    """Show a group instead of its members when the group itself is in the set."""
    members = {m for c in codes for m in vocab.group_members(c)}
    return sorted(c for c in codes if c not in members)


def outside_scope(ctx: Context, commitment: NormEntry, measure: NormEntry) -> bool:
    """Whether every object of the measure falls within the commitment's scope carve-outs.

    CPTPP 14.13.2 ``excludes: government_information``: a measure about government
    information only is outside the commitment, so it cannot breach it (unless the
    context reads the commitment's regime as if it had no carve-outs).
    """
    if commitment.regime_id in ctx.ignore_carve_outs:
        return False
    vocab = ctx.vocab
    excluded = [vocab.canonical(x) for x in commitment.provision.excludes]
    objects = measure.norm.objects
    return bool(excluded and objects) and all(any(x in vocab.ancestors(o) for x in excluded) for o in objects)


def side(e: NormEntry) -> ConflictSide:
    """The entry's side of a conflict: the same for every conflict it is in (built once, never changed)."""
    hit = e.memo.get("side")
    if hit is None:
        hit = e.memo["side"] = _side(e)
    return hit


def _side(e: NormEntry) -> ConflictSide:
    n, p = e.norm, e.provision
    span = p.span
    return ConflictSide(
        regime=e.regime_id, provision=e.cite, ref=p.ref, modality=n.modality, stance=n.stance,
        bearers=list(n.bearers), action=n.action, objects=list(n.objects), destinations=list(n.destinations),
        conditions=list(n.conditions), escape_routes=[f"{e.regime_id} {r}" for r in n.unless], quote=p.quote,
        status=p.status, citation=Citation(regime=e.regime_id, ref=p.ref, path=span.path if span else None,
                          line=span.line if span else None, column=span.column if span else None),
        **english_beside(p, e.regime))


def severity(kind: str, a: NormEntry, b: NormEntry, routes: list[ReconcileRoute]) -> str:
    if kind == "permission_denied" or a.norm.modality in NOT_BINDING or b.norm.modality in NOT_BINDING:
        return "low"
    if a.norm.unless or b.norm.unless or any(not r.applies_to_all for r in routes):
        return "medium"
    return "high"


def reconcilable_if(vocab, routes: list[ReconcileRoute], escape: list[str]) -> str | None:
    parts = []
    for r in routes:
        tests = (f" and meets its tests: {en.join([en.label(vocab, t) for t in r.tests])}" if r.tests
                 else " (no tests encoded)")
        parts.append(f"the measure falls within {r.provision} ({en.label(vocab, r.kind)}){tests}")
    if escape:
        parts.append("the activity goes through one of the escape routes " + en.join(escape, "or"))
    if not parts:
        return None
    return "reconcilable only if " + "; or ".join(parts)


def build(kind: str, ctx: Context, a: NormEntry, b: NormEntry, bound: tuple[str, list[str]],
          objects: Overlap, via: list[str], explanation: str, scenario: str) -> Conflict:
    routes = ctx.reconcile_routes(a, b)
    escape = [f"{e.regime_id} {r}" for e in (a, b) for r in e.norm.unless]
    notes = [n for n in (ctx.dispute_settlement_note(e, bound[1]) for e in (a, b)) if n]
    # A conflict is only as sure as its weaker side: say so when a side is not checked against the text.
    notes += [f"{e.cite} is encoded from a paraphrase (unverified), so check the instrument's text before relying on this"
              for e in (a, b) if e.provision.status == "unverified"]
    if notes:
        explanation += " Note: " + "; ".join(notes) + "."
    return Conflict(
        kind=kind, severity=severity(kind, a, b, routes), bound=bound[0], bound_countries=bound[1],
        a=side(a), b=side(b), overlap=objects.terms, overlap_via=list(dict.fromkeys(via + objects.via)),
        explanation=explanation, scenario=scenario,
        reconcilable_via=[r.provision for r in routes], reconcile=routes,
        reconcilable_if=reconcilable_if(ctx.vocab, routes, escape))


def words(vocab, terms, word: str = "and") -> str:
    """Terms by label: 'information and personal information'."""
    terms = list(terms)
    return en.objects(vocab, terms, word) if terms else "anything"


def norm_text(vocab, e: NormEntry, place: str | None = None, subject: str | None = None) -> str:
    """A norm in plain words: 'a controller or processor must not transfer across borders personal
    information to a third country unless GDPR 45 or 46 apply' (memoised on the entry)."""
    key = ("text", place, subject)
    hit = e.memo.get(key)
    if hit is None:
        hit = e.memo[key] = en.norm_sentence(vocab, e.regime_id, e.norm, subject=subject, place=place)
    return hit
