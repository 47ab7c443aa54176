"""Fixtures of the storage tests: a fresh database per test on SQLite and on PostgreSQL.

PostgreSQL: ``$DATABASE_URL_PG`` if set (its user must be allowed to CREATE DATABASE);
otherwise a throwaway cluster started by .ci/pg-up.sh for this test session (root
needed) and stopped at the end. Under CI (``CI=true``) PostgreSQL tests never skip: a
server that cannot be started fails them loudly.
"""
from __future__ import annotations

import contextlib

import os
import shutil
import socket
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from comparator import store

REPO = Path(__file__).resolve().parents[2]
FIXTURE_CORPUS = REPO / "tests" / "fixtures" / "store"
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_server_url():
    """A PostgreSQL server URL whose user may create databases."""
    given = os.environ.get("DATABASE_URL_PG")
    if given:
        yield store.resolve_url(given)
        return
    if os.geteuid() != 0:
        message = ("PostgreSQL tests need DATABASE_URL_PG, or root to start a throwaway cluster "
                   "with .ci/pg-up.sh")
        if ON_CI:
            pytest.fail(message + " (CI=true: not skipping)")
        pytest.skip(message)
    env = {**os.environ, "PGPORT": str(_free_port()), "PGROOT": f"/tmp/dtrc-pg-{uuid.uuid4().hex[:12]}"}
    up = subprocess.run([str(REPO / ".ci" / "pg-up.sh")], env=env, capture_output=True, text=True, timeout=600)
    if up.returncode != 0:
        pytest.fail(f".ci/pg-up.sh failed (exit {up.returncode}):\n{up.stderr}")
    try:
        yield up.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([str(REPO / ".ci" / "pg-down.sh")], env=env, capture_output=True, timeout=120)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A URL of an empty database (no schema yet) that only this test uses."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'dtrc.sqlite'}"
        yield url
        store.dispose_engine(url)
        return
    with throwaway_pg_database(request.getfixturevalue("pg_server_url"), prefix="t") as url:
        yield url


@contextlib.contextmanager
def throwaway_pg_database(server_url: str, prefix: str):
    """A new, empty database on the test server, dropped afterwards (its URL is yielded)."""
    name = f"{prefix}_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server_url.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        store.dispose_engine(url)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A private copy of the storage-test corpus, free to edit."""
    dest = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, dest)
    return dest


def dump(url: str) -> dict[str, list[tuple]]:
    """Every row of every table (alembic_version included), in a stable order: a logical dump."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            out = {}
            for table_name in sorted(inspect(conn).get_table_names()):
                rows = conn.execute(text(f'SELECT * FROM "{table_name}"')).all()
                out[table_name] = sorted((tuple(r) for r in rows), key=repr)
            return out
    finally:
        engine.dispose()


@pytest.fixture
def cli():
    """Run `dtrc ...` in process; returns click's Result (stdout, stderr, exit_code)."""
    from typer.testing import CliRunner

    from comparator.cli import app

    runner = CliRunner()

    def run(*args: str, env: dict | None = None):
        return runner.invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)

    return run


@pytest.fixture
def dump_db():
    """The `dump` function, as a fixture (test modules here are not a package)."""
    return dump
