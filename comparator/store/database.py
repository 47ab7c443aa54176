"""Storage plumbing: database URLs, engines, SQLite pragmas, write locks and Alembic.

Part of the storage stage (parse -> validate -> **store** -> compare -> report/ui).
Database choice: ``--db URL`` > ``$DATABASE_URL`` > ``./var/dtrc.sqlite`` (see
docs/storage.md). The schema is managed by Alembic only (``upgrade``); readers refuse a
database whose schema is missing or older than the code.
"""
from __future__ import annotations

import contextlib
import functools
import os
import threading
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from ..errors import UserError


DEFAULT_SQLITE_PATH = Path("var") / "dtrc.sqlite"
SQLITE_BUSY_TIMEOUT_MS = 60_000
BUSY_TIMEOUT_ENV = "DTRC_BUSY_TIMEOUT_MS"  # how long a SQLite writer waits for another (docs/storage.md)


def busy_timeout_ms() -> int:
    value = os.environ.get(BUSY_TIMEOUT_ENV, "")
    return int(value) if value.isdigit() else SQLITE_BUSY_TIMEOUT_MS
# Any constant works; it only has to be the same in every dtrc process using one PostgreSQL database.
PG_ADVISORY_LOCK_KEY = 0x64747263  # "dtrc"


class StoreError(UserError):
    """A storage problem the user can act on (no database yet, unreachable server, unknown regime)."""


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
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
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
        hint = None
        if "database is locked" in detail or "database is busy" in detail:
            hint = (f"another process held the write lock for over {busy_timeout_ms() / 1000:g} s; try again, "
                    f"or wait longer with {BUSY_TIMEOUT_ENV}")
        elif "readonly database" in detail or "read-only" in detail:
            hint = "the database file (or its folder) is read-only for this user"
        elif "disk is full" in detail:
            hint = "free some disk space; nothing was written (the load is one transaction)"
        raise StoreError(f"database {display_url(engine)}: {detail}", hint) from exc


# ============================================================================ migrations

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def _alembic_config(connection: Connection | None = None):
    """Alembic configured in code (no alembic.ini), so migrations run from an installed wheel."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


# Cached: the migrations ship with the package, and reading their scripts took 30 ms, on every
# read (each reader checks the database's revision against the head).
@functools.cache
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


@functools.cache
def _known_revisions() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    return frozenset(r.revision for r in ScriptDirectory.from_config(_alembic_config()).walk_revisions())


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
