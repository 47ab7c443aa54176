"""The app's compare and conflicts pages on the 10k corpus in SQLite, through Streamlit's AppTest.

Cold: the first run of a page in this process with Streamlit's caches cleared (the
corpus is read from the database, the engine runs). Warm: the same page run again
(what a negotiator waits for after a click that hits the caches). Absolute seconds.
"""
from __future__ import annotations

import os
import time

from .harness import MEDIUM, ROOT, Figure, figures, timed
from .bench_store import _files, _fresh, _store


@figures("ui")
def ui_figures() -> list[Figure]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    db = _fresh()
    _store(_files(MEDIUM), db)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    out = []
    for page in ("compare", "conflicts"):
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "ui" / "views" / f"{page}.py"), default_timeout=600)
        start = time.perf_counter()
        at.run()
        cold = time.perf_counter() - start
        assert not at.exception, [e.value for e in at.exception]
        warm = timed(at.run)
        out += [Figure(f"ui_{page}_cold_s", cold, 2.0, detail=f"{page} page, first run, {MEDIUM:,} provisions in SQLite"),
                Figure(f"ui_{page}_warm_s", warm, 0.5, detail=f"{page} page, run again")]
    return out
