"""The scaling curve for docs/performance.md: each stage at 1k, 10k and 100k provisions.

`python -m benchmarks.curve` prints a Markdown table and writes docs/img/scaling.png
(matplotlib, a dev extra). One run per size (a curve, not a pass/fail figure); CPU
seconds for the in-process stages, wall seconds for the store (it waits on the disk).
Every size is synthesised at the engine benchmarks' density (harness.DENSITY regimes
binding each country); the 1k corpus cannot hold it (a batch needs 21 codes at least,
and 1.8 batches over 21 codes bind each country by about 7 regimes), so its conflicts and
accession points sit low.
"""
from __future__ import annotations

import time
from pathlib import Path

from .harness import DENSITY, ROOT, SIZES, checked, cleanup, corpus_texts


def measure(n: int) -> dict[str, float]:
    from comparator import store
    from comparator.compare import compare
    from comparator.model import Corpus
    from comparator.perspective import forget_prepared
    from comparator.validate import check_sources

    from .bench_engine import _accessions, _sweep
    from .bench_store import _fresh, _store

    texts = corpus_texts(n, DENSITY)
    out: dict[str, float] = {}
    start = time.process_time()
    result = check_sources(texts)
    out["check"] = time.process_time() - start
    checked.cache_clear()
    files = [(f, result.texts[f.path]) for f in result.corpus.files]
    db = _fresh()
    start = time.perf_counter()
    _store(files, db)
    out["load"] = time.perf_counter() - start
    start = time.perf_counter()
    corpus = store.load_corpus_from_db(f"sqlite:///{db}")
    out["read"] = time.perf_counter() - start
    store.dispose_engine(f"sqlite:///{db}")
    start = time.process_time()
    _sweep(Corpus(files=corpus.files))
    out["conflicts (every country)"] = time.process_time() - start
    start = time.process_time()
    _accessions(Corpus(files=corpus.files))
    out["accession (every country)"] = time.process_time() - start
    start = time.process_time()
    compare(Corpus(files=corpus.files), ["CPTPP_S0001", "DEPA_S0001", "UK_GDPR_S0001", "GDPR_S0001"])
    out["compare (4 regimes)"] = time.process_time() - start
    forget_prepared()
    return out


def main() -> None:
    rows = {n: measure(n) for n in SIZES}
    stages = list(next(iter(rows.values())))
    print("| stage | " + " | ".join(f"{n:,} provisions" for n in SIZES) + " |")
    print("|---|" + "---:|" * len(SIZES))
    for s in stages:
        print(f"| {s} | " + " | ".join(f"{rows[n][s]:.2f} s" for n in SIZES) + " |")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=110)
    for s in stages:
        ax.plot(SIZES, [max(rows[n][s], 1e-3) for n in SIZES], marker="o", label=s)
    ax.plot(SIZES, [rows[SIZES[0]]["check"] * n / SIZES[0] for n in SIZES], "k:", label=f"linear (from check at {SIZES[0]:,})")
    ax.set(xscale="log", yscale="log", xlabel="provisions in the synthetic corpus", ylabel="seconds",
           title="dtrc stages against corpus size (2-core machine)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    out = ROOT / "docs" / "img" / "scaling.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(out)
    print(f"\nwrote {out.relative_to(ROOT)}")
    cleanup()


if __name__ == "__main__":
    main()
