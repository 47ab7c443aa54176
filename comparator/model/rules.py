"""The rule model: what a rule file says, as the parser builds it and the store gives back.

Bottom of the pipeline (**model** <- vocabulary <- parse/validate <- store <- engine ...):
imports nothing from the rest of the package. Every node carries a ``span`` (file, line,
column) so that any finding can point at the text a lawyer wrote. Spans are excluded from
``model_dump()`` and from :func:`semantic_equal`, so two parses of differently laid-out
files compare equal when they mean the same thing.
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
    # A plain default, not default_factory: pydantic copies it for each instance anyway, and
    # a factory made model_construct 4x slower (it inspects the factory's signature per call).
    lines: dict[str, int] = Field(default={}, exclude=True, repr=False)


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
    # The quote in English beside a non-English original: ``translation_text`` copied from a
    # TRANSLATION source (``translation_source`` names who made it), or ``gloss``, the encoder's
    # own English summary where the sources hold no translation. Never both called translation.
    translation_text: str | None = None
    translation_source: str | None = None
    gloss: str | None = None
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
    # The quote in English beside a non-English original: ``translation_text`` copied from a
    # TRANSLATION source (``translation_source`` names who made it), or ``gloss``, the encoder's
    # own English summary where the sources hold no translation. Never both called translation.
    translation_text: str | None = None
    translation_source: str | None = None
    gloss: str | None = None
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
    translation_text: str | None = None
    translation_source: str | None = None
    gloss: str | None = None
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
    order: list[tuple[Literal["provision", "exception", "definition"], int]] = Field(default=[], exclude=True, repr=False)


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
    # Topic ids or patterns (``data_flows.*``). ``covers``: the topics the corpus encodes this
    # regime for (None = not declared); ``not_encoded``: topics its text addresses that the
    # corpus does not encode. Both turn an empty cell from "absent" into "not encoded".
    covers: list[str] | None = None
    not_encoded: list[str] = []
    # ISO 639-1 code of the instrument's own words (its quotes), and the languages whose text
    # is authentic; an empty ``authentic`` means the instrument's language only.
    language: str = "en"
    authentic: list[str] = []

    @property
    def authentic_languages(self) -> list[str]:
        return self.authentic or [self.language]


def english_beside(node: "Provision | Exception_ | Definition | None", regime: Regime | None) -> dict:
    """The quote's language and the English beside it, as the fields of a Cell or ConflictSide.

    A quote marked ``(translation)`` is already English; otherwise it is in the regime's language.
    """
    if node is None or node.quote is None:
        return {}
    language = "en" if node.translation or regime is None else regime.language
    authentic = regime.authentic_languages if regime is not None else ["en"]
    has_translation = node.translation_text is not None
    return dict(quote_language=language, translation=node.translation_text,
                translation_language="en" if has_translation else None,
                translation_source=node.translation_source,
                translation_authentic=has_translation and "en" in authentic, gloss=node.gloss)


class Term(Node):
    """A vocabulary entry: an action, object, role, test, exception kind, scope, topic or group."""

    kind: TermKind
    id: str
    label: str | None = None  # sentence-ready (docs/language.md section 7)
    label_zh: str | None = None
    label_es: str | None = None
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
    comments: list[Comment] = Field(default=[], exclude=True, repr=False)
    # Source order of top-level items as (kind, index) pairs; for "vocabulary" the number
    # is how many terms that block holds, so several vocabulary blocks keep their bounds.
    order: list[tuple[str, int]] = Field(default=[], exclude=True, repr=False)

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
