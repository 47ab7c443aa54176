"""Finding a provision or exception by citation in a parsed rule file, for the corpus tests."""
from __future__ import annotations

from comparator.model import Exception_, Provision, RuleFile


def prov(rf: RuleFile, ref: str) -> Provision:
    found = [p for p in rf.provisions() if p.ref == ref]
    assert found, f"{rf.regime.id} has no provision {ref}"
    return found[0]


def exc(rf: RuleFile, ref: str) -> Exception_:
    found = [e for e in rf.exceptions() if e.ref == ref]
    assert found, f"{rf.regime.id} has no exception {ref}"
    return found[0]
