"""Accession: what a country would have to change to join one or more agreements.

Pipeline position: perspective/binding/checks/compare -> **accession** -> report/cli/ui.
There is no second conflict engine here: the country's conflict report is run today and
with the agreements assumed (the country added as a party from the as-of date), and the
difference is read provision by provision (docs/accession.md).

Public API::

    accession(corpus, country, agreements, as_of=None) -> AccessionReport

Per provision of the agreements that would newly bind the country: the conflicts with its
domestic measures (every kind), which of them already exist through another agreement,
the room the agreement leaves (exceptions and how strong they are), whether dispute
settlement reaches it, what existing members obtained (deferrals), and a verdict. The
engine never says a measure passes an exception's tests (docs/comparison.md section 6).
"""
from __future__ import annotations

import datetime as dt

from .model.accession import (VERDICT_RANK, AccessionConflict, AccessionReport, AccessionRow, AccessionSummary,
                              OutOfScope, Precedent, Room, ACCESSION_VERDICTS)
from .binding import binds, is_treaty, provisions_in_force
from .checks import conflict_report
from .collector import long_lived
from .compare import build_cell
from .model import Citation, Conflict, ConflictSide, Corpus, Perspective, Provision, ReconcileRoute, RuleFile
from .perspective import InputError, Prepared, parse_date, prepare


def label(prep: Prepared, term: str) -> str:
    """A vocabulary term in words: its label, else the identifier with spaces."""
    t = prep.vocab.get(term)
    return t.label if t is not None and t.label else term.replace("_", " ")


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1] if words else ""


def _citation(regime: str, node) -> Citation:
    span = node.span
    return Citation(regime=regime, ref=node.ref, path=span.path if span else None,
                    line=span.line if span else None, column=span.column if span else None)


# ---------------------------------------------------------------------------- room

def _room(prep: Prepared, regime: str, ref: str, kind: str, tests: list[str], applies_to_all: bool) -> Room:
    self_judging = "self_judging" in {prep.vocab.canonical(t) for t in tests}
    shown = [t for t in tests if prep.vocab.canonical(t) != "self_judging"]
    test_labels = [label(prep, t) for t in shown]
    if self_judging:
        strength = "self-judging: the party itself decides whether the measure falls within it"
    elif test_labels:
        strength = "reviewable: a panel can review the measure against these tests: " + "; ".join(test_labels)
    else:
        strength = "reviewable (no tests encoded)"
    words = f"{regime} {ref} ({label(prep, kind)}), {strength}"
    if applies_to_all:
        words += "; it applies to the whole agreement, not to this provision in particular"
    exc = next((e for e in prep.files[regime].exceptions() if e.ref == ref), None)
    return Room(provision=f"{regime} {ref}", kind=kind, label=label(prep, kind),
                strength="self_judging" if self_judging else "reviewable", tests=list(tests), test_labels=test_labels,
                applies_to_all=applies_to_all, words=words, quote=exc.quote if exc else None,
                citation=_citation(regime, exc) if exc else None)


def _route_room(prep: Prepared, r: ReconcileRoute) -> Room:
    return _room(prep, r.regime, r.provision.split(" ", 1)[1], r.kind, r.tests, r.applies_to_all)


# ---------------------------------------------------------------------------- conflicts

def _sides(c: Conflict, agreement: str, ref: str) -> tuple[ConflictSide, ConflictSide] | None:
    """(the agreement's side, the other side) when the conflict involves ``agreement ref``."""
    if c.a.regime == agreement and c.a.ref == ref:
        return c.a, c.b
    if c.b.regime == agreement and c.b.ref == ref:
        return c.b, c.a
    return None


def _topics(prep: Prepared, regime: str, ref: str) -> set[str]:
    p = next((p for p in prep.files[regime].provisions() if p.ref == ref), None)
    return set(p.topics) if p else set()


def _already_bound(prep: Prepared, c: Conflict, ours: ConflictSide, measure: ConflictSide,
                   before: list[Conflict], acceding: set[str]) -> list[str]:
    """Commitments of agreements already binding the country that the measure already breaks the same way."""
    topics = _topics(prep, ours.regime, ours.ref)
    out = []
    for b in before:
        if b.kind != c.kind:
            continue
        # Same measure on the same side of the pattern (side a is the commitment in every kind).
        other = b.a if b.b.provision == measure.provision and c.b is measure else (
            b.b if b.a.provision == measure.provision and c.a is measure else None)
        if other is None or other.regime in acceding or not is_treaty(prep.files[other.regime].regime):
            continue
        if topics & _topics(prep, other.regime, other.ref):
            out.append(other.provision)
    return list(dict.fromkeys(out))


def _judge(prep: Prepared, c: Conflict, ours: ConflictSide, measure: ConflictSide,
           room: list[Room]) -> tuple[str, str | None, str | None, str]:
    if c.kind == "permission_denied":
        # A permission and a prohibition can both be obeyed by not acting (severity low).
        return ("compatible", None, None,
                f"{ours.provision} and {measure.provision} can both be complied with by not acting: one only permits")
    unverified = [s.provision for s in (ours, measure) if s.status == "unverified"]
    if unverified:
        return ("cannot_tell", None, None,
                f"{_and(unverified)} is encoded from a paraphrase (unverified): check the instrument's text first")
    # Only an exception written for the provision decides: an agreement-wide one (general or
    # security exceptions) reaches every provision alike and is listed, not relied on (the
    # conflict's severity reads the same way: docs/comparison.md section 4).
    specific = [r for r in room if not r.applies_to_all]
    if specific:
        best = next((r for r in specific if r.strength == "self_judging"), specific[0])
        return ("compatible_via_exception", best.provision, best.strength,
                f"{measure.provision} may stay if it falls within {best.words}")
    rest = [r.provision for r in room]
    return ("requires_change", None, None,
            f"no exception written for {ours.provision} covers {measure.provision}"
            + (f"; only the agreement-wide exceptions remain ({_and(rest)})" if rest else ""))


def _accession_conflict(prep: Prepared, c: Conflict, ours: ConflictSide, measure: ConflictSide,
                        before: list[Conflict], acceding: set[str]) -> AccessionConflict:
    room = [_route_room(prep, r) for r in c.reconcile if r.regime == ours.regime]
    already = _already_bound(prep, c, ours, measure, before, acceding)
    verdict, exception, strength, reason = _judge(prep, c, ours, measure, room)
    return AccessionConflict(conflict=c, measure=measure.provision, measure_regime=measure.regime, new=not already,
                             already_bound_by=already, room=room, verdict=verdict, exception=exception,
                             strength=strength, reason=reason)


# ---------------------------------------------------------------------------- carve-outs

def _out_of_scope(prep: Prepared, p: Provision, agreement: str, found: list[Conflict]) -> list[OutOfScope]:
    out = []
    for c in found:
        sides = _sides(c, agreement, p.ref)
        if sides is None:
            continue
        objects = sides[1].objects
        cuts = [x for x in p.excludes if any(prep.vocab.canonical(x) in prep.vocab.ancestors(o) for o in objects)]
        labels = [label(prep, x) for x in cuts]
        out.append(OutOfScope(measure=sides[1].provision, carve_outs=cuts, carve_out_labels=labels,
                              words=f"{sides[1].provision} is outside {agreement} {p.ref}: {agreement} does not cover "
                                    f"{_and(labels) or 'what it regulates'}"))
    return list({o.measure: o for o in out}.values())


# ---------------------------------------------------------------------------- rows

def _precedents(rf: RuleFile, ref: str) -> list[Precedent]:
    ds = rf.dispute_settlement
    if ds is None:
        return []
    out = []
    for d in ds.deferrals:
        if ref in d.provisions:
            when = d.until_date.isoformat() if d.until_date else d.until_text
            out.append(Precedent(parties=list(d.parties), provisions=list(d.provisions), until_date=d.until_date,
                                 until_text=d.until_text,
                                 words=f"{_and(list(d.parties))} obtained a deferral for {rf.regime.id} {ref} until {when}"))
    return out


def _ds_words(agreement: str, ds: bool | None, country: str) -> str:
    if ds is None:
        return f"unknown: {agreement}'s rule file says nothing about dispute settlement"
    if ds:
        return f"subject to {agreement}'s dispute settlement for {country}"
    return f"not subject to {agreement}'s dispute settlement"


def _row(prep: Prepared, rf: RuleFile, p: Provision, country: str, as_of: dt.date, after: list[Conflict],
         before: list[Conflict], stripped: list[Conflict], acceding: set[str]) -> AccessionRow:
    agreement = rf.regime.id
    conflicts = []
    for c in after:
        sides = _sides(c, agreement, p.ref)
        if sides is not None:
            conflicts.append(_accession_conflict(prep, c, sides[0], sides[1], before, acceding))
    after_keys = {c.key for c in after}
    out_of_scope = _out_of_scope(prep, p, agreement, [c for c in stripped if c.key not in after_keys])
    cell = build_cell(prep, rf, [p], as_of)
    room = [_room(prep, agreement, e.provision.split(" ", 1)[1], e.kind, e.tests, e.applies_to_all)
            for e in cell.exceptions]
    cite = f"{agreement} {p.ref}"
    if conflicts:
        worst = max(conflicts, key=lambda x: VERDICT_RANK[x.verdict])
        verdict, exception, strength = worst.verdict, worst.exception, worst.strength
        reason = "; ".join(dict.fromkeys(x.reason for x in conflicts if x.verdict == verdict))
    else:
        verdict, exception, strength = "compatible", None, None
        reason = f"no domestic measure of {country} conflicts with {cite}"
        if out_of_scope:
            reason += " (" + "; ".join(o.words for o in out_of_scope) + ")"
    topic = p.topics[0] if p.topics else "untopical"
    n = p.norm
    return AccessionRow(
        agreement=agreement, provision=cite, ref=p.ref, topic=topic, topic_label=label(prep, topic),
        topics=list(p.topics), modality=n.modality, strength=n.strength, quote=p.quote, status=p.status,
        citation=_citation(agreement, p), conditions=list(n.conditions), excludes=list(p.excludes),
        exclude_labels=[label(prep, x) for x in p.excludes], verdict=verdict, exception=exception,
        exception_strength=strength, reason=reason, conflicts=conflicts, new_conflicts=sum(c.new for c in conflicts),
        out_of_scope=out_of_scope, room=room, dispute_settlement=cell.dispute_settlement,
        dispute_settlement_words=_ds_words(agreement, cell.dispute_settlement, country),
        precedents=_precedents(rf, p.ref))


def _summary(prep: Prepared, country: str, agreements: list[str], as_of: dt.date, already: list[str],
             rows: list[AccessionRow], today: list[str], after: list[str]) -> AccessionSummary:
    verdicts = {v: 0 for v in ACCESSION_VERDICTS}
    topics: dict[str, dict[str, int]] = {}
    for r in rows:
        verdicts[r.verdict] += 1
        topics.setdefault(r.topic, {v: 0 for v in ACCESSION_VERDICTS})[r.verdict] += 1
    conflicts = [c for r in rows for c in r.conflicts]
    assumptions = [f"{country} is assumed to be a party to {a} from {as_of}" for a in agreements if a not in already]
    assumptions += [f"{country} is already a party to {a} before {as_of}: joining adds nothing" for a in already]
    assumptions += [
        "every 'when' condition of both sides is assumed to hold: the engine shows conditions but does not evaluate them",
        "compatible via an exception means an exception written for the provision could cover the measure; "
        "whether the measure meets its tests is for a panel or a court",
        "a conflict is not new when the same domestic measure already conflicts in the same way with a provision "
        f"on the same topic of an agreement {country} is already bound by on {as_of}",
    ]
    return AccessionSummary(
        provisions=len(rows), verdicts=verdicts, topics=topics, topic_labels={t: label(prep, t) for t in topics},
        conflicts=len(conflicts), new_conflicts=sum(c.new for c in conflicts),
        already_bound=sum(not c.new for c in conflicts), out_of_scope=sum(len(r.out_of_scope) for r in rows),
        regimes_today=today, regimes_after=after, assumptions=assumptions)


def accession(corpus: Corpus | Prepared, country: str, agreements: list[str] | str,
              as_of: dt.date | str | None = None) -> AccessionReport:
    """What ``country`` would have to change to join ``agreements`` on ``as_of`` (default today).

    Raises InputError for an unknown country or regime, or a regime that is not a treaty.
    An agreement the country is already a party to before ``as_of`` adds no rows.
    """
    with long_lived():
        return _accession(corpus, country, agreements, as_of)


def _accession(corpus: Corpus | Prepared, country: str, agreements: list[str] | str,
               as_of: dt.date | str | None) -> AccessionReport:
    prep = prepare(corpus)
    as_of = parse_date(as_of) or dt.date.today()
    agreements = [agreements] if isinstance(agreements, str) else list(dict.fromkeys(agreements))
    if not agreements:
        raise InputError("name at least one agreement", "e.g. dtrc accession CN CPTPP")
    prep.check_country(country)
    for a in agreements:
        rf = prep.regime_file(a)
        if not is_treaty(rf.regime):
            raise InputError(f"{a} is a {rf.regime.kind.replace('_', ' ')}, not an agreement: a country cannot join it",
                             "name a trade or digital economy agreement, e.g. CPTPP or DEPA")
    day_before = as_of - dt.timedelta(days=1)
    already = [a for a in agreements if binds(prep.files[a].regime, country, day_before, prep.vocab)]
    joining = [a for a in agreements if a not in already]
    acceding = set(joining)
    assumed = Perspective(kind="country", country=country, as_of=as_of, assume_party=[(a, country) for a in joining])
    # Only the conflicts with a side in the agreements are read after joining; the same again
    # with their scope carve-outs read away gives what the carve-outs keep out.
    after = conflict_report(prep, assumed, involving=acceding)
    stripped = conflict_report(prep, assumed, involving=acceding, ignore_carve_outs=acceding).conflicts if joining else []
    # Today's conflicts are read only for the measures met after joining (is the conflict new?).
    measures = {s.regime for c in after.conflicts for s in (c.a, c.b) if s.regime not in acceding}
    today = conflict_report(prep, Perspective(kind="country", country=country, as_of=as_of), involving=measures)
    # Without the agreements: a country joining on the as-of date is already bound by it that day.
    before = [c for c in today.conflicts if c.a.regime not in acceding and c.b.regime not in acceding]
    rows: list[AccessionRow] = []
    for a in joining:
        rf = prep.files[a]
        rows += [_row(prep, rf, p, country, as_of, after.conflicts, before, stripped, acceding)
                 for p in provisions_in_force(rf, as_of) if p.norm is not None]
    order = {t: i for i, t in enumerate(dict.fromkeys(r.topic for r in sorted(rows, key=lambda r: r.topic)))}
    rows.sort(key=lambda r: order[r.topic])  # stable: within a topic, the agreements' own order
    return AccessionReport(country=country, agreements=agreements, as_of=as_of, already_party=already, rows=rows,
                           summary=_summary(prep, country, agreements, as_of, already, rows,
                                            [r for r in today.regimes if r not in acceding], after.regimes))


__all__ = ["accession", "label"]
