"""Storage read side, bulk path: table rows -> the rule models, one SELECT per table.

Part of the storage stage (parse -> validate -> **store** -> compare -> report/ui), used by
:mod:`comparator.store.read` for every read of whole files (the corpus, a subset of its
regimes, one file). Reading the 10k-provision corpus back cost 20-75x a bare ``fetchall``
of the same rows; what it spent went to three things, each cut here:

* SQLAlchemy's result rows (``RowMapping`` per row, then an object per row to hang the
  children on): the rows come from the DBAPI cursor of the connection, as plain tuples,
  and the few typed columns that need it are converted here (:class:`_Convert`);
* pydantic's ``model_construct``, slower than validating for small models: values read
  from our own typed columns are trusted and set directly (:func:`.fast.trusted`);
* the cyclic GC walking every model built so far, and once more after
  (:func:`comparator.collector.long_lived`).

Each table is read once, children before parents, and grouped by parent id in Python.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Callable

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from ..model import (
    Article,
    Deferral,
    Definition,
    DisputeSettlement,
    Exception_,
    Expectation,
    Norm,
    Party,
    Provision,
    Regime,
    RuleFile,
    Span,
    Term,
)
from ..collector import long_lived
from .fast import trusted
from .schema import (
    ArticleRow,
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

def _span(path: str, line: int | None) -> Span | None:
    # Spans are frozen, so the provision and its norm may share one.
    return trusted(Span, {"path": path, "line": line, "column": 1, "end_line": None, "end_column": None}) if line else None


# ---------------------------------------------------------------------------- column values

class _Convert:
    """The typed columns the DBAPI gives back untyped: SQLite (pysqlite) hands out dates as
    ISO text and JSON as text; psycopg gives dates and parsed JSON. (Booleans, 0/1 from
    SQLite, go through ``bool``.) Dates are converted only when not null: ``x and date(x)``."""

    def __init__(self, dialect: str):
        if dialect == "sqlite":
            self.date: Callable = dt.date.fromisoformat
            self.json: Callable = json.loads
        else:
            self.date = lambda v: v
            self.json = lambda v: json.loads(v) if isinstance(v, str) else v


# ---------------------------------------------------------------------------- queries

# Per table: the columns read, in this order. Children carry their ``position`` and are put
# in place by it (:func:`_place`): no ORDER BY, which cost a fifth of the fetch.
_COLUMNS = {
    SourceFile: ("id", "path", "layout"),
    TermRow: ("id", "source_file_id", "position", "kind", "name", "label", "label_zh", "label_es", "note", "line"),
    TermLink: ("term_id", "field", "position", "value"),
    ExpectationRow: ("id", "source_file_id", "position", "conflict", "kind", "a_regime", "a_ref", "b_regime", "b_ref",
                     "bound", "as_of", "line"),
    ExpectationAssumption: ("expectation_id", "position", "regime", "country"),
    RegimeRow: ("id", "source_file_id", "code", "title", "kind", "signed", "in_force", "until", "source_url", "note",
                "line", "language", "authentic"),
    PartyRow: ("regime_id", "position", "country", "joined", "left"),
    JurisdictionRow: ("regime_id", "position", "code"),
    ArticleRow: ("id", "regime_id", "position", "ref", "title", "note", "line"),
    ProvisionRow: ("id", "article_id", "position", "seq", "ref", "modality", "stance", "action", "object_word",
                   "in_force", "until", "replaced_by", "quote", "translation", "translation_text",
                   "translation_source", "gloss", "status", "note", "line"),
    ProvisionItem: ("provision_id", "field", "position", "value"),
    ExceptionRow: ("id", "article_id", "position", "seq", "ref", "kind", "in_force", "until", "replaced_by", "quote",
                   "translation", "translation_text", "translation_source", "gloss", "status", "note", "line"),
    ExceptionItem: ("exception_id", "field", "position", "value"),
    DefinitionRow: ("article_id", "position", "seq", "term", "quote", "translation", "translation_text",
                    "translation_source", "gloss", "status", "note", "line"),
    DisputeSettlementRow: ("id", "regime_id", "applies", "note", "line"),
    DisputeSettlementExcepted: ("dispute_settlement_id", "position", "ref"),
    DeferralRow: ("id", "dispute_settlement_id", "position", "until_date", "until_text", "line"),
    DeferralItem: ("deferral_id", "field", "position", "value"),
}
# How a table's rows reach the chosen files: (own column, parent table). Provisions and
# exceptions go through their denormalised regime_id (one subquery less).
_UP = {
    TermRow: ("source_file_id", SourceFile), TermLink: ("term_id", TermRow),
    ExpectationRow: ("source_file_id", SourceFile), ExpectationAssumption: ("expectation_id", ExpectationRow),
    RegimeRow: ("source_file_id", SourceFile), PartyRow: ("regime_id", RegimeRow),
    JurisdictionRow: ("regime_id", RegimeRow), ArticleRow: ("regime_id", RegimeRow),
    ProvisionRow: ("regime_id", RegimeRow), ProvisionItem: ("provision_id", ProvisionRow),
    ExceptionRow: ("regime_id", RegimeRow), ExceptionItem: ("exception_id", ExceptionRow),
    DefinitionRow: ("article_id", ArticleRow), DisputeSettlementRow: ("regime_id", RegimeRow),
    DisputeSettlementExcepted: ("dispute_settlement_id", DisputeSettlementRow),
    DeferralRow: ("dispute_settlement_id", DisputeSettlementRow), DeferralItem: ("deferral_id", DeferralRow),
}


def _belonging(model, file_ids: list[int]):
    """A condition on ``model``'s rows: they belong to the chosen files (nested IN subqueries)."""
    table = model.__table__
    if model is SourceFile:
        return table.c.id.in_(file_ids)
    own, parent = _UP[model]
    return table.c[own].in_(select(parent.__table__.c.id).where(_belonging(parent, file_ids)))


_WHOLE: dict[tuple[str, type], str] = {}


def _sql(conn: Connection, model, file_ids: list[int] | None) -> str:
    if file_ids is None and (conn.dialect.name, model) in _WHOLE:
        return _WHOLE[conn.dialect.name, model]
    table = model.__table__
    query = select(*(table.c[c] for c in _COLUMNS[model]))
    if model is SourceFile:
        query = query.order_by(table.c.path)
    if file_ids is not None:
        query = query.where(_belonging(model, file_ids))
    # Integer ids of our own rows only: safe to inline, and the DBAPI cursor takes no binds.
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    if file_ids is None:
        _WHOLE[conn.dialect.name, model] = sql
    return sql


def _rows(conn: Connection, model, file_ids: list[int] | None) -> list[tuple]:
    """Plain tuples straight from the DBAPI cursor of the connection (same transaction)."""
    sql = _sql(conn, model, file_ids)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    except conn.dialect.loaded_dbapi.Error as exc:
        # As SQLAlchemy would have raised it: the caller's error handling speaks DBAPIError.
        raise DBAPIError(sql, None, exc) from exc
    finally:
        cursor.close()


# ---------------------------------------------------------------------------- grouping

def _place(values: list, position: int, value) -> None:
    """Put ``value`` at ``position`` of ``values``, whatever order the rows come in.

    Positions of one parent's children are 0, 1, 2 ... (the writer enumerates them), so
    every gap a later position opens is filled by an earlier one arriving later. Rows
    mostly come in insertion order, where this is an append; callers inline that case.
    """
    if position == len(values):
        values.append(value)
        return
    if position > len(values):
        values.extend([None] * (position - len(values) + 1))
    values[position] = value


def _grouped(rows: list[tuple]) -> dict[int, dict[str, list]]:
    """(parent id, field, position, value) rows -> parent id -> field -> values in order.

    The hot loop of the item tables (50,000 rows at 10k provisions): :func:`_place` inlined."""
    out: dict[int, dict[str, list]] = {}
    for parent, field, position, value in rows:
        fields = out.get(parent)
        if fields is None:
            fields = out[parent] = {}
        values = fields.get(field)
        if values is None:
            values = fields[field] = []
        if position == len(values):
            values.append(value)
        else:
            _place(values, position, value)
    return out


def _listed(rows: list[tuple]) -> dict[int, list]:
    """(parent id, position, value) rows -> parent id -> values in order."""
    out: dict[int, list] = {}
    for parent, position, value in rows:
        _place(out.setdefault(parent, []), position, value)
    return out


_NONE: dict = {}


# ---------------------------------------------------------------------------- assembly

def read_files(conn: Connection, file_ids: list[int] | None = None, articles: bool = True) -> list[RuleFile]:
    """The stored files (all, or those with the given ids) as models, in path order.

    ``articles=False`` leaves out every file's articles and dispute settlement (see
    :func:`comparator.store.read.load_outline_from_db`). ``conn`` must be inside a
    transaction, so that every table is read from one snapshot.
    """
    with long_lived():
        return _Assembly(conn, file_ids, articles).files()


class _Assembly:
    """One read: each method reads a table (and its item tables) and hangs the models on their parents."""

    def __init__(self, conn: Connection, file_ids: list[int] | None, articles: bool):
        self.conn, self.file_ids, self.with_articles = conn, file_ids, articles
        convert = _Convert(conn.dialect.name)
        self.date, self.json = convert.date, convert.json

    def rows(self, model) -> list[tuple]:
        return _rows(self.conn, model, self.file_ids)

    def files(self) -> list[RuleFile]:
        files: dict[int, RuleFile] = {}
        coverage: dict[int, dict[str, list[str]]] = {}
        for fid, path, layout in self.rows(SourceFile):
            layout = self.json(layout)
            # The layout holds the block order ([kind, count]) and the regime's coverage ([field, [patterns]]).
            files[fid] = trusted(RuleFile, {
                "path": path, "span": _span(path, 1), "lines": {}, "regime": None, "articles": [],
                "dispute_settlement": None, "vocabulary": [], "expectations": [], "comments": [],
                "order": [(k, n) for k, n in layout if not isinstance(n, list)]})
            coverage[fid] = {k: n for k, n in layout if isinstance(n, list)}
        self.vocabulary(files)
        self.expectations(files)
        self.regimes(files, coverage)
        return list(files.values())

    def vocabulary(self, files: dict[int, RuleFile]) -> None:
        links = _grouped(self.rows(TermLink))
        for tid, fid, position, kind, name, label, label_zh, label_es, note, line in self.rows(TermRow):
            rf = files[fid]
            ln = links.get(tid, _NONE)
            _place(rf.vocabulary, position, trusted(Term, {
                "kind": kind, "id": name, "label": label, "label_zh": label_zh, "label_es": label_es, "note": note,
                "span": _span(rf.path, line), "lines": {}, "broader": ln.get("broader") or [],
                "aliases": ln.get("alias") or [], "members": ln.get("member") or []}))

    def expectations(self, files: dict[int, RuleFile]) -> None:
        assume = _listed([(eid, position, (regime, country))
                          for eid, position, regime, country in self.rows(ExpectationAssumption)])
        date = self.date
        for (eid, fid, position, conflict, kind, a_regime, a_ref, b_regime, b_ref, bound, as_of,
             line) in self.rows(ExpectationRow):
            rf = files[fid]
            _place(rf.expectations, position, trusted(Expectation, {
                "conflict": bool(conflict), "kind": kind, "a_regime": a_regime, "a_ref": a_ref, "b_regime": b_regime,
                "b_ref": b_ref, "bound": bound, "as_of": as_of and date(as_of), "span": _span(rf.path, line),
                "lines": {}, "assume": assume.get(eid) or []}))

    def regimes(self, files: dict[int, RuleFile], coverage: dict[int, dict[str, list[str]]]) -> None:
        date = self.date
        parties = _listed([(rid, position, trusted(Party, {
            "country": country, "joined": joined and date(joined), "left": left and date(left), "span": None,
            "lines": {}})) for rid, position, country, joined, left in self.rows(PartyRow)])
        places = _listed(self.rows(JurisdictionRow))
        by_id: dict[int, RuleFile] = {}
        for (rid, fid, code, title, kind, signed, in_force, until, source, note, line, language,
             authentic) in self.rows(RegimeRow):
            rf = files[fid]
            covers = coverage[fid]
            # Straight into __dict__: the field was set (to None) when the file was built.
            rf.__dict__["regime"] = trusted(Regime, {
                "id": code, "title": title, "kind": kind, "signed": signed and date(signed),
                "in_force": in_force and date(in_force), "until": until and date(until), "source": source,
                "note": note, "span": _span(rf.path, line), "lines": {}, "language": language or "en",
                "authentic": authentic.split(",") if authentic else [], "parties": parties.get(rid) or [],
                "jurisdiction": places.get(rid) or [], "covers": covers.get("covers"),
                "not_encoded": covers.get("not_encoded", [])})
            by_id[rid] = rf
        if self.with_articles:
            self.articles(by_id)
            self.dispute_settlements(by_id)

    def articles(self, regimes: dict[int, RuleFile]) -> None:
        # Article id -> (the article, its file's path, its items as (seq, (kind, position))).
        articles: dict[int, tuple[Article, str, list]] = {}
        for aid, rid, position, ref, title, note, line in self.rows(ArticleRow):
            rf = regimes[rid]
            article = trusted(Article, {
                "ref": ref, "title": title, "note": note, "span": _span(rf.path, line), "lines": {},
                "provisions": [], "exceptions": [], "definitions": [], "order": []})
            articles[aid] = (article, rf.path, [])
            _place(rf.articles, position, article)
        self.provisions(articles)
        self.exceptions(articles)
        self.definitions(articles)
        for article, _, seqs in articles.values():
            article.__dict__["order"] = [item for _, item in sorted(seqs)]

    def provisions(self, articles: dict[int, tuple[Article, str, list]]) -> None:
        items = _grouped(self.rows(ProvisionItem))
        date = self.date
        for (pid, aid, position, seq, ref, modality, stance, action, object_word, in_force, until, replaced_by,
             quote, translation, translation_text, translation_source, gloss, status, note, line) in self.rows(ProvisionRow):
            article, path, seqs = articles[aid]
            # The hot loop of the read: the span is built inline, and shared with the norm (spans are frozen).
            span = trusted(Span, {"path": path, "line": line, "column": 1, "end_line": None, "end_column": None}) \
                if line else None
            it = items.get(pid, _NONE)
            norm = None if modality is None else trusted(Norm, {
                "bearers": it.get("bearer") or [], "modality": modality, "stance": stance, "action": action,
                "objects": it.get("object") or [], "destinations": it.get("destination") or [],
                "conditions": it.get("condition") or [], "unless": it.get("unless") or [],
                "object_word": object_word, "span": span, "lines": {}})
            provision = trusted(Provision, {
                "ref": ref, "topics": it.get("topic") or [], "norm": norm, "excludes": it.get("exclude") or [],
                "quote": quote, "translation": bool(translation), "translation_text": translation_text,
                "translation_source": translation_source, "gloss": gloss, "status": status,
                "in_force": in_force and date(in_force), "until": until and date(until), "replaced_by": replaced_by,
                "note": note, "span": span, "lines": {}})
            values = article.provisions
            if position == len(values):
                values.append(provision)
            else:
                _place(values, position, provision)
            seqs.append((seq, ("provision", position)))

    def exceptions(self, articles: dict[int, tuple[Article, str, list]]) -> None:
        items = _grouped(self.rows(ExceptionItem))
        date = self.date
        for (eid, aid, position, seq, ref, kind, in_force, until, replaced_by, quote, translation, translation_text,
             translation_source, gloss, status, note, line) in self.rows(ExceptionRow):
            article, path, seqs = articles[aid]
            it = items.get(eid, _NONE)
            _place(article.exceptions, position, trusted(Exception_, {
                "ref": ref, "kind": kind, "applies_to": it.get("applies_to") or [], "tests": it.get("test") or [],
                "excludes": it.get("exclude") or [], "quote": quote, "translation": bool(translation),
                "translation_text": translation_text, "translation_source": translation_source, "gloss": gloss,
                "status": status, "in_force": in_force and date(in_force), "until": until and date(until),
                "replaced_by": replaced_by, "note": note, "span": _span(path, line), "lines": {}}))
            seqs.append((seq, ("exception", position)))

    def definitions(self, articles: dict[int, tuple[Article, str, list]]) -> None:
        for (aid, position, seq, term, quote, translation, translation_text, translation_source, gloss, status,
             note, line) in self.rows(DefinitionRow):
            article, path, seqs = articles[aid]
            _place(article.definitions, position, trusted(Definition, {
                "term": term, "quote": quote, "translation": bool(translation), "translation_text": translation_text,
                "translation_source": translation_source, "gloss": gloss, "status": status, "note": note,
                "span": _span(path, line), "lines": {}}))
            seqs.append((seq, ("definition", position)))

    def dispute_settlements(self, regimes: dict[int, RuleFile]) -> None:
        date = self.date
        excepted = _listed(self.rows(DisputeSettlementExcepted))
        items = _grouped(self.rows(DeferralItem))
        deferrals = _listed([(ds_id, position, (did, until_date, until_text, line))
                             for did, ds_id, position, until_date, until_text, line in self.rows(DeferralRow)])
        for ds_id, rid, applies, note, line in self.rows(DisputeSettlementRow):
            rf = regimes[rid]
            path = rf.path
            rf.__dict__["dispute_settlement"] = trusted(DisputeSettlement, {
                "applies": bool(applies), "note": note, "span": _span(path, line), "lines": {},
                "excepted": excepted.get(ds_id) or [],
                "deferrals": [trusted(Deferral, {
                    "parties": items.get(did, _NONE).get("party") or [],
                    "provisions": items.get(did, _NONE).get("provision") or [],
                    "until_date": until_date and date(until_date), "until_text": until_text,
                    "span": _span(path, d_line), "lines": {}})
                    for did, until_date, until_text, d_line in deferrals.get(ds_id, [])]})
