"""Alembic environment: runs on the connection comparator.store hands over (never its own)."""
from alembic import context

from comparator.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `dtrc db upgrade` (comparator.store.upgrade), not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
    render_as_batch=True,
    # The caller holds one transaction for the whole upgrade (SQLite DDL is transactional too).
    transactional_ddl=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
