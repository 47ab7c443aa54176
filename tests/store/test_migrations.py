"""The Alembic migrations build exactly the schema the ORM declares, on every backend."""
from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

import comparator
from comparator import store

PACKAGE = Path(comparator.__file__).parent


def test_upgrade_head_gives_exactly_the_orm_schema(db_url):
    store.upgrade(db_url)
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, store.Base.metadata) == []
            assert context.get_current_revision() == store.head_revision()
    finally:
        engine.dispose()


def test_db_upgrade_command_is_idempotent(cli, db_url):
    first = cli("db", "upgrade", "--db", db_url)
    assert first.exit_code == 0, first.output
    assert first.stdout.strip().endswith(f"upgraded from an empty database to revision {store.head_revision()}")
    second = cli("db", "upgrade", "--db", db_url)
    assert second.stdout.strip().endswith(f"already at revision {store.head_revision()}")


def test_migrations_ship_inside_the_package_without_alembic_ini():
    assert store.MIGRATIONS_DIR == PACKAGE / "migrations"
    assert (store.MIGRATIONS_DIR / "env.py").is_file() and list((store.MIGRATIONS_DIR / "versions").glob("*.py"))
    assert not list(PACKAGE.rglob("alembic.ini"))


def test_production_code_never_calls_create_all():
    offenders = [str(p) for p in PACKAGE.rglob("*.py") if "create_all(" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_only_the_storage_layer_imports_sqlalchemy():
    allowed = {*(PACKAGE / "store").rglob("*.py"), *(PACKAGE / "migrations").rglob("*.py")}
    offenders = [str(p) for p in PACKAGE.rglob("*.py") if p not in allowed
                 and any(ln.lstrip().startswith(("import sqlalchemy", "from sqlalchemy"))
                         for ln in p.read_text(encoding="utf-8").splitlines())]
    assert offenders == []


def test_a_database_migrated_by_a_newer_dtrc_is_refused_plainly(cli, db_url, corpus):
    from sqlalchemy import text

    store.upgrade(db_url)
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    engine.dispose()
    store.dispose_engine(db_url)
    for args in (["load", corpus], ["list"], ["db", "upgrade"]):
        result = cli(*args, "--db", db_url)
        assert result.exit_code == 2, result.output
        assert "schema revision from_the_future, which this version of dtrc does not know" in result.stderr
