"""The data model every stage of the pipeline shares.

parse -> **model** <- vocabulary, validate, store, compare, report, ui. This package imports
nothing from the rest of the package, so any stage can depend on it without cycles.
:mod:`.rules` holds what a rule file says (every node with its ``span``); :mod:`.results`
what the engine finds (comparisons, conflicts, expectation results, each with one
``to_dict()``). Callers import both from here: ``from comparator.model import RuleFile``.
"""
from __future__ import annotations

from .results import (
    CELL_STATUSES,
    VERDICTS,
    Cell,
    CellStatus,
    Citation,
    Comparison,
    Conflict,
    ConflictReport,
    ConflictSeverity,
    ConflictSide,
    ExceptionEntry,
    ExpectationResult,
    PairVerdict,
    Perspective,
    PerspectiveKind,
    ReconcileRoute,
    RegimeSummary,
    Row,
    Verdict,
)
from .rules import (
    CONFLICT_KINDS,
    REGIME_KINDS,
    STRENGTH,
    TERM_KINDS,
    Article,
    Comment,
    ConflictKind,
    Corpus,
    Deferral,
    Definition,
    DisputeSettlement,
    Exception_,
    Expectation,
    Modality,
    Node,
    Norm,
    Party,
    Provision,
    Regime,
    RegimeKind,
    RuleException,
    RuleFile,
    Span,
    Stance,
    Strength,
    Term,
    TermKind,
    english_beside,
    semantic_equal,
)

__all__ = [
    "CELL_STATUSES", "VERDICTS", "Cell", "CellStatus", "Citation", "Comparison", "Conflict", "ConflictReport",
    "ConflictSeverity", "ConflictSide", "ExceptionEntry", "ExpectationResult", "PairVerdict", "Perspective",
    "PerspectiveKind", "ReconcileRoute", "RegimeSummary", "Row", "Verdict",
    "CONFLICT_KINDS", "REGIME_KINDS", "STRENGTH", "TERM_KINDS", "Article", "Comment", "ConflictKind", "Corpus",
    "Deferral", "Definition", "DisputeSettlement", "Exception_", "Expectation", "Modality", "Node", "Norm", "Party",
    "Provision", "Regime", "RegimeKind", "RuleException", "RuleFile", "Span", "Stance", "Strength", "Term",
    "TermKind", "english_beside", "semantic_equal",
]
