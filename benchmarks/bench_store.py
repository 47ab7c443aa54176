"""The store at scale: load and read a parsed corpus in SQLite against stdlib sqlite3 doing the same rows.

The floors move exactly the rows our load writes: after one load, every table's rows are
read back, and the floor inserts them with ``executemany`` into the same empty schema in
one transaction (the least any loader of this data could do), or fetches them all.
Migrations are run once into a template file that each run copies: they are not measured.
"""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from .harness import LARGE, MEDIUM, WORK, Figure, checked, corpus_dir, figures, ratio, timed

_runs = [0]


def _template() -> Path:
    from comparator import store

    path = WORK / "template.sqlite"
    if not path.exists():
        store.upgrade(f"sqlite:///{path}")
        store.dispose_engine(f"sqlite:///{path}")
    return path


def _fresh() -> Path:
    _runs[0] += 1
    target = WORK / f"run{_runs[0]}.sqlite"
    shutil.copy(_template(), target)
    return target


def _files(n: int) -> list:
    result = checked(n)
    return [(f, result.texts[f.path]) for f in result.corpus.files]


def _store(files, path: Path, force: bool = False):
    from comparator import store

    url = f"sqlite:///{path}"
    try:
        return store.store_files(files, url, force=force)
    finally:
        store.dispose_engine(url)


def _tables(conn) -> list[str]:
    return [t for (t,) in conn.execute(
        "select name from sqlite_master where type='table' and name not in ('alembic_version') "
        "and name not like 'sqlite_%' order by name")]


@figures("store")
def store_figures() -> list[Figure]:
    from comparator import store

    files = _files(MEDIUM)
    probe = _fresh()
    _store(files, probe)
    with sqlite3.connect(probe) as conn:
        data = {t: conn.execute(f'select * from "{t}"').fetchall() for t in _tables(conn)}
    n_rows = sum(map(len, data.values()))
    targets: list[Path] = []

    def prepare():
        targets.append(_fresh())

    def floor_load():
        conn = sqlite3.connect(targets[-1])
        with conn:
            for t, rows in data.items():
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    conn.executemany(f'insert into "{t}" values ({marks})', rows)
        conn.close()

    def our_load():
        _store(files, targets[-1])

    fl = timed(floor_load, setup=prepare)
    ol = timed(our_load, setup=prepare)

    def floor_read():
        with sqlite3.connect(probe) as conn:
            for t in data:
                conn.execute(f'select * from "{t}"').fetchall()

    url = f"sqlite:///{probe}"

    def our_read():
        corpus = store.load_corpus_from_db(url)
        assert len(corpus.files) == len(files)

    our_read()
    fr, orr = timed(floor_read), timed(our_read)
    store.dispose_engine(url)
    return [
        Figure("load_ratio", ratio(ol, fl), 3.0,
               detail=f"store {MEDIUM:,} provisions {ol:.2f} s vs executemany of the same {n_rows:,} rows {fl:.3f} s"),
        Figure("read_ratio", ratio(orr, fr), 3.0,
               detail=f"read back as models {orr:.2f} s vs fetchall of the same rows {fr:.3f} s"),
    ]


@figures("reload")
def reload_figures() -> list[Figure]:
    files = _files(LARGE)
    targets: list[Path] = []

    def prepare():
        targets.append(_fresh())

    fresh = timed(lambda: _store(files, targets[-1]), setup=prepare)
    base = targets[-1]
    # One file changed: the same models, another text (so another SHA-256).
    changed = list(files)
    i = len(changed) // 2
    changed[i] = (changed[i][0], changed[i][1] + "\n# edited\n")
    texts = [changed, files]

    def again():
        outcomes = _store(texts[0], base)
        assert sum(o.action != "unchanged" for o in outcomes) == 1
        texts.reverse()

    re = timed(again)
    return [Figure("reload_ratio", ratio(re, fresh), 0.05,
                   detail=f"store {LARGE:,} provisions after one file changed {re:.2f} s vs fresh {fresh:.2f} s")]


# Run from a fresh small interpreter, not from this process: a child's ru_maxrss starts at
# its parent's RSS when it is forked (Linux keeps the high-water mark across exec), and
# this process holds two 100k corpora.
_PEAK = ("import os, subprocess, sys\n"
         "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
         "err = p.stderr.read()\n"
         "_, status, usage = os.wait4(p.pid, 0)\n"
         "sys.stderr.write(err.decode(errors='replace')[-2000:])\n"
         "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n")


def _peak_mib(cmd: list[str]) -> float:
    """Peak RSS (MiB) of ``cmd`` in a fresh process, from its own rusage (os.wait4)."""
    out = subprocess.run([sys.executable, "-c", _PEAK, *cmd], capture_output=True, text=True, check=True)
    code, kib = map(int, out.stdout.split())
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {code}: {out.stderr}")
    return kib / 1024  # ru_maxrss is KiB on Linux


@figures("memory")
def memory_figures() -> list[Figure]:
    folder = str(corpus_dir(LARGE))
    dtrc = str(Path(sys.executable).with_name("dtrc"))
    check = _peak_mib([dtrc, "check", folder])
    load = _peak_mib([dtrc, "load", folder, "--db", f"sqlite:///{_fresh()}"])
    return [Figure("peak_rss_100k_mib", max(check, load), 1024, strict=True,
                   detail=f"dtrc check {check:.0f} MiB, dtrc load {load:.0f} MiB (into a fresh SQLite file), "
                          f"{LARGE:,} provisions, each a fresh process")]
