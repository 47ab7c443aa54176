"""Result models of ``dtrc accession``: what a country would have to change to join an agreement.

Pipeline position: model (**model.accession**) <- accession (engine) <- report/cli/ui. Kept
apart from :mod:`.results` only for size; like every result, each model has one
``to_dict()`` that is the single source of the JSON contract (docs/accession.md: keys are
added, never renamed or removed).
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

from .results import Citation, Conflict, _Result
from .rules import Modality

AccessionVerdict = Literal["compatible", "compatible_via_exception", "requires_change", "cannot_tell"]
RoomStrength = Literal["reviewable", "self_judging"]

ACCESSION_VERDICTS: tuple[str, ...] = AccessionVerdict.__args__  # type: ignore[attr-defined]
# Worst first: a row's verdict is the worst verdict of its conflicts.
VERDICT_RANK = {"requires_change": 4, "cannot_tell": 3, "compatible_via_exception": 1, "compatible": 0}
VERDICT_WORDS = {"compatible": "compatible", "compatible_via_exception": "compatible via an exception",
                 "requires_change": "requires change", "cannot_tell": "cannot tell"}


class Room(_Result):
    """An exception of the agreement that could cover a measure, and how strong a shelter it is.

    ``strength``: ``self_judging`` when the exception's tests include ``self_judging`` (the
    party decides for itself, e.g. essential security); else ``reviewable`` (a panel can
    review the measure against ``tests``).
    """

    provision: str  # "CPTPP 14.11.3"
    kind: str
    label: str  # "legitimate public policy"
    strength: RoomStrength
    tests: list[str] = []
    test_labels: list[str] = []
    applies_to_all: bool = False
    words: str
    quote: str | None = None
    citation: Citation | None = None


class Precedent(_Result):
    """What an existing member obtained for the same provision (deferral, transition period)."""

    kind: Literal["dispute_settlement_deferral"] = "dispute_settlement_deferral"
    parties: list[str]
    provisions: list[str]
    until_date: dt.date | None = None
    until_text: str | None = None
    words: str


class OutOfScope(_Result):
    """A domestic measure the provision would meet but for its own scope carve-outs (``excludes``)."""

    measure: str  # "CN_PIPL 36"
    carve_outs: list[str]
    carve_out_labels: list[str]
    words: str


class AccessionConflict(_Result):
    """One conflict the accession would bring, read from the acceding country's side.

    ``new`` is false when the same domestic measure already conflicts, in the same way,
    with an equivalent commitment of an agreement the country is already bound by
    (``already_bound_by`` names it: "RCEP 12.15.2").
    """

    conflict: Conflict
    measure: str  # the other side: "CN_PIPL 38.1"
    measure_regime: str
    new: bool
    already_bound_by: list[str] = []
    room: list[Room] = []
    verdict: AccessionVerdict
    exception: str | None = None
    strength: RoomStrength | None = None
    reason: str


class AccessionRow(_Result):
    """One provision of the agreement that would newly bind the country."""

    agreement: str
    provision: str  # "CPTPP 14.11.2"
    ref: str
    topic: str
    topic_label: str
    topics: list[str] = []
    modality: Modality
    strength: str
    quote: str | None = None
    status: Literal["verified", "unverified"] = "verified"
    citation: Citation | None = None
    conditions: list[str] = []
    excludes: list[str] = []
    exclude_labels: list[str] = []
    verdict: AccessionVerdict
    exception: str | None = None
    exception_strength: RoomStrength | None = None
    reason: str
    conflicts: list[AccessionConflict] = []
    new_conflicts: int = 0
    out_of_scope: list[OutOfScope] = []
    room: list[Room] = []
    dispute_settlement: bool | None = None
    dispute_settlement_words: str
    precedents: list[Precedent] = []


class AccessionSummary(_Result):
    provisions: int
    verdicts: dict[str, int]
    topics: dict[str, dict[str, int]]
    topic_labels: dict[str, str] = {}
    conflicts: int
    new_conflicts: int
    already_bound: int
    out_of_scope: int
    regimes_today: list[str] = []
    regimes_after: list[str] = []
    assumptions: list[str] = []


class AccessionReport(_Result):
    """``dtrc accession``: what ``country`` would have to change to join ``agreements`` on ``as_of``."""

    country: str
    agreements: list[str]
    as_of: dt.date
    already_party: list[str] = []
    rows: list[AccessionRow] = []
    summary: AccessionSummary

    def row(self, provision: str) -> AccessionRow | None:
        return next((r for r in self.rows if r.provision == provision), None)
