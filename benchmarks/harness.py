"""The benchmark registry and runner: median of repeated runs, ratio to a floor, ceiling check."""
from __future__ import annotations

import gc
import statistics
import time
from dataclasses import dataclass
from typing import Callable

REPEATS = 5


@dataclass
class Benchmark:
    name: str
    what: str
    setup: Callable[[], object]           # builds the input once
    floor: Callable[[object], object]     # the simplest thing that does the same job
    subject: Callable[[object], object]   # our code
    ceiling: float                        # subject / floor must stay under this


REGISTRY: list[Benchmark] = []


def benchmark(name: str, what: str, ceiling: float):
    def register(factory):
        setup, floor, subject = factory()
        REGISTRY.append(Benchmark(name, what, setup, floor, subject, ceiling))
        return factory
    return register


def median_seconds(fn: Callable[[object], object], arg: object) -> float:
    times = []
    for _ in range(REPEATS):
        gc.collect()
        start = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_all(names: list[str]) -> int:
    from . import bench_language, bench_store  # noqa: F401  (importing registers them)
    failed = 0
    for b in REGISTRY:
        if names and b.name not in names:
            continue
        data = b.setup()
        b.subject(data)  # warm-up: caches, lazy imports
        floor = median_seconds(b.floor, data)
        ours = median_seconds(b.subject, data)
        ratio = ours / floor if floor else float("inf")
        verdict = "ok" if ratio <= b.ceiling else "TOO SLOW"
        failed += verdict != "ok"
        print(f"{b.name:<28} {ratio:6.2f}x floor (ceiling {b.ceiling:.1f}x)  "
              f"ours {ours * 1000:8.1f} ms, floor {floor * 1000:8.1f} ms  {verdict}  — {b.what}")
    return 1 if failed else 0
