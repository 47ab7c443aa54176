"""A real app server and a real browser, for the end-to-end tests and the docs screenshots.

Starts ``python -m streamlit run ui/app.py`` with the flags `dtrc ui` uses, on a free port
of 127.0.0.1, against the database given (``DATABASE_URL``), and drives Debian's
/usr/bin/chromium through playwright (never `playwright install`). See RECIPES.md section 2.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Iterator

from comparator.cli.ui import streamlit_command

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def app_server(database_url: str, log_path: Path, port: int | None = None) -> Iterator[str]:
    """Serve the UI until the block ends; yields its base URL (``http://127.0.0.1:PORT/``)."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}/"
    env = dict(os.environ, DATABASE_URL=database_url)
    with open(log_path, "w") as log:
        proc = subprocess.Popen(streamlit_command(port, "127.0.0.1"), stdout=log, stderr=subprocess.STDOUT,
                                cwd=ROOT, env=env)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if urllib.request.urlopen(url + "_stcore/health", timeout=1).read() == b"ok":
                        break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start; see {log_path}:\n{log_path.read_text()[-2000:]}")
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_until_idle(page, timeout_ms: int = 30_000) -> None:
    """Wait until Streamlit has finished the script run (its status widget says "Running…" meanwhile)."""
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=timeout_ms)
