"""Storage write side: checked rule files -> rows, one transaction per load, load history.

Part of the storage stage (parse -> validate -> **store** -> compare -> report/ui). Takes
rule files that :mod:`comparator.validate` has already checked. Everything a rule file
holds is stored, in the author's order, except its ``#`` comments (docs/storage.md says
why).
"""
from __future__ import annotations

import datetime as dt
import functools
import getpass
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Literal

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection, Engine

from ..model import RuleFile
from ..validate import check_paths, collect_files, corpus_root
from .database import _lock_for_write, _wrap_db_errors, _write_connection, ensure_schema, get_engine
from .rows import Rows, add_file
from .schema import LoadHistory, RegimeRow, SourceFile


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_key(path: str | Path) -> str:
    """The key a file is stored under: its path from the folder above its corpus root.

    ``rules/cptpp.dtr`` and ``rules/vocabulary/core.dtr`` are the same keys whether
    ``dtrc load`` runs in the checkout, in ``rules/`` or on another machine, so a reload
    finds the row to replace. A file outside any corpus is keyed by its path as given.
    """
    p = Path(path)
    root = _resolved_root(p.parent)
    if root is not None:
        try:
            return (Path(root.name) / _resolved(p).relative_to(root)).as_posix()
        except ValueError:
            pass
    return p.as_posix()


@functools.lru_cache(maxsize=1024)
def _resolved_root(folder: Path) -> Path | None:
    # Once per folder, not per file: a reload of 100k provisions spent most of its time here.
    root = corpus_root(folder)
    return root.resolve() if root is not None else None


def _resolved(p: Path) -> Path:
    """``p.resolve()``, resolving each folder once: a file that is not a link resolves to
    its folder's resolution and its own name (a resolve walks every component)."""
    if p.name in ("", ".", "..") or p.is_symlink():
        return p.resolve()
    return _resolved_folder(p.parent) / p.name


@functools.lru_cache(maxsize=1024)
def _resolved_folder(folder: Path) -> Path:
    return folder.resolve()


def clear_folder_caches() -> None:
    """Folders may have changed since the last load (a process may load twice)."""
    _resolved_root.cache_clear()
    _resolved_folder.cache_clear()


LoadAction = Literal["added", "replaced", "unchanged"]


@dataclass(frozen=True)
class LoadOutcome:
    path: str  # the stored key
    regime: str | None
    action: LoadAction
    sha256: str
    replaced_path: str | None = None  # the regime came from another file before


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
    clear_folder_caches()
    ensure_schema(engine)
    with _wrap_db_errors(engine), _write_connection(engine) as conn:
        with conn.begin():
            _lock_for_write(conn)
            entries = [Entry(source_key(rf.path), sha256_text(text), rf.regime.id if rf.regime else None, rf)
                       for rf, text in files]
            return write_entries(conn, entries, force=force, loaded_by=loaded_by, on_file=on_file)


@dataclass(frozen=True)
class Entry:
    """One file of a load: its key, hash and regime id, and its model unless it is known unchanged."""

    key: str
    sha256: str
    regime: str | None
    file: RuleFile | None  # None: stored with this very hash (a reload checked so under the write lock)


def write_entries(conn: Connection, entries: list[Entry], *, force: bool = False, loaded_by: str | None = None,
                  on_file: Callable[[LoadOutcome], None] | None = None) -> list[LoadOutcome]:
    """The body of :func:`store_files`, inside a write transaction the caller holds the lock of."""
    user = loaded_by if loaded_by is not None else _current_user()
    now = dt.datetime.now(dt.timezone.utc)
    batch = str(uuid.uuid4())
    outcomes: list[LoadOutcome] = []
    stored = dict(conn.execute(select(SourceFile.path, SourceFile.sha256)
                               .where(SourceFile.path.in_([e.key for e in entries]))).all())
    codes = [e.regime for e in entries if e.regime]
    regime_paths = dict(conn.execute(
        select(RegimeRow.code, SourceFile.path).join(SourceFile, RegimeRow.source_file_id == SourceFile.id)
        .where(RegimeRow.code.in_(codes))).all())
    stale: list[str] = []
    changed: list[Entry] = []
    history: list[dict] = []
    for e in entries:
        key, sha, code = e.key, e.sha256, e.regime
        moved_from = regime_paths.get(code) if code and regime_paths.get(code) != key else None
        if stored.get(key) == sha and not force and moved_from is None:
            outcome = LoadOutcome(key, code, "unchanged", sha)
        else:
            if e.file is None:
                raise AssertionError(f"{key} was taken as unchanged but is not stored with that content")
            stale += [p for p in (key, moved_from) if p is not None and (p in stored or p == moved_from)]
            changed.append(e)
            action: LoadAction = "replaced" if key in stored or moved_from else "added"
            outcome = LoadOutcome(key, code, action, sha, moved_from)
        history.append(dict(batch=batch, path=key, regime=code, sha256=sha, action=outcome.action,
                            loaded_at=now, loaded_by=user))
        outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    # Core DELETE: the database cascades to every child row (no ORM round trips).
    for chunk in range(0, len(stale), 500):
        conn.execute(delete(SourceFile).where(SourceFile.path.in_(stale[chunk:chunk + 500])))
    rows = Rows(conn)
    for i, e in enumerate(changed, 1):
        add_file(rows, e.file, e.key, e.sha256, now, user)
        # Written every 250 files (a file's rows, parents first, go out together):
        # all the row dicts of a 100k-provision load at once were about 170 MiB.
        if i % 250 == 0:
            rows.write()
    rows.write()
    conn.execute(insert(LoadHistory), history)
    return outcomes


def _current_user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers; history just says unknown
        return None


def load_paths(paths: Iterable[str | Path], db: Engine | str | None = None, *, force: bool = False) -> list[LoadOutcome]:
    """Check, then store: the library entry point behind `dtrc load` (raises DtrError on any error)."""
    from ..errors import DtrError

    result = check_paths(with_vocabulary(paths))
    if result.errors:
        raise DtrError(result.errors)
    return store_files(((rf, result.texts[rf.path]) for rf in result.corpus.files), db, force=force)


def corpus_roots(files: list[Path]) -> set[Path | None]:
    """``corpus_root`` of every file, asked once per folder (a 100k corpus has 5,000 files in
    200 folders); a symbolic link is asked about itself, since its target's folders count too."""
    return set(map(corpus_root, {p.parent if not p.is_symlink() else p for p in files}))


def with_vocabulary(paths: Iterable[str | Path]) -> list[Path]:
    """The paths named plus the vocabulary folder of each one's corpus.

    A stored regime is only meaningful with the vocabulary it was checked against, so a
    load always stores that vocabulary too (unchanged files cost one hash comparison).
    """
    named = collect_files(paths)
    extra: list[Path] = []
    for root in sorted({r for r in corpus_roots(named) if r is not None}):
        extra.append(root / "vocabulary")
    # `dtrc load corpus/` names the vocabulary already: then the answer is what was named,
    # without resolving every path again to find the duplicates.
    listed = set(named)
    if all(v in listed for folder in extra for v in collect_files([folder])):
        return named
    return collect_files([*named, *extra])
