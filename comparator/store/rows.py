"""Storage write side, bulk path: checked rule files -> plain row dicts per table.

Part of the storage stage (parse -> validate -> **store** -> compare -> report/ui), used by
:func:`comparator.store.write.store_files`. A load used to add one ORM object per row
(``session.add`` and a flush per file): about 25x the time of sqlite3's ``executemany`` of
the same rows (RECIPES: "session.add_all 18-31x"). Here every row of a load is a dict
collected per table and written with one SQLAlchemy Core ``insert`` per table
(executemany). Surrogate ids are handed out by the loader itself, from each table's
``max(id)``, inside the write transaction: the write lock (``BEGIN IMMEDIATE`` on SQLite,
the advisory lock on PostgreSQL) keeps any other loader out until commit, and PostgreSQL's
sequences are moved past the ids used (:func:`sync_sequences`).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection

from ..model import RuleFile
from .schema import (
    ArticleRow,
    Base,
    DeferralItem,
    DeferralRow,
    DefinitionRow,
    DisputeSettlementExcepted,
    DisputeSettlementRow,
    ExceptionItem,
    ExceptionRow,
    ExpectationAssumption,
    ExpectationRow,
    JurisdictionRow,
    PartyRow,
    ProvisionItem,
    ProvisionRow,
    RegimeRow,
    SourceFile,
    TermLink,
    TermRow,
)

# Tables whose rows get an id from the loader, and every table a file's rows go to.
_WITH_IDS = (SourceFile, RegimeRow, ArticleRow, ProvisionRow, ExceptionRow, DefinitionRow, DisputeSettlementRow,
             DeferralRow, TermRow, ExpectationRow)


class Rows:
    """Row dicts per table for one load, with ids allocated as rows are added."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.tables: dict[str, list[dict]] = defaultdict(list)
        self._next: dict[str, int] = {}

    def add(self, model, **values) -> int | None:
        name = model.__tablename__
        if model in _WITH_IDS:
            if name not in self._next:
                self._next[name] = (self.conn.execute(select(func.max(model.id))).scalar() or 0) + 1
            values["id"] = self._next[name]
            self._next[name] += 1
        self.tables[name].append(values)
        return values.get("id")

    def items(self, model, parent: str, parent_id: int, fields: dict[str, list[str]]) -> None:
        for name, values in fields.items():
            for i, v in enumerate(values):
                self.add(model, **{parent: parent_id, "field": name, "position": i, "value": v})

    def write(self) -> None:
        """One Core executemany per table, parents before children; the rows are then dropped."""
        for table in Base.metadata.sorted_tables:
            rows = self.tables.get(table.name)
            if rows:
                self.conn.execute(insert(table), rows)
        self.tables.clear()
        if self.conn.dialect.name == "postgresql":
            sync_sequences(self.conn, [m.__tablename__ for m in _WITH_IDS if m.__tablename__ in self._next])


def sync_sequences(conn: Connection, tables: list[str]) -> None:
    """Move each table's id sequence past the ids the loader wrote itself (PostgreSQL)."""
    for name in tables:
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                          f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"))


def _line(node) -> int | None:
    return node.span.line if node.span is not None else None


def _common(node) -> dict:
    return dict(quote=node.quote, translation=node.translation, translation_text=node.translation_text,
                translation_source=node.translation_source, gloss=node.gloss, status=node.status, note=node.note,
                line=_line(node))


def _default_order(rf: RuleFile) -> list[tuple[str, int]]:
    # The formatter's own fallback, for models built in code rather than parsed.
    return (([("regime", 0)] if rf.regime else [])
            + ([("dispute_settlement", 0)] if rf.dispute_settlement else [])
            + [("article", i) for i in range(len(rf.articles))]
            + ([("vocabulary", len(rf.vocabulary))] if rf.vocabulary else [])
            + [("expectation", i) for i in range(len(rf.expectations))])


def add_file(out: Rows, rf: RuleFile, key: str, sha: str, now: dt.datetime, user: str | None) -> None:
    """Every row one rule file is stored as (everything but its ``#`` comments)."""
    # A regime's coverage declaration rides in the layout column (schema.SourceFile): the
    # block order is a list of [kind, count] pairs, these are [field, [patterns]] pairs.
    coverage = [[name, list(values)] for name, values in
                (("covers", rf.regime.covers if rf.regime else None), ("not_encoded", rf.regime.not_encoded if rf.regime else []))
                if values]
    file_id = out.add(SourceFile, path=key, sha256=sha,
                      layout=[list(x) for x in (rf.order or _default_order(rf))] + coverage,
                      loaded_at=now, loaded_by=user)
    for i, t in enumerate(rf.vocabulary):
        term_id = out.add(TermRow, source_file_id=file_id, position=i, kind=t.kind, name=t.id, label=t.label,
                          label_zh=t.label_zh, label_es=t.label_es, note=t.note, line=_line(t))
        out.items(TermLink, "term_id", term_id, {"broader": t.broader, "alias": t.aliases, "member": t.members})
    for i, e in enumerate(rf.expectations):
        exp_id = out.add(ExpectationRow, source_file_id=file_id, position=i, conflict=e.conflict, kind=e.kind,
                         a_regime=e.a_regime, a_ref=e.a_ref, b_regime=e.b_regime, b_ref=e.b_ref, bound=e.bound,
                         as_of=e.as_of, line=_line(e))
        for j, (r, c) in enumerate(e.assume):
            out.add(ExpectationAssumption, expectation_id=exp_id, position=j, regime=r, country=c)
    if rf.regime is None:
        return
    r = rf.regime
    regime_id = out.add(RegimeRow, source_file_id=file_id, code=r.id, title=r.title, kind=r.kind, signed=r.signed,
                        in_force=r.in_force, until=r.until, source_url=r.source, note=r.note, line=_line(r),
                        language=r.language, authentic=",".join(r.authentic) or None)
    for i, p in enumerate(r.parties):
        out.add(PartyRow, regime_id=regime_id, position=i, country=p.country, joined=p.joined, left=p.left)
    for i, c in enumerate(r.jurisdiction):
        out.add(JurisdictionRow, regime_id=regime_id, position=i, code=c)
    for ai, a in enumerate(rf.articles):
        article_id = out.add(ArticleRow, regime_id=regime_id, position=ai, ref=a.ref, title=a.title, note=a.note,
                             line=_line(a))
        order = a.order or ([("provision", i) for i in range(len(a.provisions))]
                            + [("exception", i) for i in range(len(a.exceptions))]
                            + [("definition", i) for i in range(len(a.definitions))])
        seq = {item: n for n, item in enumerate(order)}
        for i, p in enumerate(a.provisions):
            n = p.norm
            items = {"topic": p.topics, "exclude": p.excludes}
            if n is not None:
                items |= {"bearer": n.bearers, "object": n.objects, "destination": n.destinations,
                          "condition": n.conditions, "unless": n.unless}
            pid = out.add(ProvisionRow, article_id=article_id, regime_id=regime_id, position=i,
                          seq=seq[("provision", i)], ref=p.ref, modality=n.modality if n else None,
                          stance=n.stance if n else None, action=n.action if n else None,
                          object_word=n.object_word if n else "of", in_force=p.in_force, until=p.until,
                          replaced_by=p.replaced_by, **_common(p))
            out.items(ProvisionItem, "provision_id", pid, items)
        for i, e in enumerate(a.exceptions):
            eid = out.add(ExceptionRow, article_id=article_id, regime_id=regime_id, position=i,
                          seq=seq[("exception", i)], ref=e.ref, kind=e.kind, in_force=e.in_force, until=e.until,
                          replaced_by=e.replaced_by, **_common(e))
            out.items(ExceptionItem, "exception_id", eid,
                      {"applies_to": e.applies_to, "test": e.tests, "exclude": e.excludes})
        for i, d in enumerate(a.definitions):
            out.add(DefinitionRow, article_id=article_id, position=i, seq=seq[("definition", i)], term=d.term,
                    **_common(d))
    if rf.dispute_settlement is not None:
        ds = rf.dispute_settlement
        ds_id = out.add(DisputeSettlementRow, regime_id=regime_id, applies=ds.applies, note=ds.note, line=_line(ds))
        for i, ref in enumerate(ds.excepted):
            out.add(DisputeSettlementExcepted, dispute_settlement_id=ds_id, position=i, ref=ref)
        for i, d in enumerate(ds.deferrals):
            did = out.add(DeferralRow, dispute_settlement_id=ds_id, position=i, until_date=d.until_date,
                          until_text=d.until_text, line=_line(d))
            out.items(DeferralItem, "deferral_id", did, {"party": d.parties, "provision": d.provisions})
