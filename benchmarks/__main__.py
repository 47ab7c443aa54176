"""Run every benchmark: `python -m benchmarks [NAME ...]` (make bench; BENCH_QUICK=1 for small corpora)."""
from __future__ import annotations

import sys

from .harness import run_all

if __name__ == "__main__":
    sys.exit(run_all(sys.argv[1:]))
