"""Loading the bundled corpus into SQLite and reading it back, against stdlib sqlite3 doing the same row count.

The floor writes (reads) as many rows as the load writes, 6 columns each, with
``executemany`` in one transaction: the least any loader of this data could do. The ORM
path costs a multiple of that (RECIPES.md measured session.add_all at 18-31x); the ceiling
guards against it growing, e.g. from per-row flushes.
"""
from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from .harness import benchmark

ROOT = Path(__file__).resolve().parent.parent


def _prepared():
    from comparator import store
    from comparator.validate import check_paths

    result = check_paths([ROOT / "rules"])
    files = [(f, result.texts[f.path]) for f in result.corpus.files]
    work = Path(tempfile.mkdtemp(prefix="dtrc-bench-"))
    template = work / "template.sqlite"
    store.upgrade(f"sqlite:///{template}")          # migrations are not what we measure
    store.dispose_engine(f"sqlite:///{template}")
    probe = work / "probe.sqlite"
    shutil.copy(template, probe)
    store.store_files(files, f"sqlite:///{probe}", force=True)
    store.dispose_engine(f"sqlite:///{probe}")
    with sqlite3.connect(probe) as conn:
        tables = [t for (t,) in conn.execute("select name from sqlite_master where type='table' and name != 'alembic_version'")]
        rows = sum(conn.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables)
    raw = work / "raw.sqlite"
    with sqlite3.connect(raw) as conn:
        conn.execute("create table floor_read (a text, b text, c text, d integer, e integer, f text)")
        conn.executemany("insert into floor_read values (?, ?, ?, ?, ?, ?)", _rows(rows))
    return {"files": files, "work": work, "template": template, "probe": probe, "raw": raw, "rows": rows, "n": [0]}


def _rows(n: int) -> list[tuple]:
    return [(f"r{i}", "provision", "data_flows", i, i % 7, "x" * 40) for i in range(n)]


def _fresh(data) -> str:
    data["n"][0] += 1
    target = data["work"] / f"run{data['n'][0]}.sqlite"
    shutil.copy(data["template"], target)
    return str(target)


@benchmark("store_load_sqlite", "load rules/ into SQLite (one transaction) vs executemany of as many rows", ceiling=50.0)
def _load():
    from comparator import store

    def floor(data):
        with sqlite3.connect(_fresh(data)) as conn:
            conn.execute("create table floor (a text, b text, c text, d integer, e integer, f text)")
            conn.executemany("insert into floor values (?, ?, ?, ?, ?, ?)", _rows(data["rows"]))

    def subject(data):
        url = f"sqlite:///{_fresh(data)}"
        store.store_files(data["files"], url, force=True)
        store.dispose_engine(url)

    return _prepared, floor, subject


@benchmark("store_read_sqlite", "read the whole corpus back as models vs fetching as many raw rows", ceiling=40.0)
def _read():
    from comparator import store

    def floor(data):
        with sqlite3.connect(data["raw"]) as conn:
            conn.execute("select * from floor_read").fetchall()

    def subject(data):
        url = f"sqlite:///{data['probe']}"
        corpus = store.load_corpus_from_db(url)
        assert corpus.files
        store.dispose_engine(url)

    return _prepared, floor, subject
