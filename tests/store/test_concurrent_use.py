"""4 loaders and 4 readers at once on one database (issue 14), SQLite file and PostgreSQL: each
loader keeps rewriting its own regime between two versions (3 and 4 provisions) while the
readers list, compare and check conflicts. No regime may be lost, no reader may see a regime
between versions (a torn read), nothing may crash. Bounded: 4 loads per loader.
"""
from __future__ import annotations

import multiprocessing
import queue
import shutil
import time
from pathlib import Path

from comparator import store

FORK = multiprocessing.get_context("fork")
LOADERS, READERS, LOADS = 4, 4, 4
ADDED = '''
article 9 "Added in the second version" {
  provision 9.1 {
    topic: data_flows.cross_border_transfer
    party must allow cross_border_transfer on information
    quote: "added"
  }
}
'''


def _version(base: str, k: int, v: int) -> str:
    # The copies leave out ALPHA's own vocabulary block (a term is declared once in a corpus).
    body = base[:base.index("\nvocabulary {")].replace("regime ALPHA", f"regime L{k}")
    return body + (ADDED if v else "")


def _loader(k, folder, url, base, results):
    ok = 0
    try:
        for i in range(LOADS):
            (folder / f"l{k}.dtr").write_text(_version(base, k, (i + 1) % 2), encoding="utf-8")
            store.load_paths([folder / f"l{k}.dtr"], url)
            ok += 1
        results.put(("loader", ok, 0, []))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the test
        results.put(("loader", ok, 0, [repr(exc)]))


def _reader(url, stop, results):
    from comparator.checks import conflict_report
    from comparator.compare import compare
    from comparator.model import Perspective

    ops, torn, errors = 0, 0, []
    while not stop.is_set() and len(errors) < 5:
        try:
            listed = {r.id: r.provisions for r in store.list_regimes(url)}
            torn += sum(1 for rid, n in listed.items() if rid.startswith("L") and n not in (3, 4))
            corpus = store.load_corpus_from_db(url)
            ids = sorted(f.regime.id for f in corpus.files if f.regime)
            for f in corpus.files:
                if f.regime and f.regime.id.startswith("L") and len(f.provisions()) not in (3, 4):
                    torn += 1
            compare(corpus, ids)
            conflict_report(corpus, Perspective(kind="country", country="GB"))
            ops += 3
        except BaseException as exc:  # noqa: BLE001
            errors.append(repr(exc))
    results.put(("reader", ops, torn, errors))


def test_four_loaders_and_four_readers(db_url, corpus, tmp_path):
    base = (corpus / "alpha.dtr").read_text(encoding="utf-8")
    store.load_paths([corpus], db_url)
    for k in range(LOADERS):
        (corpus / f"l{k}.dtr").write_text(_version(base, k, 0), encoding="utf-8")
    store.load_paths([corpus], db_url)
    store.dispose_engine(db_url)
    results, stop = FORK.Queue(), FORK.Event()
    readers = [FORK.Process(target=_reader, args=(db_url, stop, results)) for _ in range(READERS)]
    loaders = [FORK.Process(target=_loader, args=(k, corpus, db_url, base, results)) for k in range(LOADERS)]
    started = time.monotonic()
    for p in readers + loaders:
        p.start()
    for p in loaders:
        p.join(120)
    stop.set()
    for p in readers:
        p.join(60)
    took = time.monotonic() - started
    got = []
    while True:
        try:
            got.append(results.get(timeout=1))
        except queue.Empty:
            break
    assert len(got) == LOADERS + READERS, got
    errors = [e for *_, errs in got for e in errs]
    loads = sum(n for kind, n, _, _ in got if kind == "loader")
    reads = sum(n for kind, n, _, _ in got if kind == "reader")
    torn = sum(t for _, _, t, _ in got)
    print(f"\n{db_url.split(':')[0]}: {loads} loads + {reads} reads in {took:.1f} s; {torn} torn, {len(errors)} errors")
    assert errors == [] and torn == 0
    assert loads == LOADERS * LOADS and reads > 0
    final = {r.id: r.provisions for r in store.list_regimes(db_url)}
    # LOADS is even: every loader's last load wrote version 0 (3 provisions). No regime lost.
    assert final == {"ALPHA": 3, "BETA": 2, **{f"L{k}": 3 for k in range(LOADERS)}}
