"""Storage: the checked corpus in a SQL database (SQLite by default, PostgreSQL for teams).

Third stage of the pipeline: parse -> validate -> **store** -> compare -> report/ui.
This package (with its own Alembic migrations in ``comparator/migrations/``) is the only
place that imports SQLAlchemy. It takes rule files that :mod:`comparator.validate` has
already checked, writes them in one transaction, and gives back the same pydantic models
(:mod:`comparator.model`) on the read side, so later stages never see a row.

- :mod:`.schema`: the ORM tables (``Base.metadata`` is what Alembic migrates);
- :mod:`.database`: URLs, engines, SQLite pragmas, write locks, migrations;
- :mod:`.write`: rule files -> rows (``load_paths``, ``store_files``) and load history;
- :mod:`.reload`: ``reload_paths``, the load that parses only what changed (``dtrc load``);
- :mod:`.read`: rows -> models, listing, search and history.

Callers use the names re-exported here (``from comparator import store``; ``store.get_regime``).
"""
from __future__ import annotations

from .database import (
    DEFAULT_SQLITE_PATH,
    MIGRATIONS_DIR,
    PG_ADVISORY_LOCK_KEY,
    SQLITE_BUSY_TIMEOUT_MS,
    StoreError,
    _alembic_config,
    current_revision,
    display_url,
    dispose_engine,
    ensure_schema,
    get_engine,
    head_revision,
    resolve_url,
    upgrade,
)
from .read import (
    FileSummary,
    HistoryEntry,
    ProvisionHit,
    RegimeSummary,
    find_provisions,
    get_file,
    get_regime,
    list_files,
    list_regimes,
    load_corpus_from_db,
    load_history,
    load_outline_from_db,
    search_provisions,
    suggest,
)
from .reload import Reload, reload_paths
from .schema import (
    NAMING_CONVENTION,
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
    LoadHistory,
    PartyRow,
    ProvisionItem,
    ProvisionRow,
    RegimeRow,
    SourceFile,
    TermLink,
    TermRow,
)
from .write import LoadAction, LoadOutcome, load_paths, sha256_text, source_key, store_files, with_vocabulary

__all__ = [
    "DEFAULT_SQLITE_PATH", "MIGRATIONS_DIR", "PG_ADVISORY_LOCK_KEY", "SQLITE_BUSY_TIMEOUT_MS", "StoreError",
    "current_revision", "display_url", "dispose_engine", "ensure_schema", "get_engine", "head_revision",
    "resolve_url", "upgrade",
    "FileSummary", "HistoryEntry", "ProvisionHit", "RegimeSummary", "find_provisions", "get_file", "get_regime",
    "list_files", "list_regimes", "load_corpus_from_db", "load_history", "load_outline_from_db",
    "search_provisions", "suggest",
    "NAMING_CONVENTION", "ArticleRow", "Base", "DeferralItem", "DeferralRow", "DefinitionRow",
    "DisputeSettlementExcepted", "DisputeSettlementRow", "ExceptionItem", "ExceptionRow", "ExpectationAssumption",
    "ExpectationRow", "JurisdictionRow", "LoadHistory", "PartyRow", "ProvisionItem", "ProvisionRow", "RegimeRow",
    "SourceFile", "TermLink", "TermRow",
    "Reload", "reload_paths",
    "LoadAction", "LoadOutcome", "load_paths", "sha256_text", "source_key", "store_files", "with_vocabulary",
]
