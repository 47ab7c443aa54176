"""``dtrc test``: evaluate the ``expect`` lines rule authors write next to their rules.

Pipeline position: checks -> **expectations** -> cli. Like ``opa test``: the assertions
live with the rules and the engine is run against them.

An expectation ``expect [no] conflict [KIND] between A ref and B ref [for C] [as_of D]
[assume R = C]...`` is evaluated from a perspective: country ``C`` when ``for`` is given,
otherwise the two regimes named (so two laws of different countries meet in an actor
subject to both). ``as_of`` defaults to today. It passes when a conflict (of ``KIND``, if
given) between exactly those two provisions is found — in either order — or, for
``no conflict``, when none of any kind is.
"""
from __future__ import annotations

import datetime as dt

from .checks import conflict_report
from .model import Corpus, Expectation, ExpectationResult, Perspective
from .perspective import InputError, Prepared, prepare


def expectation_text(e: Expectation) -> str:
    parts = ["expect", *(["no"] if not e.conflict else []), "conflict", *([e.kind] if e.kind else []),
             "between", e.a_regime, e.a_ref, "and", e.b_regime, e.b_ref]
    if e.bound:
        parts += ["for", e.bound]
    if e.as_of:
        parts += ["as_of", e.as_of.isoformat()]
    for r, c in e.assume:
        parts += ["assume", f"{r} = {c}"]
    return " ".join(parts)


def perspective_of(e: Expectation) -> Perspective:
    common = dict(as_of=e.as_of or dt.date.today(), assume_party=list(e.assume))
    if e.bound:
        return Perspective(kind="country", country=e.bound, **common)
    return Perspective(kind="regimes", regimes=list(dict.fromkeys([e.a_regime, e.b_regime])), **common)


def evaluate(prep: Prepared, e: Expectation) -> ExpectationResult:
    text = expectation_text(e)
    where = dict(path=e.span.path if e.span else None, line=e.span.line if e.span else None, text=text)
    try:
        report = conflict_report(prep, perspective_of(e))
    except InputError as exc:
        return ExpectationResult(passed=False, message=f"cannot evaluate: {exc}", **where)
    a, b = f"{e.a_regime} {e.a_ref}", f"{e.b_regime} {e.b_ref}"
    between = [c for c in report.conflicts if {c.a.provision, c.b.provision} == {a, b}]
    found = [f"{c.kind} ({c.severity}) for {c.bound}" for c in between]
    in_play = ", ".join(report.regimes) or "none"
    if e.conflict:
        matching = [c for c in between if e.kind is None or c.kind == e.kind]
        if matching:
            return ExpectationResult(passed=True, message=f"found {matching[0].kind} ({matching[0].severity})", found=found, **where)
        why = (f"found {', '.join(found)} instead" if found else
               f"no conflict between {a} and {b} (regimes in play: {in_play})")
        return ExpectationResult(passed=False, message=why, found=found, **where)
    if between:
        return ExpectationResult(passed=False, message=f"expected no conflict, found {', '.join(found)}", found=found, **where)
    return ExpectationResult(passed=True, message="no conflict", **where)


def run_expectations(corpus: Corpus | Prepared) -> list[ExpectationResult]:
    """Evaluate every expectation of the corpus, in file and line order."""
    prep = prepare(corpus)
    expectations = sorted(prep.corpus.expectations,
                          key=lambda e: (e.span.path, e.span.line) if e.span else ("", 0))
    return [evaluate(prep, e) for e in expectations]
