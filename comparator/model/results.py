"""The result model: what compare.py and checks/ produce and report, CLI and UI consume.

Bottom of the pipeline with :mod:`.rules` (imports nothing else from the package). Each
result has one ``to_dict()`` that is the single source of every output format (DESIGN.md
section 5: those keys are a contract; fields may be added, never renamed or removed).
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .rules import ConflictKind, Modality, RegimeKind, Stance


CellStatus = Literal["binding", "best_endeavour", "recognition", "absent", "not_encoded"]
Verdict = Literal["equivalent", "stricter", "looser", "conflicting", "incomparable"]
ConflictSeverity = Literal["high", "medium", "low"]
PerspectiveKind = Literal["country", "role", "regimes"]

CELL_STATUSES: tuple[str, ...] = CellStatus.__args__  # type: ignore[attr-defined]
VERDICTS: tuple[str, ...] = Verdict.__args__  # type: ignore[attr-defined]


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def to_dict(self) -> dict:
        return self.model_dump(mode="json")


class Citation(_Result):
    """Where a cited provision or exception is written: regime, citation and source position."""

    regime: str
    ref: str
    path: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = f" ({self.path}:{self.line})" if self.path else ""
        return f"{self.regime} {self.ref}{where}"


class ExceptionEntry(_Result):
    """An exception that qualifies a cell's provisions, with the tests a measure must pass."""

    kind: str
    provision: str  # "CPTPP 14.11.3"
    tests: list[str] = []
    applies_to_all: bool = False
    self_judging: bool = False


class Cell(_Result):
    """One regime's position on one topic.

    ``status`` is about obligation: ``binding`` (must / must not), ``best_endeavour``
    (should), ``recognition`` (recognises, or only permissions: a `may` creates no
    obligation; ``permission`` is then true), ``absent`` (no provision on the topic) or
    ``not_encoded`` (the text may address the topic but the corpus does not encode it; see
    docs/comparison.md).
    """

    status: CellStatus
    provisions: list[str] = []
    modality: Modality | None = None
    stance: Stance | None = None
    modalities: list[Modality] = []
    permission: bool = False
    bearers: list[str] = []
    actions: list[str] = []
    objects: list[str] = []
    excludes: list[str] = []
    exceptions: list[ExceptionEntry] = []
    escape_routes: list[str] = []
    dispute_settlement: bool | None = None
    deferrals: list[str] = []
    quote: str | None = None
    citations: list[Citation] = []
    # The quote's language and, beside it, an English translation (with who made it and
    # whether it is authentic) or the encoder's gloss; see ``rules.english_beside``.
    quote_language: str = "en"
    translation: str | None = None
    translation_language: str | None = None
    translation_source: str | None = None
    translation_authentic: bool = False
    gloss: str | None = None


class PairVerdict(_Result):
    """How regime ``a`` stands to regime ``b`` on a topic: ``stricter`` means a binds more."""

    a: str
    b: str
    verdict: Verdict
    reasons: list[str] = []


class Row(_Result):
    topic: str
    label: str | None = None
    cells: dict[str, Cell]
    differences: list[str] = []
    verdicts: list[PairVerdict] = []


class RegimeSummary(_Result):
    id: str
    title: str
    kind: RegimeKind
    parties: list[str] = []
    jurisdiction: list[str] = []
    signed: dt.date | None = None
    in_force: dt.date | None = None
    until: dt.date | None = None
    in_force_on_as_of: bool = True
    source: str | None = None


class Comparison(_Result):
    """``dtrc compare``: the regimes compared and one row per topic."""

    regimes: list[RegimeSummary]
    rows: list[Row]
    as_of: dt.date | None = None
    labels: dict[str, str] = {}  # id -> label of every term the rows name (docs/language.md section 7)

    def row(self, topic: str) -> Row | None:
        return next((r for r in self.rows if r.topic == topic), None)


class ConflictSide(_Result):
    """One of the two provisions in a conflict."""

    regime: str
    provision: str  # "CPTPP 14.11.2"
    ref: str
    modality: Modality
    stance: Stance | None = None
    bearers: list[str] = []
    action: str
    objects: list[str] = []
    destinations: list[str] = []
    conditions: list[str] = []
    escape_routes: list[str] = []
    quote: str | None = None
    # "unverified": encoded from a paraphrase, not checked against the instrument's words.
    status: Literal["verified", "unverified"] = "verified"
    citation: Citation | None = None
    # The quote's language and, beside it, an English translation (with who made it and
    # whether it is authentic) or the encoder's gloss; see ``rules.english_beside``.
    quote_language: str = "en"
    translation: str | None = None
    translation_language: str | None = None
    translation_source: str | None = None
    translation_authentic: bool = False
    gloss: str | None = None


class ReconcileRoute(_Result):
    """An exception that may reconcile a conflict, and the tests the measure must pass."""

    provision: str  # "CPTPP 14.11.3"
    regime: str
    kind: str
    tests: list[str] = []
    applies_to_all: bool = False


class Conflict(_Result):
    """Two norms that cannot both be complied with, or that pull against each other.

    ``reconcilable_via`` lists the exceptions (specific ones first) that could lift the
    conflict; the engine never says a measure passes their tests: ``reconcilable_if``
    spells out what would have to be shown.
    """

    kind: ConflictKind
    severity: ConflictSeverity
    bound: str
    bound_countries: list[str] = []
    a: ConflictSide
    b: ConflictSide
    overlap: list[str] = []
    overlap_via: list[str] = []
    explanation: str
    scenario: str
    reconcilable_via: list[str] = []
    reconcile: list[ReconcileRoute] = []
    reconcilable_if: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.a.provision, self.b.provision)


class Perspective(_Result):
    """Whose conflicts to look for: a country, an actor role in jurisdictions, or regimes.

    ``assume_party`` adds hypothetical parties to treaties (``[("CPTPP", "CN")]``).
    ``as_of`` defaults to today when the perspective is built.
    """

    kind: PerspectiveKind
    country: str | None = None
    role: str | None = None
    jurisdictions: list[str] = []
    regimes: list[str] = []
    as_of: dt.date = Field(default_factory=dt.date.today)
    assume_party: list[tuple[str, str]] = []

    def describe(self) -> str:
        if self.kind == "country":
            what = f"country {self.country}"
        elif self.kind == "role":
            what = f"{self.role} operating in {', '.join(self.jurisdictions)}"
        else:
            what = "regimes " + ", ".join(self.regimes)
        assumed = "".join(f"; assuming {c} is a party to {r}" for r, c in self.assume_party)
        return f"{what}, as of {self.as_of}{assumed}"


class ConflictReport(_Result):
    """``dtrc conflicts``: every conflict found from one perspective."""

    perspective: Perspective
    regimes: list[str] = []
    conflicts: list[Conflict] = []
    labels: dict[str, str] = {}  # id -> label of every term the conflicts name


class ExpectationResult(_Result):
    """The outcome of one ``expect`` line checked by ``dtrc test``."""

    path: str | None = None
    line: int | None = None
    text: str
    passed: bool
    message: str
    found: list[str] = []
