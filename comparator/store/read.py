"""Storage read side: rows -> the pydantic models, plus listing, search and history.

Part of the storage stage (parse -> validate -> **store** -> compare -> report/ui). Gives
back the same models (:mod:`comparator.model`) the parser builds, so later stages never
see a row and ``format_file(get_regime(...))`` is the formatted original without comments.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from pydantic import BaseModel
from sqlalchemy import func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..model import (
    Article,
    Corpus,
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
    english_beside,
)
from .database import StoreError, _require_schema, _wrap_db_errors, get_engine
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
    LoadHistory,
    PartyRow,
    ProvisionItem,
    ProvisionRow,
    RegimeRow,
    SourceFile,
    TermLink,
    TermRow,
)


# Rows from our own typed columns need no validation: models are built with
# ``model_construct`` (validating them was most of the read time at 10k provisions).
def _span(key: str, line: int | None) -> Span | None:
    return Span.model_construct(path=key, line=line, column=1) if line else None


def _by_field(items) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for item in items:
        out[item.field].append(item.value)
    return out


def _common_fields(row) -> dict:
    return dict(quote=row.quote, translation=row.translation, translation_text=row.translation_text,
                translation_source=row.translation_source, gloss=row.gloss, status=row.status, note=row.note)


def _row_to_term(t: TermRow, key: str) -> Term:
    links = _by_field(t.links)
    return Term.model_construct(kind=t.kind, id=t.name, label=t.label, label_zh=t.label_zh, label_es=t.label_es, note=t.note,
                span=_span(key, t.line),
                broader=links["broader"], aliases=links["alias"], members=links["member"])


def _row_to_deferral(d: DeferralRow, key: str) -> Deferral:
    items = _by_field(d.items)
    return Deferral.model_construct(parties=items["party"], provisions=items["provision"], until_date=d.until_date,
                    until_text=d.until_text, span=_span(key, d.line))


def _row_to_file(row: SourceFile) -> RuleFile:
    key = row.path
    # The layout holds the block order ([kind, count]) and the regime's coverage ([field, [patterns]]).
    coverage = {k: n for k, n in row.layout if isinstance(n, list)}
    rf = RuleFile.model_construct(path=key, span=Span.model_construct(path=key, line=1, column=1),
                                  order=[(k, n) for k, n in row.layout if not isinstance(n, list)])
    rf.vocabulary = [_row_to_term(t, key) for t in row.terms]
    rf.expectations = [
        Expectation.model_construct(conflict=e.conflict, kind=e.kind, a_regime=e.a_regime, a_ref=e.a_ref, b_regime=e.b_regime,
                    b_ref=e.b_ref, bound=e.bound, as_of=e.as_of, span=_span(key, e.line),
                    assume=[(a.regime, a.country) for a in e.assumptions])
        for e in row.expectations]
    r = row.regime
    if r is None:
        return rf
    rf.regime = Regime.model_construct(id=r.code, title=r.title, kind=r.kind, signed=r.signed, in_force=r.in_force, until=r.until,
                       source=r.source_url, note=r.note, span=_span(key, r.line), language=r.language or "en",
                       authentic=r.authentic.split(",") if r.authentic else [],
                       parties=[Party.model_construct(country=p.country, joined=p.joined, left=p.left) for p in r.parties],
                       jurisdiction=[j.code for j in r.jurisdictions],
                       covers=coverage.get("covers"), not_encoded=coverage.get("not_encoded", []))
    for a in r.articles:
        article = Article.model_construct(ref=a.ref, title=a.title, note=a.note, span=_span(key, a.line))
        for p in a.provisions:
            items = _by_field(p.items)
            norm = None
            if p.modality is not None:
                norm = Norm.model_construct(bearers=items["bearer"], modality=p.modality, stance=p.stance, action=p.action,
                            objects=items["object"], destinations=items["destination"],
                            conditions=items["condition"], unless=items["unless"], object_word=p.object_word,
                            span=_span(key, p.line))
            article.provisions.append(Provision.model_construct(
                ref=p.ref, topics=items["topic"], norm=norm, excludes=items["exclude"], in_force=p.in_force,
                until=p.until, replaced_by=p.replaced_by, span=_span(key, p.line), **_common_fields(p)))
        for e in a.exceptions:
            items = _by_field(e.items)
            article.exceptions.append(Exception_.model_construct(
                ref=e.ref, kind=e.kind, applies_to=items["applies_to"], tests=items["test"], excludes=items["exclude"],
                in_force=e.in_force, until=e.until, replaced_by=e.replaced_by, span=_span(key, e.line),
                **_common_fields(e)))
        for d in a.definitions:
            article.definitions.append(Definition.model_construct(term=d.term, span=_span(key, d.line), **_common_fields(d)))
        seqs = ([(p.seq, ("provision", p.position)) for p in a.provisions]
                + [(e.seq, ("exception", e.position)) for e in a.exceptions]
                + [(d.seq, ("definition", d.position)) for d in a.definitions])
        article.order = [item for _, item in sorted(seqs)]
        rf.articles.append(article)
    ds = r.dispute_settlement
    if ds is not None:
        rf.dispute_settlement = DisputeSettlement.model_construct(
            applies=ds.applies, note=ds.note, span=_span(key, ds.line), excepted=[x.ref for x in ds.excepted],
            deferrals=[_row_to_deferral(d, key) for d in ds.deferrals])
    return rf


def _read_session(db: Engine | str | None) -> tuple[Engine, Session]:
    """A session whose SELECTs all see one snapshot: under PostgreSQL's READ COMMITTED a load
    committing between them gave a reader a regime without its provisions (test_concurrent_use)."""
    engine = get_engine(db)
    _require_schema(engine)
    if engine.dialect.name == "postgresql":
        return engine, Session(engine.execution_options(isolation_level="REPEATABLE READ"))
    return engine, Session(engine)


class _Rec:
    """One fetched row with its children attached under the ORM's relationship names, so
    :func:`_row_to_file` reads it as it reads an ORM object."""

    def __init__(self, values: dict):
        self.__dict__.update(values)


# (child table, its parent key, the relationship name on the parent, sort columns), parents first.
_CHILDREN = (
    (TermRow, "source_file_id", "terms", ("position",)),
    (TermLink, "term_id", "links", ("field", "position")),
    (ExpectationRow, "source_file_id", "expectations", ("position",)),
    (ExpectationAssumption, "expectation_id", "assumptions", ("position",)),
    (PartyRow, "regime_id", "parties", ("position",)),
    (JurisdictionRow, "regime_id", "jurisdictions", ("position",)),
    (ArticleRow, "regime_id", "articles", ("position",)),
    (ProvisionRow, "article_id", "provisions", ("position",)),
    (ProvisionItem, "provision_id", "items", ("field", "position")),
    (ExceptionRow, "article_id", "exceptions", ("position",)),
    (ExceptionItem, "exception_id", "items", ("field", "position")),
    (DefinitionRow, "article_id", "definitions", ("position",)),
    (DisputeSettlementExcepted, "dispute_settlement_id", "excepted", ("position",)),
    (DeferralRow, "dispute_settlement_id", "deferrals", ("position",)),
    (DeferralItem, "deferral_id", "items", ("field", "position")),
)
# One-to-one children: (table, parent key, name on the parent).
_SINGLE = ((RegimeRow, "source_file_id", "regime"), (DisputeSettlementRow, "regime_id", "dispute_settlement"))


def _fetch(session: Session, model, order: tuple[str, ...]) -> list[_Rec]:
    table = model.__table__
    result = session.execute(select(table).order_by(*(table.c[c] for c in order)))
    return [_Rec(m) for m in result.mappings()]


def load_corpus_from_db(db: Engine | str | None = None) -> Corpus:
    """Every stored file as models, in path order: the same Corpus ``validate.load_corpus`` gives.

    Reads each table once with Core (one SELECT per table, about twenty in all) and joins the
    rows in Python: the ORM's per-object loading cost about 50x a bare fetch of the same rows.
    """
    engine, session = _read_session(db)
    with _wrap_db_errors(engine), session:
        files = _fetch(session, SourceFile, ("path",))
        parents: dict[str, dict[int, _Rec]] = {"source_files": {f.id: f for f in files}}
        for f in files:
            f.regime = None
        for model, key, name in _SINGLE:
            parent_table = model.__table__.c[key].foreign_keys.copy().pop().column.table.name
            recs = _fetch(session, model, ("id",))
            for rec in recs:
                setattr(parents[parent_table][getattr(rec, key)], name, rec)
            parents[model.__tablename__] = {r.id: r for r in recs}
            if model is RegimeRow:
                for r in recs:
                    r.dispute_settlement = None
        for model, key, name, order in _CHILDREN:
            parent_table = model.__table__.c[key].foreign_keys.copy().pop().column.table.name
            by_parent = parents[parent_table]
            for rec in by_parent.values():
                rec.__dict__.setdefault(name, [])
            recs = _fetch(session, model, (key, *order))
            for rec in recs:
                by_parent[getattr(rec, key)].__dict__[name].append(rec)
            if "id" in model.__table__.c:
                parents[model.__tablename__] = {r.id: r for r in recs}
        return Corpus(files=[_row_to_file(f) for f in files])


def _has_nul(*values: str | None) -> bool:
    """Stored text never holds NUL, so a name with one matches nothing (PostgreSQL would raise)."""
    return any(v is not None and "\x00" in v for v in values)


def get_file(path: str, db: Engine | str | None = None) -> RuleFile:
    """One stored file by its key (``rules/vocabulary/core.dtr``)."""
    engine, session = _read_session(db)
    with _wrap_db_errors(engine), session:
        row = None if _has_nul(path) else session.scalars(
            select(SourceFile).where(SourceFile.path == path)).one_or_none()
        if row is None:
            known = session.scalars(select(SourceFile.path).order_by(SourceFile.path)).all()
            raise StoreError(f"no file {path!r} is loaded{suggest(path, known)}")
        return _row_to_file(row)


def get_regime(regime_id: str, db: Engine | str | None = None) -> RuleFile:
    """The file holding one regime, as models (what `dtrc export` and `dtrc show` print)."""
    engine, session = _read_session(db)
    with _wrap_db_errors(engine), session:
        row = None if _has_nul(regime_id) else session.scalars(
            select(SourceFile).join(RegimeRow, RegimeRow.source_file_id == SourceFile.id)
            .where(RegimeRow.code == regime_id)).one_or_none()
        if row is None:
            known = session.scalars(select(RegimeRow.code).order_by(RegimeRow.code)).all()
            raise StoreError(f"no regime {regime_id} is loaded{suggest(regime_id, known)}")
        return _row_to_file(row)


def suggest(name: str, known: list[str], what: str = "loaded") -> str:
    """A hint line for an unknown name: the close matches, else what there is to choose from."""
    import difflib

    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    if close:
        return "\n  hint: did you mean " + " or ".join(close) + "?"
    if known:
        return f"\n  hint: {what}: " + ", ".join(known[:20]) + (" ..." if len(known) > 20 else "")
    return "\n  hint: nothing is loaded yet; run `dtrc load rules/`"


class RegimeSummary(BaseModel):
    """One line of `dtrc list` and of the UI's regime picker."""

    id: str
    title: str
    kind: str
    parties: list[str]
    jurisdiction: list[str]
    provisions: int
    path: str
    sha256: str
    loaded_at: dt.datetime
    loaded_by: str | None = None


def list_regimes(db: Engine | str | None = None) -> list[RegimeSummary]:
    # Columns only: selecting the mapped rows pulled in every article and provision through
    # their `selectin` relationships (6 s at 10k provisions for a picker's list).
    engine, session = _read_session(db)
    with _wrap_db_errors(engine), session:
        counts = dict(session.execute(select(ProvisionRow.regime_id, func.count()).group_by(ProvisionRow.regime_id)).all())
        parties: dict[int, list[str]] = defaultdict(list)
        for rid, country in session.execute(select(PartyRow.regime_id, PartyRow.country)
                                            .order_by(PartyRow.regime_id, PartyRow.position)):
            parties[rid].append(country)
        places: dict[int, list[str]] = defaultdict(list)
        for rid, code in session.execute(select(JurisdictionRow.regime_id, JurisdictionRow.code)
                                         .order_by(JurisdictionRow.regime_id, JurisdictionRow.position)):
            places[rid].append(code)
        rows = session.execute(
            select(RegimeRow.id, RegimeRow.code, RegimeRow.title, RegimeRow.kind, SourceFile.path, SourceFile.sha256,
                   SourceFile.loaded_at, SourceFile.loaded_by)
            .join(SourceFile, RegimeRow.source_file_id == SourceFile.id).order_by(RegimeRow.code)).all()
        return [RegimeSummary(id=r.code, title=r.title, kind=r.kind, parties=parties[r.id],
                              jurisdiction=places[r.id], provisions=counts.get(r.id, 0),
                              path=r.path, sha256=r.sha256, loaded_at=_utc(r.loaded_at), loaded_by=r.loaded_by)
                for r in rows]


def _utc(value: dt.datetime) -> dt.datetime:
    # SQLite hands timestamps back without their zone; they were written in UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


class FileSummary(BaseModel):
    path: str
    regime: str | None
    terms: int
    expectations: int
    sha256: str
    loaded_at: dt.datetime


def list_files(db: Engine | str | None = None) -> list[FileSummary]:
    engine, session = _read_session(db)
    with _wrap_db_errors(engine), session:
        codes = dict(session.execute(select(RegimeRow.source_file_id, RegimeRow.code)).all())
        terms = dict(session.execute(select(TermRow.source_file_id, func.count()).group_by(TermRow.source_file_id)).all())
        exps = dict(session.execute(select(ExpectationRow.source_file_id, func.count())
                                    .group_by(ExpectationRow.source_file_id)).all())
        rows = session.execute(select(SourceFile.id, SourceFile.path, SourceFile.sha256, SourceFile.loaded_at)
                               .order_by(SourceFile.path)).all()
        return [FileSummary(path=f.path, regime=codes.get(f.id), terms=terms.get(f.id, 0),
                            expectations=exps.get(f.id, 0), sha256=f.sha256, loaded_at=_utc(f.loaded_at))
                for f in rows]


class ProvisionHit(BaseModel):
    """A provision found by a lookup or a search, with enough to show it and cite it."""

    regime: str
    article: str
    article_title: str | None
    ref: str
    topics: list[str]
    modality: str | None
    action: str | None
    objects: list[str]
    quote: str | None
    path: str
    line: int | None
    # The quote's language and the English beside it, as on a Cell (comparator.bilingual labels them).
    quote_language: str = "en"
    translation: str | None = None
    translation_language: str | None = None
    translation_source: str | None = None
    translation_authentic: bool = False
    gloss: str | None = None

    @property
    def citation(self) -> str:
        return f"{self.regime} {self.ref}"


def _hits(session: Session, provision_ids_query) -> list[ProvisionHit]:
    rows = session.execute(
        select(ProvisionRow, ArticleRow, RegimeRow.code, SourceFile.path, RegimeRow.language, RegimeRow.authentic)
        .join(ArticleRow, ProvisionRow.article_id == ArticleRow.id)
        .join(RegimeRow, ProvisionRow.regime_id == RegimeRow.id)
        .join(SourceFile, RegimeRow.source_file_id == SourceFile.id)
        .where(ProvisionRow.id.in_(provision_ids_query))
        .order_by(RegimeRow.code, ArticleRow.position, ProvisionRow.position)).all()
    out = []
    for p, a, code, path, language, authentic in rows:
        items = _by_field(p.items)
        beside = english_beside(Provision.model_construct(**_common_fields(p)),
                                Regime.model_construct(language=language or "en",
                                                       authentic=authentic.split(",") if authentic else []))
        out.append(ProvisionHit(regime=code, article=a.ref, article_title=a.title, ref=p.ref, topics=items["topic"],
                                modality=p.modality, action=p.action, objects=items["object"], quote=p.quote,
                                path=path, line=p.line, **beside))
    return out


def find_provisions(
    db: Engine | str | None = None,
    *,
    topic: str | None = None,
    action: str | None = None,
    object: str | None = None,  # noqa: A002 - the rule language's own word
    regime: str | None = None,
) -> list[ProvisionHit]:
    """Provisions by exact topic, action and/or object (indexed lookups; all filters combine)."""
    if _has_nul(topic, action, object, regime):
        return []
    engine, session = _read_session(db)
    query = select(ProvisionRow.id)
    for field, value in (("topic", topic), ("object", object)):
        if value is not None:
            query = query.where(ProvisionRow.id.in_(select(ProvisionItem.provision_id).where(
                ProvisionItem.field == field, ProvisionItem.value == value)))
    if action is not None:
        query = query.where(ProvisionRow.action == action)
    if regime is not None:
        query = query.where(ProvisionRow.regime_id.in_(select(RegimeRow.id).where(RegimeRow.code == regime)))
    with _wrap_db_errors(engine), session:
        return _hits(session, query)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_provisions(
    text: str, db: Engine | str | None = None, *, regime: str | None = None, limit: int = 100
) -> list[ProvisionHit]:
    """Case-insensitive substring search over citations, quotes, notes and every list value
    (topics, objects, conditions...). LIKE, not a full-text index: the corpus is small."""
    if _has_nul(text, regime):
        return []
    engine, session = _read_session(db)
    pattern = _like(text)
    query = select(ProvisionRow.id).where(or_(
        ProvisionRow.ref.ilike(pattern, escape="\\"),
        ProvisionRow.quote.ilike(pattern, escape="\\"),
        ProvisionRow.translation_text.ilike(pattern, escape="\\"),
        ProvisionRow.gloss.ilike(pattern, escape="\\"),
        ProvisionRow.note.ilike(pattern, escape="\\"),
        ProvisionRow.action.ilike(pattern, escape="\\"),
        ProvisionRow.id.in_(select(ProvisionItem.provision_id).where(ProvisionItem.value.ilike(pattern, escape="\\"))),
    ))
    if regime is not None:
        query = query.where(ProvisionRow.regime_id.in_(select(RegimeRow.id).where(RegimeRow.code == regime)))
    with _wrap_db_errors(engine), session:
        return _hits(session, query.limit(limit))


class HistoryEntry(BaseModel):
    batch: str
    path: str
    regime: str | None
    sha256: str
    action: str
    loaded_at: dt.datetime
    loaded_by: str | None


def load_history(db: Engine | str | None = None, limit: int = 100) -> list[HistoryEntry]:
    """The newest loads first."""
    engine, session = _read_session(db)
    with _wrap_db_errors(engine), session:
        rows = session.scalars(select(LoadHistory).order_by(LoadHistory.id.desc()).limit(limit)).all()
        return [HistoryEntry(batch=h.batch, path=h.path, regime=h.regime, sha256=h.sha256, action=h.action,
                             loaded_at=_utc(h.loaded_at), loaded_by=h.loaded_by) for h in rows]
