"""The app's Compare, Conflicts, Accession and Overview pages on the 10k corpus in SQLite, through Streamlit's AppTest.

Cold: the first run of a page with Streamlit's caches cleared (what the first visitor after
a load waits for: the rules are read from the database, the engine runs). The modules a
page imports (pandas, altair, the engine) are imported once per server process, before any
figure: every page is run once first, then the caches are cleared, so that the first page
measured does not carry the imports for the others. Warm: the same page run again (what a
negotiator waits for after a click that hits the caches). Absolute seconds.
"""
from __future__ import annotations

import os
import time

from .harness import MEDIUM, ROOT, Figure, figures, timed
from .bench_store import _files, _fresh, _store

PAGES = ("compare", "conflicts", "accession", "overview")


def _page(name: str):
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(ROOT / "ui" / "views" / f"{name}.py"), default_timeout=600)


def _clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


@figures("ui")
def ui_figures() -> list[Figure]:
    db = _fresh()
    _store(_files(MEDIUM), db)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    for page in PAGES:  # the imports, once per process (see the module docstring)
        _page(page).run()
    out = []
    for page in PAGES:
        _clear_caches()
        at = _page(page)
        start = time.perf_counter()
        at.run()
        cold = time.perf_counter() - start
        assert not at.exception, [e.value for e in at.exception]
        warm = timed(at.run)
        out += [Figure(f"ui_{page}_cold_s", cold, 2.0, detail=f"{page} page, first run, {MEDIUM:,} provisions in SQLite"),
                Figure(f"ui_{page}_warm_s", warm, 0.5, detail=f"{page} page, run again")]
    return out
