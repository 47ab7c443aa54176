"""Run every benchmark: `python -m benchmarks [NAME ...]` (make bench)."""
from __future__ import annotations

import sys

from .harness import run_all

if __name__ == "__main__":
    sys.exit(run_all(sys.argv[1:]))
