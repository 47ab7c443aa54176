"""Several `dtrc load` processes on one database at once: all succeed, nothing is lost.

SQLite: WAL + busy_timeout + BEGIN IMMEDIATE queue the writers (no "database is locked").
PostgreSQL: a transaction-level advisory lock queues them. The database starts empty, so
the processes also race to create the schema (the first migrates, the others wait).
"""
from __future__ import annotations

import os
import subprocess
import sys

from comparator import store


def _start(args: list, cwd) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": ""}  # --db decides, not the caller's environment
    return subprocess.Popen([sys.executable, "-m", "comparator", "load", *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_concurrent_loads_of_different_regimes_all_succeed(db_url, corpus, tmp_path):
    jobs = [
        [corpus / "alpha.dtr", "--db", db_url],
        [corpus / "beta.dtr", "--db", db_url],
    ]
    procs = [_start(job, tmp_path) for job in jobs]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    for code, out, err in results:
        assert code == 0, err
        assert "locked" not in err and "Traceback" not in err
    assert [(r.id, r.provisions) for r in store.list_regimes(db_url)] == [("ALPHA", 3), ("BETA", 2)]
    history = store.load_history(db_url)
    assert len({h.batch for h in history}) == 2  # every process committed its batch
    # The vocabulary was created once: the second process saw the first one's committed copy
    # (read inside its own locked transaction) and skipped it.
    vocab = [h.action for h in history if h.path.endswith("vocabulary/core.dtr")]
    assert sorted(vocab) == ["added", "unchanged"]
    assert store.current_revision(db_url) == store.head_revision()
