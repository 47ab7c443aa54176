"""Alignment and diff: one row per topic, each regime's position, differences named in words.

Pipeline position: validate -> perspective/overlap -> **compare** (+ checks) -> report/cli/ui.

Public API (the CLI, reports and the UI call only these)::

    compare(corpus, regimes, topics=None, as_of=None) -> Comparison
    find_conflicts(corpus, perspective) -> list[Conflict]        # from comparator.checks
    conflict_report(corpus, perspective) -> ConflictReport       # from comparator.checks
    run_expectations(corpus) -> list[ExpectationResult]          # from comparator.expectations

``corpus`` is a :class:`~comparator.model.Corpus` (``validate.load_corpus``) or the
:class:`~comparator.perspective.Prepared` form of one; unknown regime ids, topics or dates
raise :class:`~comparator.perspective.InputError` with a "did you mean" hint.

How a cell, a difference and a verdict are decided is in docs/comparison.md. In short: a
cell's *lead* provisions are those of its strongest strength (binding > best endeavour >
recognition/permission); the cell reports their modality, objects, carve-outs and escape
routes, and every exception of the regime that covers one of the cell's provisions (or
``all``). Pairs of cells are ``conflicting`` when a check pattern (direct,
commitment_vs_measure, restriction) matches between their provisions on the texts alone,
else ranked by status, else by a partial order on scope, carve-outs and exceptions.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
from typing import Iterable

from . import sentences as en
from .binding import exceptions_in_force, is_treaty, provisions_in_force, regime_in_force
from .checks import conflict_report, find_conflicts  # noqa: F401 - re-exported public API
from .expectations import run_expectations  # noqa: F401 - re-exported public API
from .model import (Cell, Comparison, Corpus, Exception_, ExceptionEntry, PairVerdict, Provision, RegimeSummary,
                    Row, RuleFile, Citation, english_beside)
from .overlap import NormEntry, overlap_terms, relation, roles_overlap
from .perspective import InputError, Prepared, did_you_mean, parse_date, prepare
from .vocabulary import topic_matches

STATUS_RANK = {"binding": 3, "best_endeavour": 2, "recognition": 1, "absent": 0, "not_encoded": 0}
# Cells that hold no provision: nothing to contrast, only something to say about the gap.
EMPTY = ("absent", "not_encoded")
STRENGTH_RANK = {"binding": 3, "best_endeavour": 2, "permission": 1, "recognition": 1}
STATUS_WORDS = {"binding": "binding", "best_endeavour": "best endeavour only", "recognition": "recognition only (no obligation)",
                "absent": "absent", "not_encoded": "not encoded"}


# ---------------------------------------------------------------------------- cells

def _article_of(rf: RuleFile, p: Provision) -> str | None:
    return next((a.ref for a in rf.articles if any(q is p for q in a.provisions)), None)


def _covering_exceptions(rf: RuleFile, provisions: list[Provision], as_of: dt.date) -> list[Exception_]:
    refs = {p.ref for p in provisions} | {_article_of(rf, p) for p in provisions}
    covering = [e for e in exceptions_in_force(rf, as_of) if e.applies_to_all or refs & set(e.applies_to)]
    # Specific exceptions first: they were written for this provision.
    return sorted(covering, key=lambda e: e.applies_to_all)


def _dispute_settlement(rf: RuleFile, lead: list[Provision]) -> tuple[bool | None, list[str]]:
    ds = rf.dispute_settlement
    if ds is None:
        return None, []
    refs = {p.ref for p in lead}
    deferrals = [f"{', '.join(d.parties)} until {d.until_date or d.until_text}"
                 for d in ds.deferrals if refs & set(d.provisions)]
    if not ds.applies:
        return False, deferrals
    return (not refs <= set(ds.excepted)), deferrals


def empty_status(rf: RuleFile, topic: str, in_force: list[Provision]) -> str:
    """``absent`` or ``not_encoded`` for a cell with no provision (docs/comparison.md, "Not encoded").

    The corpus may simply not hold the words: the regime says so (``not_encoded``), or says
    which topics it encodes (``covers``) and this is not one, or its only provisions on the
    topic are unverified skeletons without a norm (an importer's draft).
    """
    rg = rf.regime
    if any(topic_matches(topic, p) for p in rg.not_encoded):
        return "not_encoded"
    if rg.covers is not None and not any(topic_matches(topic, p) for p in rg.covers):
        return "not_encoded"
    drafts = [p for p in in_force if topic in p.topics]
    if drafts and all(p.norm is None and p.status == "unverified" for p in drafts):
        return "not_encoded"
    return "absent"


def build_cell(prep: Prepared, rf: RuleFile, provisions: list[Provision], as_of: dt.date, empty: str = "absent") -> Cell:
    if not provisions:
        return Cell(status=empty)
    regime_id = rf.regime.id
    strongest = max(STRENGTH_RANK[p.norm.strength] for p in provisions)
    lead = [p for p in provisions if STRENGTH_RANK[p.norm.strength] == strongest]
    strengths = {p.norm.strength for p in lead}
    status = "binding" if "binding" in strengths else "best_endeavour" if "best_endeavour" in strengths else "recognition"
    ordered = lead + [p for p in provisions if p not in lead]
    vocab = prep.vocab
    ds, deferrals = _dispute_settlement(rf, lead)
    return Cell(
        status=status,
        provisions=[f"{regime_id} {p.ref}" for p in ordered],
        modality=lead[0].norm.modality,
        stance=lead[0].norm.stance,
        modalities=list(dict.fromkeys(p.norm.modality for p in ordered)),
        permission=status == "recognition" and "permission" in strengths,
        bearers=list(dict.fromkeys(b for p in lead for b in p.norm.bearers)),
        actions=list(dict.fromkeys(p.norm.action for p in lead)),
        objects=list(dict.fromkeys(o for p in lead for o in p.norm.objects)),
        excludes=list(dict.fromkeys(x for p in lead for x in p.excludes)),
        exceptions=[ExceptionEntry(kind=e.kind, provision=f"{regime_id} {e.ref}", tests=list(e.tests),
                                   applies_to_all=e.applies_to_all,
                                   self_judging="self_judging" in {vocab.canonical(t) for t in e.tests})
                    for e in _covering_exceptions(rf, provisions, as_of)],
        escape_routes=list(dict.fromkeys(f"{regime_id} {r}" for p in lead for r in p.norm.unless)),
        dispute_settlement=ds,
        deferrals=deferrals,
        quote=next((p.quote for p in lead if p.quote), None),
        **english_beside(next((p for p in lead if p.quote), None), rf.regime),
        citations=[Citation(regime=regime_id, ref=p.ref, path=p.span.path if p.span else None,
                            line=p.span.line if p.span else None, column=p.span.column if p.span else None)
                   for p in ordered],
    )


# ---------------------------------------------------------------------------- differences

def _words(vocab, terms: Iterable[str], word: str = "and") -> str:
    return en.objects(vocab, terms, word) or "nothing named"


def _say_norm(vocab, regime: str, cell: Cell) -> str:
    """'under GDPR, a controller or processor must not transfer across borders personal information unless GDPR 45 or 46 apply'."""
    if len(cell.actions) == 1:
        vp = en.verb_phrase(vocab, cell.actions[0], cell.objects)
    else:
        # Several provisions lead the cell: each duty holds ("and"); each prohibition too ("or").
        word = "or" if cell.modality in ("must not", "should not") else "and"
        vp = en.join([en.verb_phrase(vocab, a) for a in cell.actions], word) + (
            f", concerning {_words(vocab, cell.objects)}" if cell.objects else "")
    routes = ""
    if cell.escape_routes:
        refs = [r.split(" ", 1)[1] for r in cell.escape_routes]
        routes = en.escape_routes(regime, refs)
    return f"under {regime}, {en.bearers(vocab, cell.bearers)} {en.predicate(cell.modality or 'must', cell.stance, vp)}{routes}"


def differences(prep: Prepared, topic: str, cells: dict[str, Cell]) -> list[str]:
    """Every difference between each pair of cells, as a sentence a reader can check."""
    files = prep.files
    topic_words = en.label(prep.vocab, topic).lower()
    out: list[str] = []
    ids = list(cells)
    for rid in ids:
        if cells[rid].status in EMPTY and any(c.status not in EMPTY for c in cells.values()):
            out.append(f"{rid} has no provision on {topic_words}" if cells[rid].status == "absent"
                       else f"{topic_words} is not encoded for {rid}")
    vocab = prep.vocab
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            ca, cb = cells[a], cells[b]
            if ca.status in EMPTY or cb.status in EMPTY:
                continue
            if ca.status != cb.status:
                out.append(f"{a} is {STATUS_WORDS[ca.status]} ({ca.modality}); {b} is {STATUS_WORDS[cb.status]} ({cb.modality})")
            if ca.modality != cb.modality or {vocab.canonical(x) for x in ca.actions} != {vocab.canonical(x) for x in cb.actions}:
                out.append(en.capitalise(f"{_say_norm(vocab, a, ca)}; {_say_norm(vocab, b, cb)}"))
            oa, ob = {vocab.canonical(o) for o in ca.objects}, {vocab.canonical(o) for o in cb.objects}
            if oa and ob and oa != ob:
                out.append(f"{a} covers {_words(vocab, ca.objects)}; {b} covers {_words(vocab, cb.objects)}")
            for x, y, cx, cy in ((a, b, ca, cb), (b, a, cb, ca)):
                only = [s for s in cx.excludes if s not in cy.excludes]
                if only:
                    out.append(f"{x} excludes {_words(vocab, only)}; {y} does not")
            # A law's exceptions and a treaty's are not the same kind of thing; contrast like with like.
            if is_treaty(files[a].regime) == is_treaty(files[b].regime):
                out += _exception_differences(prep, topic_words, a, b, ca, cb)
            if ca.dispute_settlement is not None and cb.dispute_settlement is not None and ca.dispute_settlement != cb.dispute_settlement:
                x, y = (a, b) if ca.dispute_settlement else (b, a)
                out.append(f"{x}'s provisions are subject to dispute settlement; {y}'s are not")
    return list(dict.fromkeys(out))


def _exception_differences(prep: Prepared, topic_words: str, a: str, b: str, ca: Cell, cb: Cell) -> list[str]:
    out: list[str] = []
    vocab = prep.vocab
    kinds_a = {e.kind: e for e in ca.exceptions}
    kinds_b = {e.kind: e for e in cb.exceptions}
    # "Has no K exception" only for exceptions written for these provisions: an instrument-wide
    # exception (applies_to all) belongs to the exceptions.* rows, not to every topic.
    for x, y, kx, ky in ((a, b, kinds_a, kinds_b), (b, a, kinds_b, kinds_a)):
        for kind in kx:
            if kind not in ky and not kx[kind].applies_to_all:
                out.append(f"{y} has no {en.label(vocab, kind)} exception for {topic_words} ({x} has {kx[kind].provision})")
    # In the cells' own order, never a set's: published tables must not depend on PYTHONHASHSEED.
    for kind in [k for k in kinds_a if k in kinds_b]:
        ea, eb = kinds_a[kind], kinds_b[kind]
        name = en.label(vocab, kind)
        if ea.self_judging != eb.self_judging:
            x, y = (a, b) if ea.self_judging else (b, a)
            out.append(f"{x}'s {name} exception is self-judging; {y}'s is not")
        ta, tb = set(ea.tests) - {"self_judging"}, set(eb.tests) - {"self_judging"}
        for x, y, tx, ty in ((a, b, ta, tb), (b, a, tb, ta)):
            extra = sorted(tx - ty)
            if extra:
                out.append(f"{x}'s {name} exception requires {_words(vocab, extra)}; {y}'s does not")
    return out


# ---------------------------------------------------------------------------- verdicts

def _opposed(prep: Prepared, xs: list[NormEntry], ys: list[NormEntry]) -> str | None:
    """A sentence naming two provisions that pull against each other on the texts alone."""
    from .checks import checks

    vocab = prep.vocab
    for module in checks():
        if module.KIND == "permission_denied":
            continue  # a permission and a prohibition can both be obeyed: a difference, not a conflict
        for a, b in [(x, y) for x in xs for y in ys] + [(y, x) for x in xs for y in ys]:
            if not (module.wants_a(a) and module.wants_b(b)):
                continue
            if not relation(vocab, a.norm.action, b.norm.action) or not overlap_terms(vocab, a.norm.objects, b.norm.objects):
                continue
            if module.KIND == "direct" and (a.norm.stance != b.norm.stance or not roles_overlap(vocab, a.norm.bearers, b.norm.bearers)):
                continue
            return f"{a.cite} and {b.cite} pull against each other ({module.KIND.replace('_', ' ')})"
    return None


def _coverage(prep: Prepared, xs: list[str], ys: list[str]) -> bool:
    """Whether objects ``xs`` reach everything ``ys`` name (each y is under some x)."""
    if not xs:
        return True
    return all(any(prep.vocab.canonical(x) in prep.vocab.ancestors(y) for x in xs) for y in ys) if ys else False


def verdict(prep: Prepared, a: str, b: str, ca: Cell, cb: Cell, ea: list[NormEntry], eb: list[NormEntry]) -> PairVerdict:
    """How ``a`` stands to ``b``: stricter means a imposes more (or allows fewer ways out)."""
    opposed = _opposed(prep, ea, eb)
    if opposed:
        return PairVerdict(a=a, b=b, verdict="conflicting", reasons=[opposed])
    # Nothing can be said of a text the corpus does not hold.
    gaps = [x for x, c in ((a, ca), (b, cb)) if c.status == "not_encoded"]
    if gaps:
        return PairVerdict(a=a, b=b, verdict="incomparable",
                           reasons=[f"the topic is not encoded for {' and '.join(gaps)}"])
    ra, rb = STATUS_RANK[ca.status], STATUS_RANK[cb.status]
    if ra != rb:
        return PairVerdict(a=a, b=b, verdict="stricter" if ra > rb else "looser",
                           reasons=[f"{a} is {STATUS_WORDS[ca.status]}, {b} is {STATUS_WORDS[cb.status]}"])
    if ca.status == "absent":
        return PairVerdict(a=a, b=b, verdict="equivalent", reasons=["neither has a provision on the topic"])
    if {e.norm.modality for e in ea} != {e.norm.modality for e in eb} or {e.action for e in ea} != {e.action for e in eb}:
        if not all(any(relation(prep.vocab, x.action, y.action) for y in eb) for x in ea):
            return PairVerdict(a=a, b=b, verdict="incomparable", reasons=["the two regimes regulate different conduct on this topic"])
    # A partial order: +1 = a stricter on this dimension, -1 = looser, 0 = same, None = neither.
    dims: list[tuple[int | None, str]] = []
    wider_a, wider_b = _coverage(prep, ca.objects, cb.objects), _coverage(prep, cb.objects, ca.objects)
    dims.append(({(True, True): 0, (True, False): 1, (False, True): -1}.get((wider_a, wider_b)), "objects covered"))
    xa, xb = set(ca.excludes), set(cb.excludes)
    dims.append((0 if xa == xb else 1 if xa < xb else -1 if xb < xa else None, "scope carve-outs"))
    ka = {(e.kind, e.self_judging) for e in ca.exceptions if not e.applies_to_all}
    kb = {(e.kind, e.self_judging) for e in cb.exceptions if not e.applies_to_all}
    dims.append((0 if ka == kb else 1 if ka < kb else -1 if kb < ka else None, "exceptions"))
    signs = {d for d, _ in dims}
    reasons = [f"{what}: " + {0: "same", 1: f"{a} narrower escape" if what != "objects covered" else f"{a} covers more",
                              -1: f"{b} narrower escape" if what != "objects covered" else f"{b} covers more",
                              None: "each has something the other lacks"}[d] for d, what in dims]
    if signs == {0}:
        return PairVerdict(a=a, b=b, verdict="equivalent", reasons=reasons)
    if None in signs or signs >= {1, -1}:
        return PairVerdict(a=a, b=b, verdict="incomparable", reasons=reasons)
    return PairVerdict(a=a, b=b, verdict="stricter" if 1 in signs else "looser", reasons=reasons)


# ---------------------------------------------------------------------------- compare

def _topic_matches(topic: str, patterns: list[str]) -> bool:
    return any(topic == p or topic.startswith(p.rstrip(".*") + ".") or fnmatch.fnmatchcase(topic, p) for p in patterns)


def compare(corpus: Corpus | Prepared, regimes: list[str], topics: list[str] | str | None = None,
            as_of: dt.date | str | None = None, *, pairwise: bool = True) -> Comparison:
    """Align ``regimes`` topic by topic on ``as_of`` (default today); provisions not in force are left out.

    ``topics``: topic ids or patterns (``data_flows``, ``localisation.*``); None = every topic
    any of the regimes addresses. ``pairwise=False`` gives the cells only, without the
    differences and verdicts between each pair of regimes: a coverage table of the whole
    corpus (the app's Overview) asks for hundreds of regimes, and their pairs grow as the square.
    """
    prep = prepare(corpus)
    as_of = parse_date(as_of) or dt.date.today()
    if not regimes:
        raise InputError("name at least one regime to compare", "e.g. dtrc compare CPTPP GDPR")
    files = [prep.regime_file(r) for r in dict.fromkeys(regimes)]
    patterns = [topics] if isinstance(topics, str) else list(topics or [])
    in_force = {rf.regime.id: provisions_in_force(rf, as_of) for rf in files}
    all_topics = sorted({t for ps in in_force.values() for p in ps if p.norm for t in p.topics})
    chosen = [t for t in all_topics if _topic_matches(t, patterns)] if patterns else all_topics
    if patterns and not chosen:
        # Offer the topics these regimes address, and their families (``data_flows``), first.
        known = sorted({*all_topics, *(t.split(".")[0] for t in all_topics)})
        raise InputError(f"no provision of {', '.join(r.regime.id for r in files)} has a topic matching "
                         f"{' or '.join(patterns)}", did_you_mean(patterns[0], known) or "topics addressed: " + ", ".join(all_topics))
    rows: list[Row] = []
    for topic in chosen:
        cells: dict[str, Cell] = {}
        entries: dict[str, list[NormEntry]] = {}
        for rf in files:
            ps = [p for p in in_force[rf.regime.id] if p.norm and topic in p.topics]
            cells[rf.regime.id] = build_cell(prep, rf, ps, as_of, empty_status(rf, topic, in_force[rf.regime.id]))
            if pairwise:
                entries[rf.regime.id] = [NormEntry.build(prep.vocab, rf.regime, p) for p in ps]
        if not pairwise:
            rows.append(Row(topic=topic, label=en.label(prep.vocab, topic), cells=cells))
            continue
        ids = list(cells)
        verdicts = [verdict(prep, a, b, cells[a], cells[b], entries[a], entries[b])
                    for i, a in enumerate(ids) for b in ids[i + 1:]]
        rows.append(Row(topic=topic, label=en.label(prep.vocab, topic), cells=cells,
                        differences=differences(prep, topic, cells), verdicts=verdicts))
    summaries = [RegimeSummary(id=rf.regime.id, title=rf.regime.title, kind=rf.regime.kind,
                               parties=[p.country for p in rf.regime.parties], jurisdiction=list(rf.regime.jurisdiction),
                               signed=rf.regime.signed, in_force=rf.regime.in_force, until=rf.regime.until,
                               in_force_on_as_of=regime_in_force(rf.regime, as_of), source=rf.regime.source)
                 for rf in files]
    named = [t for r in rows for t in (r.topic, *(x for c in r.cells.values() for x in _cell_terms(c)))]
    named += [c for rf in files for c in rf.regime.jurisdiction if prep.vocab.get(c) is not None]
    return Comparison(regimes=summaries, rows=rows, as_of=as_of, labels=en.labels_map(prep.vocab, named))


def _cell_terms(cell: Cell) -> list[str]:
    return [*cell.bearers, *cell.actions, *cell.objects, *cell.excludes,
            *(x for e in cell.exceptions for x in (e.kind, *e.tests))]
