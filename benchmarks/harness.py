"""The benchmark runner: figures, medians of repeated runs, synthetic corpora shared by all.

Each benchmark module registers functions with :func:`figures`; each function returns
:class:`Figure` values and the runner prints one line per figure::

    BENCH <name> <value> <target> PASS|FAIL

Ratios divide our time by a floor measured in the same run on the same input (seconds
mean little on a shared 2-core machine, RECIPES gotcha 12); the ``*_s`` and ``*_mib``
figures are absolute. ``BENCH_QUICK=1`` shrinks the corpora (1k/10k/100k provisions
become 500/2k/20k) for a run of a few minutes. The run exits 1 if any figure fails.
"""
from __future__ import annotations

import functools
import gc
import os
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
QUICK = os.environ.get("BENCH_QUICK") == "1"
REPEATS = 3
SEED = 2026
# The scaling curve: small, medium (the 10k of the targets), large (the 100k).
SIZES = (500, 2_000, 20_000) if QUICK else (1_000, 10_000, 100_000)
SMALL, MEDIUM, LARGE = SIZES
# The engine figures compare 10k and 100k corpora of the *same density*: each country bound
# by about this many regimes (comparator/synth.py). 64.5 is what 100k provisions over the
# 240 real codes of its pool give, and the 10k corpus holds it with a pool of 24; the quick
# sizes (2k / 20k) hold 14.75 with pools of 21 and 210 (docs/performance.md).
DENSITY = 14.75 if QUICK else 64.5


@dataclass
class Figure:
    name: str
    value: float
    target: float
    strict: bool = False      # value must be < target (else <=)
    detail: str = ""          # what was measured, printed after the verdict

    @property
    def ok(self) -> bool:
        return self.value < self.target if self.strict else self.value <= self.target

    def line(self) -> str:
        return f"BENCH {self.name} {self.value:.3g} {self.target:g} {'PASS' if self.ok else 'FAIL'}"


REGISTRY: dict[str, Callable[[], list[Figure]]] = {}


def figures(name: str):
    """Register a function returning figures under ``name`` (what `python -m benchmarks NAME` selects)."""
    def register(fn):
        REGISTRY[name] = fn
        return fn
    return register


def timed(fn: Callable[[], object], repeats: int = REPEATS, setup: Callable[[], object] | None = None,
          cpu: bool = False) -> float:
    """Median seconds of ``repeats`` calls; ``setup`` runs before each, untimed.

    ``cpu``: this process's CPU time instead of the wall clock, for pure-Python work
    whose floor is pure Python too: on a machine shared with other jobs the wall clock
    also counts the time the scheduler gave them. Anything that waits on a disk or a
    child process keeps the wall clock.
    """
    clock = time.process_time if cpu else time.perf_counter
    times = []
    for _ in range(repeats):
        if setup is not None:
            setup()
        gc.collect()
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


def timed_each(fns: dict, repeats: int = REPEATS, setup: Callable[[], object] | None = None,
               cpu: bool = False) -> dict:
    """:func:`timed` for several functions, their runs interleaved (a, b, a, b, ...).

    For a ratio of two sizes: when the load of a shared machine drifts during the
    minutes a benchmark takes, both sides of the ratio see the same drift.
    """
    times: dict = {k: [] for k in fns}
    for _ in range(repeats):
        for k, fn in fns.items():
            times[k].append(timed(fn, 1, setup, cpu))
    return {k: statistics.median(v) for k, v in times.items()}


def ratio(ours: float, floor: float) -> float:
    return ours / floor if floor else float("inf")


# ---------------------------------------------------------------------------- corpora

WORK = Path(tempfile.mkdtemp(prefix="dtrc-bench-"))


@functools.lru_cache(maxsize=None)
def corpus_texts(n: int, density: float | None = None) -> dict[str, str]:
    """Path -> text of the synthetic corpus of about ``n`` provisions (paths under WORK).

    ``density``: regimes binding each country (``synthesize(regimes_per_country=)``);
    None draws every batch's parties from all real codes.
    """
    from comparator.synth import synthesize

    base = corpus_dir(n, density)
    return {str(base / rel): text for rel, text in synthesize(n, SEED, regimes_per_country=density).items()}


@functools.lru_cache(maxsize=None)
def corpus_dir(n: int, density: float | None = None) -> Path:
    from comparator.synth import write_corpus

    out = WORK / (f"corpus-{n}" if density is None else f"corpus-{n}-d{density:g}")
    write_corpus(n, out, SEED, regimes_per_country=density)
    return out


@functools.lru_cache(maxsize=2)
def checked(n: int, density: float | None = None):
    """The CheckResult of the corpus (parsed and validated once, shared by the benchmarks)."""
    from comparator.validate import check_sources

    result = check_sources(corpus_texts(n, density))
    assert not result.errors, result.errors[:3]
    return result


def cleanup() -> None:
    shutil.rmtree(WORK, ignore_errors=True)


def run_all(names: list[str]) -> int:
    from . import bench_engine, bench_language, bench_startup, bench_store, bench_ui  # noqa: F401  (registers)

    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
        return 2
    print(f"# corpora: {', '.join(f'{s:,}' for s in SIZES)} provisions{' (BENCH_QUICK)' if QUICK else ''}; "
          f"medians of {REPEATS} runs; nproc {os.cpu_count()}", flush=True)
    failed = 0
    try:
        for name, fn in REGISTRY.items():
            if names and name not in names:
                continue
            start = time.perf_counter()
            for fig in fn():
                failed += not fig.ok
                print(fig.line() + (f"   # {fig.detail}" if fig.detail else ""), flush=True)
            print(f"# {name}: {time.perf_counter() - start:.0f} s", flush=True)
    finally:
        cleanup()
    return 1 if failed else 0
