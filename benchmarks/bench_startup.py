"""Start-up: `dtrc --version` against `python -c pass`, each a fresh process."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .harness import Figure, figures, ratio, timed


@figures("startup")
def startup_figures() -> list[Figure]:
    dtrc = str(Path(sys.executable).with_name("dtrc"))

    def bare():
        subprocess.run([sys.executable, "-c", "pass"], check=True)

    def ours():
        subprocess.run([dtrc, "--version"], check=True, stdout=subprocess.DEVNULL)

    def helps():
        subprocess.run([dtrc, "--help"], check=True, stdout=subprocess.DEVNULL)

    ours()
    b, o, h = timed(bare, 7), timed(ours, 7), timed(helps, 3)
    return [Figure("startup_ratio", ratio(o, b), 4.0,
                   detail=f"dtrc --version {o * 1000:.0f} ms vs python -c pass {b * 1000:.0f} ms "
                          f"(dtrc --help {h * 1000:.0f} ms)")]
