"""Following a `dtrc load` from outside, and full dumps to judge what it left: the helpers of
tests/store/test_faults.py (issue 14), with no hook in dtrc.

A loader is forked from the test process and runs the command line's own ``main``. Where it
is, is read from what the database itself exposes: on SQLite the WAL write lock it holds
from ``BEGIN IMMEDIATE`` to commit (``/proc/locks``: byte 120 of the ``-shm`` file,
https://www.sqlite.org/walformat.html); on PostgreSQL ``pg_stat_activity``, where its
transaction has a ``backend_xid`` from its first write (a DELETE) to commit.
"""
from __future__ import annotations

import functools
import hashlib
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, inspect
from sqlalchemy.pool import NullPool

from comparator.cli import main as cli_main


def snapshot(url: str) -> dict[str, tuple[tuple[str, ...], list[tuple]]]:
    """A full dump: every row of every table (ids, times and history included), in a stable
    order, with the column names."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            out = {}
            for table in sorted(inspect(conn).get_table_names()):
                result = conn.exec_driver_sql(f'SELECT * FROM "{table}"')
                out[table] = (tuple(result.keys()), sorted(map(tuple, result), key=repr))
            return out
    finally:
        engine.dispose()


@functools.lru_cache(maxsize=8)
def _reflected(url: str) -> MetaData:
    engine = create_engine(url, poolclass=NullPool)
    try:
        meta = MetaData()
        meta.reflect(engine)
        return meta
    finally:
        engine.dispose()


def content(snap: dict, url: str) -> dict[str, list[str]]:
    """The full dump less what a complete reload changes by design: surrogate ids (a foreign
    key becomes the content of the row it points at, so the structure still counts), load
    times, and the load history (checked on its own: :func:`new_history`)."""
    digests: dict[tuple[str, object], str] = {}
    out = {}
    for table in _reflected(url).sorted_tables:
        if table.name == "load_history":
            continue
        cols, rows = snap[table.name]
        parents = {fk.parent.name: fk.column.table.name for fk in table.foreign_keys if fk.column.name == "id"}
        own_id = "id" if [c.name for c in table.primary_key.columns] == ["id"] else None
        hashes = []
        for row in rows:
            values = dict(zip(cols, row))
            kept = [(c, digests[parents[c], v] if c in parents and v is not None else v)
                    for c, v in values.items() if c != own_id and c != "loaded_at"]
            digest = hashlib.sha256(repr(kept).encode()).hexdigest()
            if own_id:
                digests[table.name, values["id"]] = digest
            hashes.append(digest)
        out[table.name] = sorted(hashes)
    return out


def fork_dtrc(args: list[str], log: Path) -> int:
    """`dtrc ARGS` in a forked child, its output in ``log``; returns the child's pid.

    The child runs the command line's own ``main``, what the console script runs; forking
    skips only the interpreter start and the imports (~0.7 s, more than a whole load of the
    kill corpus). The caller must hold no pooled connection the child could share.
    """
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 70
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            sys.stdout = sys.stderr = open(1, "w", closefd=False)
            sys.argv = ["dtrc", *args]
            try:
                cli_main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            sys.stdout.flush()
        finally:
            os._exit(code)
    return pid


class SqliteWrites:
    """Whether a process is inside its SQLite write transaction: it holds the WAL write lock,
    byte 120 of the ``-shm`` file (recovery takes 120-122 at once: not a write)."""

    def __init__(self, url: str):
        self.shm = Path(url.removeprefix("sqlite:///") + "-shm")

    def writing(self, pid: int) -> bool:
        try:
            ino = str(self.shm.stat().st_ino)
        except FileNotFoundError:
            return False
        for line in Path("/proc/locks").read_text().splitlines():
            f = line.split()  # "7: POSIX  ADVISORY  WRITE 4711 fe:00:2148897 120 120" (a waiter has "->")
            if f[1:2] == ["POSIX"] and f[3] == "WRITE" and f[4] == str(pid) and f[5].rsplit(":", 1)[-1] == ino:
                start, end = int(f[6]), (1 << 62 if f[7] == "EOF" else int(f[7]))
                if start <= 120 <= end and not start <= 122 <= end:
                    return True
        return False

    def settle(self) -> None:
        """A killed process holds no lock: nothing to wait for."""

    def close(self) -> None: ...


class PgWrites:
    """Whether the loader's transaction has written (``backend_xid`` set) on the test's own
    database, which no other client uses; polled on a connection of its own (autocommit, so
    each query sees fresh statistics)."""

    OTHERS = ("FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
              "AND backend_type = 'client backend'")

    def __init__(self, url: str):
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.conn = self.engine.connect()

    def writing(self, pid: int) -> bool:
        return bool(self.conn.exec_driver_sql(f"SELECT count(*) {self.OTHERS} AND backend_xid IS NOT NULL").scalar())

    def settle(self) -> None:
        """Wait until the killed loader's server process has gone (its transaction rolled back)."""
        deadline = time.monotonic() + 30
        while self.conn.exec_driver_sql(f"SELECT count(*) {self.OTHERS}").scalar():
            assert time.monotonic() < deadline, "the killed loader's server process did not go away"
            time.sleep(0.005)

    def close(self) -> None:
        self.conn.close()
        self.engine.dispose()


@dataclass
class Run:
    """One forked `dtrc load`, followed from outside: seconds from the fork to the first time
    it was seen inside its write and to the first time after, and how it ended."""

    write_start: float | None = None
    write_end: float | None = None
    killed_at: float | None = None
    exit_code: int | None = None  # None: killed
    log: str = ""

    @property
    def write_span(self) -> float | None:
        return None if self.write_start is None or self.write_end is None else self.write_end - self.write_start


def follow_load(paths: list[Path], url: str, watch, log: Path, kill=None) -> Run:
    """Run `dtrc load PATHS --db URL`; SIGKILL it as soon as ``kill(run, now)`` says so."""
    run = Run()
    pid = fork_dtrc(["load", *map(str, paths), "--db", url], log)
    t0 = time.monotonic()
    while True:
        now = time.monotonic() - t0
        writing = watch.writing(pid)
        if writing and run.write_start is None:
            run.write_start = now
        if not writing and run.write_start is not None and run.write_end is None:
            run.write_end = now
        if kill is not None and kill(run, now):
            os.kill(pid, signal.SIGKILL)
            run.killed_at = now
        done, status = os.waitpid(pid, 0 if run.killed_at is not None else os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            run.exit_code = None if code == -signal.SIGKILL else code
            break
        if now > 300:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"dtrc load ran for {now:.0f} s")
        time.sleep(0.001)
    run.log = log.read_text(encoding="utf-8", errors="replace")
    return run


def new_history(before: dict, after: dict) -> tuple:
    """The load-history rows ``after`` adds to ``before`` (which it must keep), as (path,
    regime, sha256, action), and the number of loads they come from."""
    cols, old = before["load_history"]
    assert set(old) <= set(after["load_history"][1]), "a load removed load history"
    added = [dict(zip(cols, r)) for r in set(after["load_history"][1]) - set(old)]
    return len({r["batch"] for r in added}), sorted((r["path"], r["regime"], r["sha256"], r["action"]) for r in added)
