"""`python -m comparator.migrations "message"`: autogenerate the next revision (developers only)."""
import sys
import tempfile
from pathlib import Path

from alembic import command

from comparator import store


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit('usage: python -m comparator.migrations "what changed"')
    with tempfile.TemporaryDirectory() as tmp:
        engine = store.get_engine(f"sqlite:///{Path(tmp) / 'autogen.sqlite'}")
        if store.head_revision() is not None:
            store.upgrade(engine)
        with engine.connect() as conn:
            command.revision(store._alembic_config(conn), message=sys.argv[1], autogenerate=True)
        engine.dispose()


if __name__ == "__main__":
    main()
