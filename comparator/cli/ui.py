"""`dtrc ui`: serve the web UI (ui/app.py in the checkout) with Streamlit.

Pipeline position: cli, beside the UI. Before Streamlit starts, the database is resolved
once (``--db`` > ``$DATABASE_URL`` > ./var/dtrc.sqlite) and, when it holds no rules yet,
the bundled rules/ are loaded through the storage layer, with findings printed as `dtrc
load` prints them. Then this process *becomes* Streamlit (``os.execvpe``), so signals
and the exit status are Streamlit's own and no parent lingers.

Address: 127.0.0.1 by default, so a laptop never exposes the UI to its network; a team
server behind a reverse proxy passes ``--address 0.0.0.0`` (docs/ui.md).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import EXIT_USAGE, app

# The UI is not part of the wheel: it is found beside the package in the checkout
# (an editable install, as `make install` does).
CHECKOUT = Path(__file__).resolve().parents[2]
UI_APP = CHECKOUT / "ui" / "app.py"
BUNDLED_RULES = CHECKOUT / "rules"
# Rule files above this size are refused by the upload widget itself (ui/data.py says why).
MAX_UPLOAD_MB = 1


def streamlit_command(port: int, address: str) -> list[str]:
    """The `streamlit run` command line: headless, no usage statistics, no file watcher
    (a served app does not reload itself), no tracebacks in the browser."""
    return [sys.executable, "-m", "streamlit", "run", str(UI_APP),
            "--server.headless", "true", "--server.address", address, "--server.port", str(port),
            "--server.fileWatcherType", "none", "--server.maxUploadSize", str(MAX_UPLOAD_MB),
            "--browser.gatherUsageStats", "false", "--client.showErrorDetails", "none",
            "--client.toolbarMode", "viewer", "--theme.base", "light"]


def ensure_rules_loaded(url: str) -> int:
    """Load rules/ into the database if it holds no rule files yet; returns how many files were stored."""
    from .. import store

    engine = store.get_engine(url)
    if store.current_revision(engine) is not None and store.list_files(engine):
        return 0
    return len(store.load_paths([BUNDLED_RULES], engine))


@app.command()
def ui(
    port: Annotated[int, typer.Option("--port", "-p", help="Port to serve on.")] = 8501,
    db: Annotated[Optional[str], typer.Option("--db", metavar="URL", show_default=False,
                                              help="SQLAlchemy database URL (default: $DATABASE_URL, else ./var/dtrc.sqlite).")] = None,
    address: Annotated[str, typer.Option("--address", help="Interface to listen on: 127.0.0.1 (this machine only) "
                                                           "or 0.0.0.0 (behind a team's reverse proxy).")] = "127.0.0.1",
) -> None:
    """Serve the web UI on http://ADDRESS:PORT, loading the bundled rules first if the database is empty."""
    if not UI_APP.exists():
        typer.echo(f"dtrc: the web UI is not in this installation (no {UI_APP})\n"
                   "  hint: run dtrc ui from a checkout installed with `pip install -e .` (make install)", err=True)
        raise typer.Exit(EXIT_USAGE)
    from .. import store

    url = store.resolve_url(db)
    stored = ensure_rules_loaded(url)  # a StoreError or DtrError reaches main(): message, no traceback
    where = store.display_url(store.get_engine(url))
    if stored:
        typer.echo(f"dtrc: first start: loaded {stored} file(s) from {BUNDLED_RULES} into {where}", err=True)
    typer.echo(f"dtrc: serving {where} on http://{address}:{port}/", err=True)
    # The app resolves the database from DATABASE_URL: pass the one resolved here, absolute,
    # so that the UI reads exactly what was just loaded whatever directory Streamlit runs in.
    # The address goes along too: off loopback, the Rule editor loads only with DTRC_EDITOR_TOKEN.
    env = dict(os.environ, DATABASE_URL=url, DTRC_UI_ADDRESS=address)
    command = streamlit_command(port, address)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execvpe(command[0], command, env)
