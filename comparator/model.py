"""The data model every stage of the pipeline shares.

parse -> **model** <- validate, store, compare, report, ui. This module imports nothing
from the rest of the package, so any stage can depend on it without cycles.

Every node carries a ``span`` (file, line, column) so that any finding can point at the
text a lawyer wrote. Spans are excluded from ``model_dump()`` and from
:func:`semantic_equal`, so two parses of differently laid-out files compare equal when
they mean the same thing.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Modality = Literal["must", "must not", "may", "should", "should not", "recognises"]
Stance = Literal["allow", "require"]
RegimeKind = Literal["trade_agreement", "digital_economy_agreement", "domestic_law", "contract_clauses"]
TermKind = Literal["action", "object", "role", "test", "exception", "scope", "topic", "group"]
Strength = Literal["binding", "best_endeavour", "permission", "recognition"]
ConflictKind = Literal["direct", "commitment_vs_measure", "restriction", "permission_denied"]

REGIME_KINDS: tuple[str, ...] = RegimeKind.__args__  # type: ignore[attr-defined]
TERM_KINDS: tuple[str, ...] = TermKind.__args__  # type: ignore[attr-defined]
CONFLICT_KINDS: tuple[str, ...] = ConflictKind.__args__  # type: ignore[attr-defined]

# Binding strength is derived from the modality and never typed twice (DESIGN.md section 3).
STRENGTH: dict[str, Strength] = {
    "must": "binding",
    "must not": "binding",
    "may": "permission",
    "should": "best_endeavour",
    "should not": "best_endeavour",
    "recognises": "recognition",
}


class Span(BaseModel):
    """Where a node starts in its file (1-based line and column)."""

    model_config = ConfigDict(frozen=True)
    path: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class Node(BaseModel):
    """Base of every model that came from source text."""

    model_config = ConfigDict(extra="forbid")
    span: Span | None = Field(default=None, exclude=True, repr=False)
    # Source line of each field ("kind", "quote", "when:0", ...), so the formatter can put
    # comments back beside the field they annotate.
    lines: dict[str, int] = Field(default_factory=dict, exclude=True, repr=False)


class Party(Node):
    """A country bound by a treaty, with the dates it joined (or left) when they differ."""

    country: str
    joined: dt.date | None = None
    left: dt.date | None = None


class Norm(Node):
    """Bearer(s) + modality + optional stance + action + objects: the core of a provision."""

    bearers: list[str]
    modality: Modality
    stance: Stance | None = None
    action: str
    objects: list[str] = []
    destinations: list[str] = []
    conditions: list[str] = []
    unless: list[str] = []
    # "of" or "on" before the objects: the author's choice of word, kept by the formatter.
    object_word: Literal["of", "on"] = Field(default="of", exclude=True, repr=False)

    @property
    def strength(self) -> Strength:
        return STRENGTH[self.modality]


class Provision(Node):
    """One norm, cited by its article and paragraph (``14.11.2``, ``46.2.c``)."""

    ref: str
    topics: list[str] = []
    norm: Norm | None = None
    excludes: list[str] = []
    quote: str | None = None
    translation: bool = False
    status: Literal["verified", "unverified"] = "verified"
    in_force: dt.date | None = None
    until: dt.date | None = None
    replaced_by: str | None = None
    note: str | None = None


class Exception_(Node):
    """An exception qualifying named provisions (or ``all``), with the tests it imposes.

    Named with a trailing underscore only to avoid shadowing the builtin; it is exported
    as ``RuleException``.
    """

    ref: str
    kind: str
    applies_to: list[str]
    tests: list[str] = []
    excludes: list[str] = []
    quote: str | None = None
    translation: bool = False
    status: Literal["verified", "unverified"] = "verified"
    in_force: dt.date | None = None
    until: dt.date | None = None
    replaced_by: str | None = None
    note: str | None = None

    @property
    def applies_to_all(self) -> bool:
        return self.applies_to == ["all"]


RuleException = Exception_


class Definition(Node):
    """How the instrument defines a vocabulary term, in its own words."""

    term: str
    quote: str | None = None
    translation: bool = False
    status: Literal["verified", "unverified"] = "verified"
    note: str | None = None


class Article(Node):
    ref: str
    title: str | None = None
    note: str | None = None
    provisions: list[Provision] = []
    exceptions: list[Exception_] = []
    definitions: list[Definition] = []
    # Source order of the items above, as (kind, index) pairs, so the formatter and the
    # exporter can write them back in the order the lawyer chose.
    order: list[tuple[Literal["provision", "exception", "definition"], int]] = Field(
        default_factory=list, exclude=True, repr=False
    )


class Deferral(Node):
    """Dispute settlement postponed for named parties on named provisions."""

    parties: list[str]
    provisions: list[str]
    until_date: dt.date | None = None
    until_text: str | None = None


class DisputeSettlement(Node):
    applies: bool
    excepted: list[str] = []
    deferrals: list[Deferral] = []
    note: str | None = None


class Regime(Node):
    id: str
    title: str
    kind: RegimeKind
    parties: list[Party] = []
    jurisdiction: list[str] = []
    signed: dt.date | None = None
    in_force: dt.date | None = None
    until: dt.date | None = None
    source: str | None = None
    note: str | None = None


class Term(Node):
    """A vocabulary entry: an action, object, role, test, exception kind, scope, topic or group."""

    kind: TermKind
    id: str
    label: str | None = None
    broader: list[str] = []
    aliases: list[str] = []
    members: list[str] = []
    note: str | None = None


class Expectation(Node):
    """An outcome a rule author expects the engine to find (checked by ``dtrc test``)."""

    conflict: bool
    kind: str | None = None
    a_regime: str
    a_ref: str
    b_regime: str
    b_ref: str
    bound: str | None = None
    as_of: dt.date | None = None
    assume: list[tuple[str, str]] = []


class Comment(BaseModel):
    """A ``#`` comment, kept so that the formatter never drops one."""

    line: int
    column: int
    text: str


class RuleFile(Node):
    """Everything one ``.dtr`` file holds."""

    path: str
    regime: Regime | None = None
    articles: list[Article] = []
    dispute_settlement: DisputeSettlement | None = None
    vocabulary: list[Term] = []
    expectations: list[Expectation] = []
    comments: list[Comment] = Field(default_factory=list, exclude=True, repr=False)
    # Source order of top-level items as (kind, index) pairs; for "vocabulary" the number
    # is how many terms that block holds, so several vocabulary blocks keep their bounds.
    order: list[tuple[str, int]] = Field(default_factory=list, exclude=True, repr=False)

    def provisions(self) -> list[Provision]:
        return [p for a in self.articles for p in a.provisions]

    def exceptions(self) -> list[Exception_]:
        return [e for a in self.articles for e in a.exceptions]


class Corpus(BaseModel):
    """A set of rule files checked together: regimes, the vocabulary they share, expectations."""

    files: list[RuleFile] = []

    @property
    def regimes(self) -> dict[str, RuleFile]:
        return {f.regime.id: f for f in self.files if f.regime is not None}

    @property
    def terms(self) -> list[Term]:
        return [t for f in self.files for t in f.vocabulary]

    @property
    def expectations(self) -> list[Expectation]:
        return [e for f in self.files for e in f.expectations]


def semantic_equal(a: BaseModel, b: BaseModel) -> bool:
    """True when two models mean the same thing, whatever their layout and spans."""
    return a.model_dump(exclude={"path"} if isinstance(a, RuleFile) else None) == b.model_dump(
        exclude={"path"} if isinstance(b, RuleFile) else None
    )


# ---- comparison results
# What compare.py and checks/ produce and what report, CLI and UI consume. Each result has
# one ``to_dict()`` that is the single source of every output format (DESIGN.md section 5:
# those keys are a contract; fields may be added, never renamed or removed).

CellStatus = Literal["binding", "best_endeavour", "recognition", "absent"]
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
    obligation; ``permission`` is then true), ``absent`` (no provision on the topic).
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


class ExpectationResult(_Result):
    """The outcome of one ``expect`` line checked by ``dtrc test``."""

    path: str | None = None
    line: int | None = None
    text: str
    passed: bool
    message: str
    found: list[str] = []
