"""The long fuzz run: ``python -m tests.fuzz.campaign [N] [--seed S] [--timeout SECONDS]`` (`make fuzz`).

Runs N inputs (default 100,000) in-process through the property of tests/fuzz/oracle.py, each
under a watchdog, and prints inputs tried, valid corpora, rejections (our DtrError), crashes and
hangs, with the mutators used. A crashing or hanging input is written to var/fuzz/ for replay
(``python -m tests.fuzz.campaign --replay FILE``). Exit 1 when anything crashed or hung.
"""
from __future__ import annotations

import argparse
import collections
import random
import sys
import time
import traceback
from pathlib import Path

from .inputs import ROOT, make_input
from .oracle import Hang, check_input, watchdog

OUT = ROOT / "var" / "fuzz"


def run(n: int, seed: int, timeout: float, progress: bool = True) -> dict:
    rng = random.Random(seed)
    counts = collections.Counter()
    mutators = collections.Counter()
    failures: list[tuple[str, str, str | bytes]] = []
    started = time.monotonic()
    slowest = (0.0, "")
    for i in range(n):
        name, data = make_input(rng)
        for part in name.split("+"):
            mutators[part] += 1
        t0 = time.monotonic()
        try:
            with watchdog(timeout):
                outcome = check_input(data)
            counts[outcome.kind] += 1
        except Hang:
            counts["hang"] += 1
            failures.append(("hang", name, data))
        except Exception:  # noqa: BLE001 — anything escaping the property is the finding
            counts["crash"] += 1
            failures.append(("crash", name, data))
            if counts["crash"] <= 5:
                print(f"crash on input {i} ({name}):\n{traceback.format_exc(limit=4)}", file=sys.stderr)
        took = time.monotonic() - t0
        if took > slowest[0]:
            slowest = (took, name)
        if progress and (i + 1) % 10_000 == 0:
            print(f"  {i + 1:,} inputs, {time.monotonic() - started:.0f} s, "
                  f"{counts['crash']} crashes, {counts['hang']} hangs", flush=True)
    if failures:
        OUT.mkdir(parents=True, exist_ok=True)
        for k, (kind, name, data) in enumerate(failures[:50]):
            path = OUT / f"{kind}-{seed}-{k}.dtr"
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
    return {"tried": n, "seed": seed, "seconds": round(time.monotonic() - started, 1),
            "valid": counts["valid"], "rejected": counts["rejected"], "crashes": counts["crash"],
            "hangs": counts["hang"], "slowest_s": round(slowest[0], 2), "slowest_input": slowest[1],
            "mutators": dict(sorted(mutators.items()))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.fuzz.campaign", description=__doc__.split("\n")[0])
    ap.add_argument("n", nargs="?", type=int, default=100_000, help="inputs to try (default 100,000)")
    ap.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock, printed)")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per input before it counts as a hang")
    ap.add_argument("--replay", type=Path, help="run one saved input and show what escapes")
    args = ap.parse_args(argv)
    if args.replay:
        with watchdog(args.timeout):
            print(check_input(args.replay.read_bytes()))
        return 0
    seed = args.seed if args.seed is not None else int(time.time())
    print(f"fuzzing {args.n:,} inputs, seed {seed}, {args.timeout} s per input")
    r = run(args.n, seed, args.timeout)
    print(f"inputs tried: {r['tried']:,}  valid: {r['valid']:,}  rejected (DtrError): {r['rejected']:,}  "
          f"crashes: {r['crashes']}  hangs: {r['hangs']}  ({r['seconds']} s; slowest input "
          f"{r['slowest_s']} s, {r['slowest_input']})")
    print("mutators: " + ", ".join(f"{k} {v:,}" for k, v in r["mutators"].items()))
    if r["crashes"] or r["hangs"]:
        print(f"failing inputs written to {OUT}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
