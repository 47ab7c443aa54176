"""Storage read side: rows -> the pydantic models, plus listing, search and history.

Part of the storage stage (parse -> validate -> **store** -> compare -> report/ui). Gives
back the same models (:mod:`comparator.model`) the parser builds, so later stages never
see a row and ``format_file(get_regime(...))`` is the formatted original without comments.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from typing import Iterable, Iterator

from pydantic import BaseModel
from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from ..model import Corpus, Provision, Regime, RuleFile, english_beside
from .assemble import read_files
from .database import StoreError, _require_schema, _wrap_db_errors, get_engine
from .schema import (
    ArticleRow,
    ExpectationRow,
    JurisdictionRow,
    LoadHistory,
    PartyRow,
    ProvisionItem,
    ProvisionRow,
    RegimeRow,
    SourceFile,
    TermRow,
)


def _by_field(items) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for item in items:
        out[item.field].append(item.value)
    return out


def _common_fields(row) -> dict:
    return dict(quote=row.quote, translation=row.translation, translation_text=row.translation_text,
                translation_source=row.translation_source, gloss=row.gloss, status=row.status, note=row.note)


def _read_session(db: Engine | str | None) -> tuple[Engine, Session]:
    """A session whose SELECTs all see one snapshot: under PostgreSQL's READ COMMITTED a load
    committing between them gave a reader a regime without its provisions (test_concurrent_use)."""
    engine = get_engine(db)
    _require_schema(engine)
    if engine.dialect.name == "postgresql":
        return engine, Session(engine.execution_options(isolation_level="REPEATABLE READ"))
    return engine, Session(engine)


@contextlib.contextmanager
def _snapshot(db: Engine | str | None) -> Iterator[Connection]:
    """A connection inside one read transaction (one snapshot, as :func:`_read_session`)."""
    engine = get_engine(db)
    _require_schema(engine)
    with _wrap_db_errors(engine), engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def load_corpus_from_db(db: Engine | str | None = None, regimes: Iterable[str] | None = None) -> Corpus:
    """Every stored file as models, in path order: the same Corpus ``validate.load_corpus`` gives.

    ``regimes``: only the files of these regimes (names not loaded are left out: the engine
    says so, with its hints), plus every file without a regime and every file declaring
    vocabulary, so the vocabulary and the expectations are always whole. What a page that
    compares a few regimes needs, at a fraction of the whole read.

    One SELECT per table, rows -> models in :mod:`comparator.store.assemble`.
    """
    with _snapshot(db) as conn:
        if regimes is None:
            return Corpus(files=read_files(conn))
        wanted = [r for r in ([regimes] if isinstance(regimes, str) else regimes) if not _has_nul(r)]
        has_terms = select(TermRow.source_file_id)
        ids = conn.execute(
            select(SourceFile.id).outerjoin(RegimeRow, RegimeRow.source_file_id == SourceFile.id)
            .where(or_(RegimeRow.id.is_(None), RegimeRow.code.in_(wanted), SourceFile.id.in_(has_terms)))).scalars().all()
        return Corpus(files=read_files(conn, sorted(ids)))


def load_outline_from_db(db: Engine | str | None = None) -> Corpus:
    """Every stored file without its articles and dispute settlement: each regime's own block
    (kind, parties, jurisdiction, dates), the whole vocabulary and the expectations.

    What deciding which regimes bind whom needs (``perspective.regimes_in_play``), so that a
    caller can then read only those regimes with ``load_corpus_from_db(db, regimes=...)``;
    about a twentieth of the whole read. Never a corpus to compare or check: it holds no
    provisions.
    """
    with _snapshot(db) as conn:
        return Corpus(files=read_files(conn, articles=False))


def _has_nul(*values: str | None) -> bool:
    """Stored text never holds NUL, so a name with one matches nothing (PostgreSQL would raise)."""
    return any(v is not None and "\x00" in v for v in values)


def get_file(path: str, db: Engine | str | None = None) -> RuleFile:
    """One stored file by its key (``rules/vocabulary/core.dtr``)."""
    with _snapshot(db) as conn:
        file_id = None if _has_nul(path) else conn.execute(
            select(SourceFile.id).where(SourceFile.path == path)).scalar_one_or_none()
        if file_id is None:
            known = conn.execute(select(SourceFile.path).order_by(SourceFile.path)).scalars().all()
            raise StoreError(f"no file {path!r} is loaded{suggest(path, known)}")
        return read_files(conn, [file_id])[0]


def get_regime(regime_id: str, db: Engine | str | None = None) -> RuleFile:
    """The file holding one regime, as models (what `dtrc export` and `dtrc show` print)."""
    with _snapshot(db) as conn:
        file_id = None if _has_nul(regime_id) else conn.execute(
            select(RegimeRow.source_file_id).where(RegimeRow.code == regime_id)).scalar_one_or_none()
        if file_id is None:
            known = conn.execute(select(RegimeRow.code).order_by(RegimeRow.code)).scalars().all()
            raise StoreError(f"no regime {regime_id} is loaded{suggest(regime_id, known)}")
        return read_files(conn, [file_id])[0]


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
