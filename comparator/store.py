"""Storage: the checked corpus in a SQL database (SQLite by default, PostgreSQL for teams).

Third stage of the pipeline: parse -> validate -> **store** -> compare -> report/ui.
This module (with its own Alembic migrations in ``comparator/migrations/``) is the only
place that imports SQLAlchemy. It takes rule files that :mod:`comparator.validate` has
already checked, writes them in one transaction, and gives back the same pydantic models
(:mod:`comparator.model`) on the read side, so later stages never see a row.

Database choice: ``--db URL`` > ``$DATABASE_URL`` > ``./var/dtrc.sqlite`` (see
docs/storage.md). The schema is managed by Alembic only; production code never calls
``create_all``. Everything a rule file holds is stored, in the author's order, except its
``#`` comments (docs/storage.md explains why), so ``format_file(get_regime(...))`` is the
formatted original without comments.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import os
import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Literal

from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    or_,
    select,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from .errors import UserError
from .model import (
    Article,
    Corpus,
    Definition,
    Deferral,
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
from .validate import check_paths, collect_files, corpus_root

DEFAULT_SQLITE_PATH = Path("var") / "dtrc.sqlite"
SQLITE_BUSY_TIMEOUT_MS = 60_000
# Any constant works; it only has to be the same in every dtrc process using one PostgreSQL database.
PG_ADVISORY_LOCK_KEY = 0x64747263  # "dtrc"


class StoreError(UserError):
    """A storage problem the user can act on (no database yet, unreachable server, unknown regime)."""


# ============================================================================ schema

# Named constraints, so that migrations and compare_metadata agree on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Text columns holding what authors wrote have no length limit: SQLite ignores limits and
    PostgreSQL enforces them, so a limit would make the two backends accept different files."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _parent(target: str) -> Any:
    """A foreign key to a parent row, deleted with it (a reload replaces a whole file)."""
    return mapped_column(ForeignKey(target, ondelete="CASCADE"), index=True)


class SourceFile(Base):
    """One loaded .dtr file: the unit of loading, replacing and exporting.

    ``path`` is the file's key: its path from the folder above its corpus root
    (``rules/cptpp.dtr``), so the same file gets the same key from any working directory
    or machine. ``layout`` is the top-level order of the file's blocks, as the formatter
    needs it (``[["regime", 0], ["article", 0], ["vocabulary", 12], ...]``).
    """

    __tablename__ = "source_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String, unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    layout: Mapped[list] = mapped_column(JSON)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    loaded_by: Mapped[str | None] = mapped_column(String)

    regime: Mapped["RegimeRow | None"] = relationship(back_populates="source_file", lazy="selectin",
                                                      cascade="all, delete-orphan", passive_deletes=True)
    terms: Mapped[list["TermRow"]] = relationship(order_by="TermRow.position", lazy="selectin",
                                                  cascade="all, delete-orphan", passive_deletes=True)
    expectations: Mapped[list["ExpectationRow"]] = relationship(order_by="ExpectationRow.position", lazy="selectin",
                                                                cascade="all, delete-orphan", passive_deletes=True)


class RegimeRow(Base):
    __tablename__ = "regimes"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id", ondelete="CASCADE"), unique=True)
    code: Mapped[str] = mapped_column(String, unique=True)  # the regime id: CPTPP, UK_GDPR
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String, index=True)
    signed: Mapped[dt.date | None] = mapped_column(Date)
    in_force: Mapped[dt.date | None] = mapped_column(Date)
    until: Mapped[dt.date | None] = mapped_column(Date)
    source_url: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)

    source_file: Mapped[SourceFile] = relationship(back_populates="regime")
    parties: Mapped[list["PartyRow"]] = relationship(order_by="PartyRow.position", lazy="selectin",
                                                     cascade="all, delete-orphan", passive_deletes=True)
    jurisdictions: Mapped[list["JurisdictionRow"]] = relationship(
        order_by="JurisdictionRow.position", lazy="selectin", cascade="all, delete-orphan", passive_deletes=True)
    articles: Mapped[list["ArticleRow"]] = relationship(order_by="ArticleRow.position", lazy="selectin",
                                                        cascade="all, delete-orphan", passive_deletes=True)
    dispute_settlement: Mapped["DisputeSettlementRow | None"] = relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True)


class PartyRow(Base):
    __tablename__ = "regime_parties"
    regime_id: Mapped[int] = mapped_column(ForeignKey("regimes.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String, index=True)  # "regimes binding GB"
    joined: Mapped[dt.date | None] = mapped_column(Date)
    left: Mapped[dt.date | None] = mapped_column(Date)


class JurisdictionRow(Base):
    __tablename__ = "regime_jurisdictions"
    regime_id: Mapped[int] = mapped_column(ForeignKey("regimes.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String, index=True)


class ArticleRow(Base):
    __tablename__ = "articles"
    __table_args__ = (UniqueConstraint("regime_id", "ref"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    regime_id: Mapped[int] = _parent("regimes.id")
    position: Mapped[int] = mapped_column(Integer)
    ref: Mapped[str] = mapped_column(String)
    title: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)

    provisions: Mapped[list["ProvisionRow"]] = relationship(order_by="ProvisionRow.position", lazy="selectin",
                                                            cascade="all, delete-orphan", passive_deletes=True)
    exceptions: Mapped[list["ExceptionRow"]] = relationship(order_by="ExceptionRow.position", lazy="selectin",
                                                            cascade="all, delete-orphan", passive_deletes=True)
    definitions: Mapped[list["DefinitionRow"]] = relationship(order_by="DefinitionRow.position", lazy="selectin",
                                                              cascade="all, delete-orphan", passive_deletes=True)


class _ArticleItem:
    """Columns shared by the three things an article holds.

    ``position`` is the index within its own list (provisions, exceptions, definitions);
    ``seq`` is its place among all items of the article, which restores Article.order.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str | None] = mapped_column(Text)
    translation: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String)
    note: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)


class ProvisionRow(_ArticleItem, Base):
    """A provision and its norm (a provision holds at most one; ``modality`` is null without)."""

    __tablename__ = "provisions"
    __table_args__ = (Index("ix_provisions_regime_id_ref", "regime_id", "ref"),)
    article_id: Mapped[int] = _parent("articles.id")
    # Denormalised so lookups by topic/action/object need no join through articles.
    regime_id: Mapped[int] = mapped_column(ForeignKey("regimes.id", ondelete="CASCADE"))
    ref: Mapped[str] = mapped_column(String)
    modality: Mapped[str | None] = mapped_column(String)
    stance: Mapped[str | None] = mapped_column(String)
    action: Mapped[str | None] = mapped_column(String, index=True)
    object_word: Mapped[str] = mapped_column(String)
    in_force: Mapped[dt.date | None] = mapped_column(Date)
    until: Mapped[dt.date | None] = mapped_column(Date)
    replaced_by: Mapped[str | None] = mapped_column(String)

    regime: Mapped[RegimeRow] = relationship()
    items: Mapped[list["ProvisionItem"]] = relationship(
        order_by="(ProvisionItem.field, ProvisionItem.position)", lazy="selectin",
        cascade="all, delete-orphan", passive_deletes=True)


class ProvisionItem(Base):
    """One element of one of a provision's lists, in order.

    ``field`` is topic, bearer, object, destination, condition, unless or exclude. One
    table with an index on (field, value) serves every lookup the comparison engine makes
    (provisions by topic, by object, by bearer, by excluded scope).
    """

    __tablename__ = "provision_items"
    __table_args__ = (Index("ix_provision_items_field_value", "field", "value"),)
    provision_id: Mapped[int] = mapped_column(ForeignKey("provisions.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ExceptionRow(_ArticleItem, Base):
    __tablename__ = "exceptions"
    article_id: Mapped[int] = _parent("articles.id")
    regime_id: Mapped[int] = mapped_column(ForeignKey("regimes.id", ondelete="CASCADE"))
    ref: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String, index=True)
    in_force: Mapped[dt.date | None] = mapped_column(Date)
    until: Mapped[dt.date | None] = mapped_column(Date)
    replaced_by: Mapped[str | None] = mapped_column(String)

    regime: Mapped[RegimeRow] = relationship()
    items: Mapped[list["ExceptionItem"]] = relationship(
        order_by="(ExceptionItem.field, ExceptionItem.position)", lazy="selectin",
        cascade="all, delete-orphan", passive_deletes=True)


class ExceptionItem(Base):
    """``applies_to`` targets (a ref, or ``all``), ``test`` and ``exclude`` entries of an exception."""

    __tablename__ = "exception_items"
    __table_args__ = (Index("ix_exception_items_field_value", "field", "value"),)
    exception_id: Mapped[int] = mapped_column(ForeignKey("exceptions.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DefinitionRow(_ArticleItem, Base):
    __tablename__ = "definitions"
    article_id: Mapped[int] = _parent("articles.id")
    term: Mapped[str] = mapped_column(String, index=True)


class DisputeSettlementRow(Base):
    __tablename__ = "dispute_settlements"
    id: Mapped[int] = mapped_column(primary_key=True)
    regime_id: Mapped[int] = mapped_column(ForeignKey("regimes.id", ondelete="CASCADE"), unique=True)
    applies: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)

    excepted: Mapped[list["DisputeSettlementExcepted"]] = relationship(
        order_by="DisputeSettlementExcepted.position", lazy="selectin",
        cascade="all, delete-orphan", passive_deletes=True)
    deferrals: Mapped[list["DeferralRow"]] = relationship(order_by="DeferralRow.position", lazy="selectin",
                                                          cascade="all, delete-orphan", passive_deletes=True)


class DisputeSettlementExcepted(Base):
    """A provision that dispute settlement does not cover."""

    __tablename__ = "dispute_settlement_excepted"
    dispute_settlement_id: Mapped[int] = mapped_column(
        ForeignKey("dispute_settlements.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String)


class DeferralRow(Base):
    __tablename__ = "deferrals"
    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_settlement_id: Mapped[int] = _parent("dispute_settlements.id")
    position: Mapped[int] = mapped_column(Integer)
    until_date: Mapped[dt.date | None] = mapped_column(Date)
    until_text: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)

    items: Mapped[list["DeferralItem"]] = relationship(
        order_by="(DeferralItem.field, DeferralItem.position)", lazy="selectin",
        cascade="all, delete-orphan", passive_deletes=True)


class DeferralItem(Base):
    """The ``party`` and ``provision`` entries of a deferral."""

    __tablename__ = "deferral_items"
    deferral_id: Mapped[int] = mapped_column(ForeignKey("deferrals.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(String)


class TermRow(Base):
    """A vocabulary term, held by the file that declares it (a vocabulary file or a regime file)."""

    __tablename__ = "terms"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_file_id: Mapped[int] = _parent("source_files.id")
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String)
    name: Mapped[str] = mapped_column(String, index=True)
    label: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)

    links: Mapped[list["TermLink"]] = relationship(
        order_by="(TermLink.field, TermLink.position)", lazy="selectin",
        cascade="all, delete-orphan", passive_deletes=True)


class TermLink(Base):
    """``broader``, ``alias`` and ``member`` entries of a term; indexed to resolve aliases and narrower terms."""

    __tablename__ = "term_links"
    __table_args__ = (Index("ix_term_links_field_value", "field", "value"),)
    term_id: Mapped[int] = mapped_column(ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(String)


class ExpectationRow(Base):
    __tablename__ = "expectations"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_file_id: Mapped[int] = _parent("source_files.id")
    position: Mapped[int] = mapped_column(Integer)
    conflict: Mapped[bool] = mapped_column(Boolean)
    kind: Mapped[str | None] = mapped_column(String)
    a_regime: Mapped[str] = mapped_column(String)
    a_ref: Mapped[str] = mapped_column(String)
    b_regime: Mapped[str] = mapped_column(String)
    b_ref: Mapped[str] = mapped_column(String)
    bound: Mapped[str | None] = mapped_column(String)
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    line: Mapped[int | None] = mapped_column(Integer)

    assumptions: Mapped[list["ExpectationAssumption"]] = relationship(
        order_by="ExpectationAssumption.position", lazy="selectin", cascade="all, delete-orphan", passive_deletes=True)


class ExpectationAssumption(Base):
    """``assume REGIME = COUNTRY`` clauses of an expectation."""

    __tablename__ = "expectation_assumptions"
    expectation_id: Mapped[int] = mapped_column(ForeignKey("expectations.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    regime: Mapped[str] = mapped_column(String)
    country: Mapped[str] = mapped_column(String)


class LoadHistory(Base):
    """One row per file per load: what was loaded, from where, when, with which hash, by whom.

    No foreign key: history outlives the rows it describes (a reload deletes them).
    """

    __tablename__ = "load_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch: Mapped[str] = mapped_column(String(36), index=True)  # one `dtrc load` run
    path: Mapped[str] = mapped_column(String, index=True)
    regime: Mapped[str | None] = mapped_column(String)
    sha256: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(20))  # added | replaced | unchanged
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    loaded_by: Mapped[str | None] = mapped_column(String)


# ============================================================================ engines


def resolve_url(db: str | None = None) -> str:
    """``--db`` > ``$DATABASE_URL`` > the default SQLite file, as a SQLAlchemy URL.

    ``postgres://`` and ``postgresql://`` are read as ``postgresql+psycopg://`` (the driver
    this project ships), so a URL copied from a hosting dashboard works as it is.
    """
    url = db or os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{(Path.cwd() / DEFAULT_SQLITE_PATH).as_posix()}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def display_url(engine: Engine) -> str:
    """The URL without its password, for messages."""
    return engine.url.render_as_string(hide_password=True)


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def get_engine(db: Engine | str | None = None) -> Engine:
    """One engine per URL per process (the UI caches it too); ``db`` may already be an engine."""
    if isinstance(db, Engine):
        return db
    url = resolve_url(db)
    with _engines_lock:
        if url not in _engines:
            _engines[url] = _create_engine(url)
        return _engines[url]


def dispose_engine(db: Engine | str | None = None) -> None:
    """Close the pooled connections of a cached engine (tests, and a UI switching databases)."""
    url = str(db.url) if isinstance(db, Engine) else resolve_url(db)
    with _engines_lock:
        engine = _engines.pop(url, None)
    _upgraded.discard(url)
    if engine is not None:
        engine.dispose()


def _create_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
        engine = create_engine(parsed, pool_pre_ping=parsed.get_backend_name() != "sqlite")
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"cannot use database URL {url!r}: {exc}\n"
                         "  hint: e.g. sqlite:///var/dtrc.sqlite or postgresql+psycopg://user@host/dbname") from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    """WAL (readers never wait for a loader), a long busy timeout, enforced foreign keys.

    pysqlite's own transaction handling is switched off so that a write transaction can
    start with ``BEGIN IMMEDIATE``: it takes the write lock up front (waiting for it under
    busy_timeout) instead of upgrading a read lock later, which fails at once with
    "database is locked" when another process wrote in between.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a crash loses at most the last commit
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get("dtrc_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _sqlite_file(engine: Engine) -> Path | None:
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _write_connection(engine: Engine) -> Connection:
    """A connection whose transactions take the write lock up front (and, on PostgreSQL,
    the dtrc advisory lock): loads and migrations queue one behind the other."""
    return engine.connect().execution_options(dtrc_write=True)


def _lock_for_write(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_ADVISORY_LOCK_KEY})")


@contextlib.contextmanager
def _wrap_db_errors(engine: Engine) -> Iterator[None]:
    """Turn driver errors into one plain StoreError (unreachable server, permissions, ...)."""
    try:
        yield
    except (DBAPIError, SQLAlchemyError) as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreError(f"database {display_url(engine)}: {detail}") from exc


# ============================================================================ migrations

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _alembic_config(connection: Connection | None = None):
    """Alembic configured in code (no alembic.ini), so migrations run from an installed wheel."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(db: Engine | str | None = None) -> str | None:
    """The revision the database is at (None: no dtrc schema yet)."""
    from alembic.runtime.migration import MigrationContext

    engine = get_engine(db)
    sqlite_file = _sqlite_file(engine)
    if sqlite_file is not None and not sqlite_file.exists():
        return None
    with _wrap_db_errors(engine), engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


_upgraded: set[str] = set()


def upgrade(db: Engine | str | None = None) -> tuple[str | None, str]:
    """Bring the schema to the newest revision; returns (revision before, revision after).

    Runs in one write transaction (SQLite and PostgreSQL both have transactional DDL)
    under the write lock, so two processes starting on a fresh database do not both
    create the tables: the second waits, then finds the schema already at head.
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    engine = get_engine(db)
    sqlite_file = _sqlite_file(engine)
    if sqlite_file is not None:
        sqlite_file.parent.mkdir(parents=True, exist_ok=True)
    with _wrap_db_errors(engine), _write_connection(engine) as conn:
        with conn.begin():
            _lock_for_write(conn)
            before = MigrationContext.configure(conn).get_current_revision()
            _refuse_unknown_revision(engine, before)
            command.upgrade(_alembic_config(conn), "head")
        after = MigrationContext.configure(conn).get_current_revision()
    _upgraded.add(str(engine.url))
    return before, after


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {r.revision for r in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


def _refuse_unknown_revision(engine: Engine, revision: str | None) -> None:
    # A teammate's newer dtrc migrated the shared database: say so instead of failing inside Alembic.
    if revision is not None and revision not in _known_revisions():
        raise StoreError(f"the database {display_url(engine)} is at schema revision {revision}, which this "
                         "version of dtrc does not know (a newer dtrc migrated it)\n"
                         "  hint: upgrade dtrc to the version your team uses")


def ensure_schema(engine: Engine) -> None:
    """Upgrade on first use (once per process per database): what the loader calls."""
    if str(engine.url) in _upgraded:
        return
    if current_revision(engine) != head_revision():
        upgrade(engine)
    _upgraded.add(str(engine.url))


def _require_schema(engine: Engine) -> None:
    """Readers never create a database: they say what to run instead."""
    revision = current_revision(engine)
    if revision is None:
        raise StoreError(f"no rules loaded in {display_url(engine)} yet\n"
                         "  hint: load them first with `dtrc load rules/`")
    _refuse_unknown_revision(engine, revision)
    if revision != head_revision():
        raise StoreError(f"the database {display_url(engine)} has an older schema ({revision})\n"
                         "  hint: run `dtrc db upgrade` (or `dtrc load`, which upgrades first)")


# ============================================================================ write side


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_key(path: str | Path) -> str:
    """The key a file is stored under: its path from the folder above its corpus root.

    ``rules/cptpp.dtr`` and ``rules/vocabulary/core.dtr`` are the same keys whether
    ``dtrc load`` runs in the checkout, in ``rules/`` or on another machine, so a reload
    finds the row to replace. A file outside any corpus is keyed by its path as given.
    """
    p = Path(path)
    root = corpus_root(p)
    if root is not None:
        try:
            return (Path(root.resolve().name) / p.resolve().relative_to(root.resolve())).as_posix()
        except ValueError:
            pass
    return p.as_posix()


LoadAction = Literal["added", "replaced", "unchanged"]


@dataclass(frozen=True)
class LoadOutcome:
    path: str  # the stored key
    regime: str | None
    action: LoadAction
    sha256: str
    replaced_path: str | None = None  # the regime came from another file before


def _default_order(rf: RuleFile) -> list[tuple[str, int]]:
    # The formatter's own fallback, for models built in code rather than parsed.
    return (([("regime", 0)] if rf.regime else [])
            + ([("dispute_settlement", 0)] if rf.dispute_settlement else [])
            + [("article", i) for i in range(len(rf.articles))]
            + ([("vocabulary", len(rf.vocabulary))] if rf.vocabulary else [])
            + [("expectation", i) for i in range(len(rf.expectations))])


def _line(node) -> int | None:
    return node.span.line if node.span is not None else None


def _items(cls, fields: dict[str, list[str]]) -> list:
    return [cls(field=name, position=i, value=v) for name, values in fields.items() for i, v in enumerate(values)]


def _common_columns(node) -> dict:
    return dict(quote=node.quote, translation=node.translation, status=node.status, note=node.note, line=_line(node))


def _file_to_row(rf: RuleFile, key: str, sha: str, now: dt.datetime, user: str | None) -> SourceFile:
    row = SourceFile(path=key, sha256=sha, layout=[list(x) for x in (rf.order or _default_order(rf))],
                     loaded_at=now, loaded_by=user)
    row.terms = [
        TermRow(position=i, kind=t.kind, name=t.id, label=t.label, note=t.note, line=_line(t),
                links=_items(TermLink, {"broader": t.broader, "alias": t.aliases, "member": t.members}))
        for i, t in enumerate(rf.vocabulary)]
    row.expectations = [
        ExpectationRow(position=i, conflict=e.conflict, kind=e.kind, a_regime=e.a_regime, a_ref=e.a_ref,
                       b_regime=e.b_regime, b_ref=e.b_ref, bound=e.bound, as_of=e.as_of, line=_line(e),
                       assumptions=[ExpectationAssumption(position=j, regime=r, country=c)
                                    for j, (r, c) in enumerate(e.assume)])
        for i, e in enumerate(rf.expectations)]
    if rf.regime is None:
        return row
    r = rf.regime
    regime = RegimeRow(code=r.id, title=r.title, kind=r.kind, signed=r.signed, in_force=r.in_force, until=r.until,
                       source_url=r.source, note=r.note, line=_line(r))
    regime.parties = [PartyRow(position=i, country=p.country, joined=p.joined, left=p.left)
                      for i, p in enumerate(r.parties)]
    regime.jurisdictions = [JurisdictionRow(position=i, code=c) for i, c in enumerate(r.jurisdiction)]
    for ai, a in enumerate(rf.articles):
        article = ArticleRow(position=ai, ref=a.ref, title=a.title, note=a.note, line=_line(a))
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
            article.provisions.append(ProvisionRow(
                position=i, seq=seq[("provision", i)], regime=regime, ref=p.ref,
                modality=n.modality if n else None, stance=n.stance if n else None, action=n.action if n else None,
                object_word=n.object_word if n else "of", in_force=p.in_force, until=p.until,
                replaced_by=p.replaced_by, items=_items(ProvisionItem, items), **_common_columns(p)))
        for i, e in enumerate(a.exceptions):
            article.exceptions.append(ExceptionRow(
                position=i, seq=seq[("exception", i)], regime=regime, ref=e.ref, kind=e.kind,
                in_force=e.in_force, until=e.until, replaced_by=e.replaced_by,
                items=_items(ExceptionItem, {"applies_to": e.applies_to, "test": e.tests, "exclude": e.excludes}),
                **_common_columns(e)))
        for i, d in enumerate(a.definitions):
            article.definitions.append(DefinitionRow(position=i, seq=seq[("definition", i)], term=d.term,
                                                     **_common_columns(d)))
        regime.articles.append(article)
    if rf.dispute_settlement is not None:
        ds = rf.dispute_settlement
        regime.dispute_settlement = DisputeSettlementRow(
            applies=ds.applies, note=ds.note, line=_line(ds),
            excepted=[DisputeSettlementExcepted(position=i, ref=ref) for i, ref in enumerate(ds.excepted)],
            deferrals=[DeferralRow(position=i, until_date=d.until_date, until_text=d.until_text, line=_line(d),
                                   items=_items(DeferralItem, {"party": d.parties, "provision": d.provisions}))
                       for i, d in enumerate(ds.deferrals)])
    row.regime = regime
    return row


def store_files(
    files: Iterable[tuple[RuleFile, str]],
    db: Engine | str | None = None,
    *,
    force: bool = False,
    loaded_by: str | None = None,
    on_file: Callable[[LoadOutcome], None] | None = None,
) -> list[LoadOutcome]:
    """Write checked files (model, source text) in ONE transaction; all or nothing.

    A file whose key and content hash are already stored is skipped ("unchanged") unless
    ``force``. A changed file replaces its stored rows (deleted by cascade, then written
    again) in the same transaction, so readers see the old or the new version, never a
    mix. A regime id stored from another path is replaced too (the file was moved).
    The caller must have validated the files: this function checks nothing.
    """
    engine = get_engine(db)
    files = list(files)
    ensure_schema(engine)
    user = loaded_by if loaded_by is not None else _current_user()
    now = dt.datetime.now(dt.timezone.utc)
    batch = str(uuid.uuid4())
    outcomes: list[LoadOutcome] = []
    with _wrap_db_errors(engine), _write_connection(engine) as conn:
        with conn.begin():
            _lock_for_write(conn)
            session = Session(bind=conn, autoflush=False)
            keys = [(rf, text, source_key(rf.path), sha256_text(text)) for rf, text in files]
            stored = dict(session.execute(select(SourceFile.path, SourceFile.sha256)
                                          .where(SourceFile.path.in_([k for _, _, k, _ in keys]))).all())
            codes = [rf.regime.id for rf, *_ in keys if rf.regime]
            regime_paths = dict(session.execute(
                select(RegimeRow.code, SourceFile.path).join(SourceFile, RegimeRow.source_file_id == SourceFile.id)
                .where(RegimeRow.code.in_(codes))).all())
            for rf, text, key, sha in keys:
                code = rf.regime.id if rf.regime else None
                moved_from = regime_paths.get(code) if code and regime_paths.get(code) != key else None
                if stored.get(key) == sha and not force and moved_from is None:
                    outcome = LoadOutcome(key, code, "unchanged", sha)
                else:
                    stale = [p for p in (key, moved_from) if p is not None]
                    # Core DELETE: the database cascades to every child row (no ORM round trips).
                    session.execute(delete(SourceFile).where(SourceFile.path.in_(stale)))
                    session.add(_file_to_row(rf, key, sha, now, user))
                    session.flush()
                    action: LoadAction = "replaced" if key in stored or moved_from else "added"
                    outcome = LoadOutcome(key, code, action, sha, moved_from)
                session.add(LoadHistory(batch=batch, path=key, regime=code, sha256=sha, action=outcome.action,
                                        loaded_at=now, loaded_by=user))
                outcomes.append(outcome)
                if on_file:
                    on_file(outcome)
            session.flush()
            session.close()
    return outcomes


def _current_user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers; history just says unknown
        return None


def load_paths(paths: Iterable[str | Path], db: Engine | str | None = None, *, force: bool = False) -> list[LoadOutcome]:
    """Check, then store: the library entry point behind `dtrc load` (raises DtrError on any error)."""
    from .errors import DtrError

    result = check_paths(with_vocabulary(paths))
    if result.errors:
        raise DtrError(result.errors)
    return store_files(((rf, result.texts[rf.path]) for rf in result.corpus.files), db, force=force)


def with_vocabulary(paths: Iterable[str | Path]) -> list[Path]:
    """The paths named plus the vocabulary folder of each one's corpus.

    A stored regime is only meaningful with the vocabulary it was checked against, so a
    load always stores that vocabulary too (unchanged files cost one hash comparison).
    """
    named = collect_files(paths)
    extra: list[Path] = []
    for root in sorted({r for r in (corpus_root(p) for p in named) if r is not None}):
        extra.append(root / "vocabulary")
    return collect_files([*named, *extra])


# ============================================================================ read side


def _span(key: str, line: int | None) -> Span | None:
    return Span(path=key, line=line, column=1) if line else None


def _by_field(items) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for item in items:
        out[item.field].append(item.value)
    return out


def _common_fields(row) -> dict:
    return dict(quote=row.quote, translation=row.translation, status=row.status, note=row.note)


def _row_to_term(t: TermRow, key: str) -> Term:
    links = _by_field(t.links)
    return Term(kind=t.kind, id=t.name, label=t.label, note=t.note, span=_span(key, t.line),
                broader=links["broader"], aliases=links["alias"], members=links["member"])


def _row_to_deferral(d: DeferralRow, key: str) -> Deferral:
    items = _by_field(d.items)
    return Deferral(parties=items["party"], provisions=items["provision"], until_date=d.until_date,
                    until_text=d.until_text, span=_span(key, d.line))


def _row_to_file(row: SourceFile) -> RuleFile:
    key = row.path
    rf = RuleFile(path=key, span=Span(path=key, line=1, column=1), order=[(k, n) for k, n in row.layout])
    rf.vocabulary = [_row_to_term(t, key) for t in row.terms]
    rf.expectations = [
        Expectation(conflict=e.conflict, kind=e.kind, a_regime=e.a_regime, a_ref=e.a_ref, b_regime=e.b_regime,
                    b_ref=e.b_ref, bound=e.bound, as_of=e.as_of, span=_span(key, e.line),
                    assume=[(a.regime, a.country) for a in e.assumptions])
        for e in row.expectations]
    r = row.regime
    if r is None:
        return rf
    rf.regime = Regime(id=r.code, title=r.title, kind=r.kind, signed=r.signed, in_force=r.in_force, until=r.until,
                       source=r.source_url, note=r.note, span=_span(key, r.line),
                       parties=[Party(country=p.country, joined=p.joined, left=p.left) for p in r.parties],
                       jurisdiction=[j.code for j in r.jurisdictions])
    for a in r.articles:
        article = Article(ref=a.ref, title=a.title, note=a.note, span=_span(key, a.line))
        for p in a.provisions:
            items = _by_field(p.items)
            norm = None
            if p.modality is not None:
                norm = Norm(bearers=items["bearer"], modality=p.modality, stance=p.stance, action=p.action,
                            objects=items["object"], destinations=items["destination"],
                            conditions=items["condition"], unless=items["unless"], object_word=p.object_word,
                            span=_span(key, p.line))
            article.provisions.append(Provision(
                ref=p.ref, topics=items["topic"], norm=norm, excludes=items["exclude"], in_force=p.in_force,
                until=p.until, replaced_by=p.replaced_by, span=_span(key, p.line), **_common_fields(p)))
        for e in a.exceptions:
            items = _by_field(e.items)
            article.exceptions.append(Exception_(
                ref=e.ref, kind=e.kind, applies_to=items["applies_to"], tests=items["test"], excludes=items["exclude"],
                in_force=e.in_force, until=e.until, replaced_by=e.replaced_by, span=_span(key, e.line),
                **_common_fields(e)))
        for d in a.definitions:
            article.definitions.append(Definition(term=d.term, span=_span(key, d.line), **_common_fields(d)))
        seqs = ([(p.seq, ("provision", p.position)) for p in a.provisions]
                + [(e.seq, ("exception", e.position)) for e in a.exceptions]
                + [(d.seq, ("definition", d.position)) for d in a.definitions])
        article.order = [item for _, item in sorted(seqs)]
        rf.articles.append(article)
    ds = r.dispute_settlement
    if ds is not None:
        rf.dispute_settlement = DisputeSettlement(
            applies=ds.applies, note=ds.note, span=_span(key, ds.line), excepted=[x.ref for x in ds.excepted],
            deferrals=[_row_to_deferral(d, key) for d in ds.deferrals])
    return rf


def _read_session(db: Engine | str | None) -> tuple[Engine, Session]:
    engine = get_engine(db)
    _require_schema(engine)
    return engine, Session(engine)


def load_corpus_from_db(db: Engine | str | None = None) -> Corpus:
    """Every stored file as models, in path order: the same Corpus ``validate.load_corpus`` gives."""
    engine, session = _read_session(db)
    with _wrap_db_errors(engine), session:
        rows = session.scalars(select(SourceFile).order_by(SourceFile.path)).all()
        return Corpus(files=[_row_to_file(r) for r in rows])


def get_file(path: str, db: Engine | str | None = None) -> RuleFile:
    """One stored file by its key (``rules/vocabulary/core.dtr``)."""
    engine, session = _read_session(db)
    with _wrap_db_errors(engine), session:
        row = session.scalars(select(SourceFile).where(SourceFile.path == path)).one_or_none()
        if row is None:
            known = session.scalars(select(SourceFile.path).order_by(SourceFile.path)).all()
            raise StoreError(f"no file {path!r} is loaded{suggest(path, known)}")
        return _row_to_file(row)


def get_regime(regime_id: str, db: Engine | str | None = None) -> RuleFile:
    """The file holding one regime, as models (what `dtrc export` and `dtrc show` print)."""
    engine, session = _read_session(db)
    with _wrap_db_errors(engine), session:
        row = session.scalars(select(SourceFile).join(RegimeRow, RegimeRow.source_file_id == SourceFile.id)
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
    engine, session = _read_session(db)
    with _wrap_db_errors(engine), session:
        counts = dict(session.execute(select(ProvisionRow.regime_id, func.count()).group_by(ProvisionRow.regime_id)).all())
        rows = session.execute(select(RegimeRow, SourceFile).join(SourceFile, RegimeRow.source_file_id == SourceFile.id)
                               .order_by(RegimeRow.code)).all()
        return [RegimeSummary(id=r.code, title=r.title, kind=r.kind, parties=[p.country for p in r.parties],
                              jurisdiction=[j.code for j in r.jurisdictions], provisions=counts.get(r.id, 0),
                              path=f.path, sha256=f.sha256, loaded_at=_utc(f.loaded_at), loaded_by=f.loaded_by)
                for r, f in rows]


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
        rows = session.scalars(select(SourceFile).order_by(SourceFile.path)).all()
        return [FileSummary(path=f.path, regime=f.regime.code if f.regime else None, terms=len(f.terms),
                            expectations=len(f.expectations), sha256=f.sha256, loaded_at=_utc(f.loaded_at))
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

    @property
    def citation(self) -> str:
        return f"{self.regime} {self.ref}"


def _hits(session: Session, provision_ids_query) -> list[ProvisionHit]:
    rows = session.execute(
        select(ProvisionRow, ArticleRow, RegimeRow.code, SourceFile.path)
        .join(ArticleRow, ProvisionRow.article_id == ArticleRow.id)
        .join(RegimeRow, ProvisionRow.regime_id == RegimeRow.id)
        .join(SourceFile, RegimeRow.source_file_id == SourceFile.id)
        .where(ProvisionRow.id.in_(provision_ids_query))
        .order_by(RegimeRow.code, ArticleRow.position, ProvisionRow.position)).all()
    out = []
    for p, a, code, path in rows:
        items = _by_field(p.items)
        out.append(ProvisionHit(regime=code, article=a.ref, article_title=a.title, ref=p.ref, topics=items["topic"],
                                modality=p.modality, action=p.action, objects=items["object"], quote=p.quote,
                                path=path, line=p.line))
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
    engine, session = _read_session(db)
    pattern = _like(text)
    query = select(ProvisionRow.id).where(or_(
        ProvisionRow.ref.ilike(pattern, escape="\\"),
        ProvisionRow.quote.ilike(pattern, escape="\\"),
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
