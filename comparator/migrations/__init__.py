"""Alembic migrations of the dtrc schema (comparator.store's tables).

Shipped inside the package and configured in code (``comparator.store._alembic_config``),
so `dtrc db upgrade` works from an installed wheel without an alembic.ini. New revision,
from a checkout: ``python -m comparator.migrations "what changed"`` (autogenerates against
a throwaway SQLite database at head; review the file before committing).
"""
