"""The store at scale: load and read a parsed corpus in SQLite against stdlib sqlite3 doing the same rows.

The floors move exactly the rows our load writes: after one load, every table's rows are
read back, and the floor inserts them with ``executemany`` into the same empty schema in
one transaction (the least any loader of this data could do), or fetches them all.
Migrations are run once into a template file that each run copies: they are not measured.
"""
from __future__ import annotations

import contextlib
import io
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

    # Both reads keep what they read until the clock has stopped (freeing 50,000 models is
    # not reading them); the setup, untimed, lets go of the previous run's.
    held: list = []

    def floor_read():
        with sqlite3.connect(probe) as conn:
            held.append([conn.execute(f'select * from "{t}"').fetchall() for t in data])

    url = f"sqlite:///{probe}"

    def our_read():
        held.append(store.load_corpus_from_db(url))
        assert len(held[-1].files) == len(files)

    our_read()
    fr, orr = timed(floor_read, setup=held.clear), timed(our_read, setup=held.clear)
    held.clear()
    store.dispose_engine(url)
    return [
        Figure("load_ratio", ratio(ol, fl), 3.0,
               detail=f"store {MEDIUM:,} provisions {ol:.2f} s vs executemany of the same {n_rows:,} rows {fl:.3f} s"),
        Figure("read_ratio", ratio(orr, fr), 3.0,
               detail=f"read back as models {orr:.2f} s vs fetchall of the same rows {fr:.3f} s"),
    ]


def _cli_load(folder: Path, path: Path) -> str:
    """`dtrc load FOLDER --db sqlite:///PATH`, in process: the command's own function; its stdout."""
    from comparator import store
    from comparator.cli.store import load

    url = f"sqlite:///{path}"
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            load([folder], db=url)
    finally:
        store.dispose_engine(url)
    return out.getvalue()


@figures("reload")
def reload_figures() -> list[Figure]:
    # The large corpus as `dtrc load` reads it: from its folder, parsed, checked and stored.
    folder = corpus_dir(LARGE)
    targets: list[Path] = []

    def prepare():
        targets.append(_fresh())

    # A fresh load of 100k provisions takes about a minute: one run (its noise is small
    # beside the minute), where the reload, a second or so, is the median of three.
    fresh = timed(lambda: _cli_load(folder, targets[-1]), repeats=1, setup=prepare)
    base = targets[-1]
    # One file changed on disk, a regime file from the middle of the corpus, back and forth.
    rule_files = sorted(folder.rglob("*.dtr"))
    edited = rule_files[len(rule_files) // 2]
    original = edited.read_text(encoding="utf-8")
    texts = [original.replace("\n", "\n# one comma fixed\n", 1), original]
    outputs: list[str] = []

    def again():
        edited.write_text(texts[0], encoding="utf-8")
        outputs.append(_cli_load(folder, base))
        assert ", 1 replaced, " in outputs[-1].splitlines()[-1], outputs[-1].splitlines()[-3:]
        texts.reverse()

    try:
        re = timed(again)
    finally:
        edited.write_text(original, encoding="utf-8")  # other groups read the same corpus
    parsed = next((ln.split()[1] for ln in outputs[-1].splitlines() if ln.startswith("parsed ")), "all")
    return [Figure("reload_ratio", ratio(re, fresh), 0.05,
                   detail=f"`dtrc load` of {LARGE:,} provisions after one file changed {re:.2f} s "
                          f"(parsed {parsed} files) vs into an empty database {fresh:.1f} s")]


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
