"""Fixtures for the UI tests: a database holding the bundled rules, and AppTest per page.

The app reads ``DATABASE_URL`` on every rerun, so each test points it at its own SQLite
file; Streamlit's caches are keyed on that URL and the database's load batch, so tests
never see each other's data.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from comparator import store

ROOT = Path(__file__).resolve().parents[2]
VIEWS = ROOT / "ui" / "views"


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory) -> Path:
    """A SQLite file with rules/ loaded once for the session (read-only for the tests)."""
    path = tmp_path_factory.mktemp("ui-db") / "bundled.sqlite"
    store.load_paths([ROOT / "rules"], f"sqlite:///{path}")
    store.dispose_engine(f"sqlite:///{path}")
    return path


@pytest.fixture
def db_url(bundled_db, monkeypatch) -> str:
    """The app reads the shared bundled database."""
    url = f"sqlite:///{bundled_db}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def writable_db_url(bundled_db, tmp_path, monkeypatch) -> str:
    """The app reads a private copy of the bundled database, which the test may change."""
    copy = tmp_path / "copy.sqlite"
    # The backup API copies what is committed, WAL included (copying the file alone would not).
    with sqlite3.connect(bundled_db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    url = f"sqlite:///{copy}"
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    store.dispose_engine(url)


def run_page(name: str) -> AppTest:
    """Run one page of ui/views/ as the app would, failing on any exception it raises."""
    at = AppTest.from_file(str(VIEWS / f"{name}.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
