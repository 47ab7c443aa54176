"""Faults during a load (issue 14), on a real SQLite file and the real PostgreSQL server: the
loader SIGKILLed at random points, a read-only database, a full disk, the server stopped in the
middle. Afterwards the database holds exactly the previous state or exactly the new one, and
the next load works. docs/reliability.md lists the figures of the last run.
"""
from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, inspect, text

from comparator import store

REPO = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("DTRC_FAULT_KILLS", "20"))
FORK = multiprocessing.get_context("fork")


class Versions:
    """A real corpus (vocabulary + one regime) in one folder, in two versions: v2 changes
    (and lengthens) every quote. ``use(k)`` writes version k into the folder and returns the paths to load."""

    def __init__(self, tmp_path: Path):
        self.root = tmp_path / "corpus"
        shutil.copytree(REPO / "rules" / "vocabulary", self.root / "vocabulary")
        self.texts = {name: (REPO / "rules" / name).read_text(encoding="utf-8")
                      for name in ("cptpp.dtr",)}

    def use(self, k: int) -> list[Path]:
        for name, src in self.texts.items():
            (self.root / name).write_text(src if k == 0 else src.replace('quote: "', 'quote: "' + "(v2) " * 40), encoding="utf-8")
        return [self.root]


def make_versions(tmp_path: Path):
    return Versions(tmp_path)


def state(url: str) -> tuple:
    """What a full dump decides: every file's content hash and every table's row count."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = sorted(t for t in inspect(conn).get_table_names() if t != "alembic_version")
            counts = tuple((t, conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar()) for t in tables
                           if t != "load_history")
            files = tuple(conn.execute(text("SELECT path, sha256 FROM source_files ORDER BY path")).all())
            return files, counts
    finally:
        engine.dispose()


def _load_in_child(paths, url):
    store.load_paths(paths, url)


def test_a_loader_killed_anywhere_leaves_the_old_or_the_new_state(db_url, tmp_path):
    v = make_versions(tmp_path)
    store.load_paths(v.use(1), db_url)
    s2 = state(db_url)
    store.load_paths(v.use(0), db_url)
    s1 = state(db_url)
    assert s1 != s2 and s1[1] == s2[1]  # same shape, other content: a half-written file would show
    t0 = time.monotonic()
    store.load_paths(v.use(1), db_url)
    took = time.monotonic() - t0
    store.load_paths(v.use(0), db_url)
    rng = random.Random(f"{db_url[:10]}-{KILLS}")
    outcomes = {"old": 0, "new": 0}
    current, states = 0, [s1, s2]
    for _ in range(KILLS):
        target = 1 - current
        store.dispose_engine(db_url)  # the child opens its own connections, never the parent's
        child = FORK.Process(target=_load_in_child, args=(v.use(target), db_url))
        child.start()
        time.sleep(rng.uniform(0, took * 1.5))
        os.kill(child.pid, signal.SIGKILL)
        child.join(30)
        after = state(db_url)
        assert after in (states[current], states[target]), "a killed load left a partial state"
        outcomes["old" if after == states[current] else "new"] += 1
        # The next load works, whatever the kill left behind (a -wal file, an aborted transaction).
        store.load_paths(v.use(target), db_url)
        assert state(db_url) == states[target]
        current = target
    print(f"\nSIGKILL at {KILLS} random points: {outcomes}")
    assert outcomes["old"] > 0  # the kills must land inside loads, not only after them


def test_a_full_disk_rolls_the_load_back(tmp_path, cli):
    url = f"sqlite:///{tmp_path / 'full.sqlite'}"
    v = make_versions(tmp_path)
    store.load_paths(v.use(0), url)
    before = state(url)
    store.dispose_engine(url)
    v2 = v.use(1)
    engine = store.get_engine(url)
    pages = engine.connect().exec_driver_sql("PRAGMA page_count").scalar()
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _full(dbapi_connection, _record):  # SQLite's own quota: the file cannot grow past it
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    result = cli("load", *v2, "--db", url)
    assert result.exit_code == 2 and "full" in result.output and "Traceback" not in result.output, result.output
    store.dispose_engine(url)
    assert state(url) == before
    assert cli("load", *v2, "--db", url).exit_code == 0
    assert state(url) != before


def test_a_read_only_database_is_one_clear_message(tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="dtrc-ro-"))
    try:
        db = folder / "ro.sqlite"
        url = f"sqlite:///{db}"
        v = make_versions(tmp_path)
        store.load_paths(v.use(0), url)
        store.dispose_engine(url)
        before = state(url)
        v2 = v.use(1)
        for p in (tmp_path, v.root, v.root / "vocabulary"):
            p.chmod(0o755)
        for p in v.root.rglob("*.dtr"):
            p.chmod(0o644)
        folder.chmod(0o755)
        db.chmod(0o444)
        load_url = url
        if os.geteuid() == 0:
            # Root writes through any file mode (and this machine's Python is not executable by
            # `nobody`): open the file the way SQLite opens a read-only file instead.
            load_url = f"sqlite:///file:{db}?mode=ro&uri=true"
        cmd = [sys.executable, "-m", "comparator", "load", str(v2[0]), "--db", load_url]
        folder.chmod(0o555)
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp_path,
                             env={**os.environ, "DATABASE_URL": ""})
        assert run.returncode == 2, run.stderr
        assert run.stderr.startswith("dtrc: ") and "Traceback" not in run.stderr, run.stderr
        assert "read" in run.stderr.lower()
        folder.chmod(0o755)
        db.chmod(0o644)
        assert state(url) == before
        store.load_paths(v2, url)
        assert state(url) != before
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to start and stop its own PostgreSQL cluster")
def test_postgresql_stopped_mid_load_then_restarted(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PGPORT": str(port), "PGROOT": f"/tmp/dtrc-pgfault-{uuid.uuid4().hex[:10]}"}
    up = subprocess.run([str(REPO / ".ci" / "pg-up.sh")], env=env, capture_output=True, text=True, timeout=300)
    assert up.returncode == 0, up.stderr
    url = up.stdout.strip().splitlines()[-1]
    pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    pg_ctl = ["runuser", "-u", "postgres", "--", str(pgbin / "pg_ctl"), "-D", f"{env['PGROOT']}/data", "-w", "-t", "60"]
    opts = f"-c listen_addresses=127.0.0.1 -p {port} -k {env['PGROOT']} -c fsync=off"
    try:
        v = make_versions(tmp_path)
        store.load_paths(v.use(0), url)
        before = state(url)
        store.dispose_engine(url)
        v2 = v.use(1)
        rng = random.Random(5)
        loader = subprocess.Popen([sys.executable, "-m", "comparator", "load", *map(str, v2), "--db", url],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
        time.sleep(rng.uniform(0.8, 1.2))  # interpreter start-up is ~0.7 s: stop while it writes
        subprocess.run([*pg_ctl, "-m", "immediate", "stop"], capture_output=True, timeout=60)
        out, err = loader.communicate(timeout=120)
        assert "Traceback" not in err, err
        assert loader.returncode in (0, 2) and (loader.returncode == 0 or err.startswith("dtrc: ")), err
        subprocess.run([*pg_ctl, "-l", f"{env['PGROOT']}/server.log", "-o", opts, "start"], capture_output=True,
                       timeout=60, check=True)
        after = state(url)
        store.load_paths(v2, url)
        new = state(url)
        assert after in (before, new)
        print(f"\nPostgreSQL stopped mid-load: loader exit {loader.returncode}; "
              f"state {'old' if after == before else 'new'}; {err.strip()[:120]}")
    finally:
        store.dispose_engine(url)
        subprocess.run([str(REPO / ".ci" / "pg-down.sh")], env=env, capture_output=True, timeout=120)


def test_a_busy_database_is_a_clear_message_not_a_traceback(tmp_path):
    import sqlite3

    url = f"sqlite:///{tmp_path / 'busy.sqlite'}"
    v = make_versions(tmp_path)
    store.load_paths(v.use(0), url)
    store.dispose_engine(url)
    before = state(url)
    holder = sqlite3.connect(tmp_path / "busy.sqlite", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock and does not let go
    try:
        run = subprocess.run([sys.executable, "-m", "comparator", "load", *map(str, v.use(1)), "--db", url],
                             capture_output=True, text=True, timeout=120, cwd=tmp_path,
                             env={**os.environ, "DATABASE_URL": "", "DTRC_BUSY_TIMEOUT_MS": "300"})
    finally:
        holder.rollback()
        holder.close()
    assert run.returncode == 2 and run.stderr.startswith("dtrc: ") and "Traceback" not in run.stderr, run.stderr
    assert "locked" in run.stderr and "hint: " in run.stderr and "DTRC_BUSY_TIMEOUT_MS" in run.stderr, run.stderr
    assert state(url) == before
