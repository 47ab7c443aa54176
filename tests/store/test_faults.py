"""Faults during a load (issue 14), on a real SQLite file and the real PostgreSQL server: the
loader SIGKILLed before, during and right after its write transaction, a read-only database, a
full disk, the server stopped while the loader is inside its write. Afterwards the database
holds exactly the previous state or exactly the complete new one (by a full dump), and the next
load works. docs/reliability.md lists the figures of the last run.

The kill tests follow each loader from outside (:mod:`loadwatch`: SQLite's write lock,
PostgreSQL's ``pg_stat_activity``), without any hook in dtrc. That is what lets the kills be
aimed at the write instead of at the check before it, which takes most of a load's time.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.pool import NullPool

from comparator import store
from comparator.synth import write_corpus
from comparator.validate import check_paths

from .loadwatch import PgWrites, SqliteWrites, content, follow_load, new_history, snapshot

REPO = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("DTRC_FAULT_KILLS", "20"))  # kill points spread over the write, per database
PROVISIONS = int(os.environ.get("DTRC_FAULT_PROVISIONS", "200"))  # the kill corpus: a write of ~0.1 s
STOPS = int(os.environ.get("DTRC_FAULT_STOPS", "1"))  # PostgreSQL server stops inside the write


class Versions:
    """A corpus in one folder in two versions: version 1 puts ``prefix`` before every quote of
    ``files``, so each of them changes and a half-written one would show. ``use(k)`` writes
    version k into the folder and returns the paths to load."""

    def __init__(self, root: Path, files: list[Path], prefix: str):
        self.root, self.prefix = root, prefix
        self.texts = {p: p.read_text(encoding="utf-8") for p in files}

    def use(self, k: int) -> list[Path]:
        for path, src in self.texts.items():
            path.write_text(src if k == 0 else src.replace('quote: "', 'quote: "' + self.prefix), encoding="utf-8")
        return [self.root]


def make_versions(tmp_path: Path) -> Versions:
    """The bundled vocabulary and CPTPP; version 1 lengthens every quote by 200 characters."""
    root = tmp_path / "corpus"
    shutil.copytree(REPO / "rules" / "vocabulary", root / "vocabulary")
    shutil.copy(REPO / "rules" / "cptpp.dtr", root)
    return Versions(root, [root / "cptpp.dtr"], "(v2) " * 40)


def synth_versions(tmp_path: Path, n: int) -> Versions:
    """A synthetic corpus of about ``n`` provisions (:mod:`comparator.synth`): 21 regime files."""
    root = tmp_path / "synth"
    write_corpus(n, root)
    return Versions(root, sorted((root / "regimes").rglob("*.dtr")), "(v1) ")


def _kill_rule(kind: str, x: float, opened: float, span: float):
    """When to kill: ``before`` at x of the usual time to the write; ``during`` x of the way
    through the write (x*span after it opened); ``after`` as soon as the write is over."""
    if kind == "before":
        return lambda run, now: now >= x * opened
    if kind == "during":
        return lambda run, now: run.write_start is not None and now >= run.write_start + x * span
    return lambda run, now: run.write_end is not None


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="follows SQLite's write lock in /proc/locks (Linux)")
def test_a_loader_killed_during_its_write_leaves_the_old_or_the_new_state(db_url, tmp_path):
    v = synth_versions(tmp_path, PROVISIONS)
    watch = (PgWrites if db_url.startswith("postgresql") else SqliteWrites)(db_url)
    log = tmp_path / "load.log"
    # Each version checked once here: the load after each kill stores it without parsing again
    # (the kill test is about the write). Checking also builds the parser the children inherit.
    checked = {}
    for k in (1, 0):
        result = check_paths(store.with_vocabulary(v.use(k)))
        assert not result.errors
        checked[k] = [(rf, result.texts[rf.path]) for rf in result.corpus.files]
    try:
        # The first load in this process: what it sets up once (Alembic, SQLAlchemy's mappers, inside
        # the write transaction) every forked loader inherits, calibration runs and killed ones alike.
        store.store_files(checked[0], db_url)
        store.dispose_engine(db_url)
        # Complete loads first: the reference states, and the loader's timeline on this machine.
        refs, batches, runs = {}, {}, []
        prev = snapshot(db_url)
        for k in (1, 0):
            run = follow_load(v.use(k), db_url, watch, log)
            assert run.exit_code == 0 and run.write_span, run.log
            snap = snapshot(db_url)
            refs[k], batches[k] = content(snap, db_url), new_history(prev, snap)
            runs.append(run)
            prev = snap
        assert refs[0] != refs[1] and batches[0][0] == 1
        opened = statistics.median(r.write_start for r in runs)
        spans = [r.write_span for r in runs]
        rng = random.Random(f"{db_url[:10]}-{KILLS}")
        plan = ([("before", rng.uniform(0.2, 0.9)) for _ in range(2)] + [("after", 0.0)] * 2
                + [("during", 0.9 * (i + rng.random()) / KILLS) for i in range(KILLS)])  # 0.9: room for a faster write
        rng.shuffle(plan)
        landed = {"before write": 0, "during write": 0, "after commit": 0}
        current = 0
        for kind, x in plan:
            target = 1 - current
            span = statistics.median(spans[-7:])  # follows the machine's load, which others share
            run = follow_load(v.use(target), db_url, watch, log, _kill_rule(kind, x, opened, span))
            if run.write_span:
                spans.append(run.write_span)
            assert run.exit_code in (None, 0), run.log
            watch.settle()
            after = snapshot(db_url)
            if after == prev:  # exactly the previous state, every row of every table
                where = "before write" if run.write_start is None else "during write"
            else:
                assert content(after, db_url) == refs[target], f"a {kind} kill left a torn state ({run})"
                assert new_history(prev, after) == batches[target], f"a {kind} kill left part of its history"
                where = "after commit"
            # A commit seen done is kept when the process dies right after it.
            assert kind != "after" or where == "after commit", run
            landed[where] += 1
            # The next load works, whatever the kill left behind (a hot -wal file, an aborted transaction).
            store.store_files(checked[target], db_url)
            store.dispose_engine(db_url)  # no pooled connection may be inherited by the next child
            prev = snapshot(db_url)
            assert content(prev, db_url) == refs[target]
            current = target
    finally:
        watch.close()
    print(f"\n{db_url.split(':')[0]}: {len(plan)} SIGKILLs, {landed}; loads of {PROVISIONS} provisions, "
          f"the write opens {opened:.2f} s after the start and lasts {statistics.median(spans):.3f} s (medians)")
    assert landed["during write"] >= len(plan) / 2, landed


def test_a_full_disk_rolls_the_load_back(tmp_path, cli):
    url = f"sqlite:///{tmp_path / 'full.sqlite'}"
    v = make_versions(tmp_path)
    store.load_paths(v.use(0), url)
    before = snapshot(url)
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
    assert snapshot(url) == before
    assert cli("load", *v2, "--db", url).exit_code == 0
    assert snapshot(url) != before


def test_a_read_only_database_is_one_clear_message(tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="dtrc-ro-"))
    try:
        db = folder / "ro.sqlite"
        url = f"sqlite:///{db}"
        v = make_versions(tmp_path)
        store.load_paths(v.use(0), url)
        store.dispose_engine(url)
        before = snapshot(url)
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
        assert snapshot(url) == before
        store.load_paths(v2, url)
        assert snapshot(url) != before
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def _stop_the_server_inside_the_write(url: str, paths: list[Path], cwd: Path, nth: int, pg_ctl: list[str]):
    """Run `dtrc load` until pg_stat_activity shows it running an INSERT into the ``nth``+1-th
    table it fills, freeze it there (SIGSTOP), stop the server (``-m immediate``: a crash), let
    the loader go on. It must exit 2 with one `dtrc:` message. Returns (table, message)."""
    loader = subprocess.Popen([sys.executable, "-m", "comparator", "load", *map(str, paths), "--db", url],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd,
                              env={**os.environ, "DATABASE_URL": ""})
    try:
        probe = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        in_write = f"{PgWrites.OTHERS} AND backend_xid IS NOT NULL"
        seen: list[str] = []
        with probe.connect() as conn:
            deadline = time.monotonic() + 120
            while len(seen) <= nth:
                assert loader.poll() is None, f"the load ended before it was seen writing: {loader.communicate()}"
                assert time.monotonic() < deadline, "the loader was never seen inside its write"
                query = conn.exec_driver_sql(f"SELECT query {in_write} AND state = 'active' "
                                             "AND starts_with(query, 'INSERT INTO ')").scalar()
                table = query.split()[2] if query else None
                if table and table not in seen:
                    seen.append(table)
                time.sleep(0.001)
            # Frozen where it was seen: the server goes away while the loader's transaction is
            # open, by construction, not after a lucky sleep.
            os.kill(loader.pid, signal.SIGSTOP)
            still = conn.exec_driver_sql(f"SELECT count(*) {in_write}").scalar()
        probe.dispose()
        assert still, "the loader left its write before it could be stopped"
        subprocess.run([*pg_ctl, "-m", "immediate", "stop"], capture_output=True, timeout=60, check=True)
        os.kill(loader.pid, signal.SIGCONT)
        out, err = loader.communicate(timeout=120)
    finally:
        if loader.poll() is None:
            os.kill(loader.pid, signal.SIGCONT)
            loader.kill()
            loader.wait()
    lines = err.strip().splitlines()  # one message (and hints): nothing from the driver, no traceback
    assert loader.returncode == 2 and lines[0].startswith("dtrc: database "), (out, err)
    assert all(line.startswith("  hint: ") for line in lines[1:]) and "internal error" not in err, err
    return seen[-1], lines[0]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to start and stop its own PostgreSQL cluster")
def test_postgresql_stopped_while_the_loader_writes(tmp_path):
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
        v = synth_versions(tmp_path, PROVISIONS)
        store.load_paths(v.use(0), url)
        store.dispose_engine(url)
        before = snapshot(url)
        v1 = v.use(1)
        stopped_in = []
        for attempt in range(STOPS):
            stopped_in.append(_stop_the_server_inside_the_write(url, v1, tmp_path, attempt % 4, pg_ctl))
            subprocess.run([*pg_ctl, "-l", f"{env['PGROOT']}/server.log", "-o", opts, "start"], capture_output=True,
                           timeout=60, check=True)
            assert snapshot(url) == before  # exactly the previous state: every row of every table
        again = subprocess.run([sys.executable, "-m", "comparator", "load", *map(str, v1), "--db", url],
                               capture_output=True, text=True, timeout=300, cwd=tmp_path,
                               env={**os.environ, "DATABASE_URL": ""})
        assert again.returncode == 0, again.stderr
        reference = url.rsplit("/", 1)[0] + "/fresh"
        admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with admin.connect() as conn:
            conn.exec_driver_sql("CREATE DATABASE fresh")
        admin.dispose()
        store.load_paths(v1, reference)
        store.dispose_engine(reference)
        assert content(snapshot(url), url) == content(snapshot(reference), reference)  # the complete new state
        print(f"\nPostgreSQL stopped {STOPS} time(s) while the loader was inside its write, in an INSERT into "
              f"{', '.join(t for t, _ in stopped_in)}: exit 2, previous state kept, next load complete; "
              f"{stopped_in[-1][1][:160]}")
    finally:
        store.dispose_engine(url)
        subprocess.run([str(REPO / ".ci" / "pg-down.sh")], env=env, capture_output=True, timeout=120)


def test_a_busy_database_is_a_clear_message_not_a_traceback(tmp_path):
    import sqlite3

    url = f"sqlite:///{tmp_path / 'busy.sqlite'}"
    v = make_versions(tmp_path)
    store.load_paths(v.use(0), url)
    store.dispose_engine(url)
    before = snapshot(url)
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
    assert snapshot(url) == before
