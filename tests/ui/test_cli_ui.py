"""`dtrc ui`: first-start load, then exec of Streamlit with the documented flags."""
import subprocess
import sys

from typer.testing import CliRunner

from pathlib import Path

from comparator import store
from comparator.cli import app
from comparator.cli import ui as ui_cli


RULES = Path(__file__).resolve().parents[2] / "rules"
# One regime per top-level rule file; vocabulary/ and expectations/ hold the rest.
REGIME_FILES = len(list(RULES.glob("*.dtr")))
ALL_FILES = len(list(RULES.rglob("*.dtr")))


def _capture_exec(monkeypatch) -> list:
    calls = []
    monkeypatch.setattr(ui_cli.os, "execvpe", lambda file, args, env: calls.append((file, args, env)))
    return calls


def test_loads_an_empty_database_then_execs_streamlit(tmp_path, monkeypatch):
    calls = _capture_exec(monkeypatch)
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    result = CliRunner().invoke(app, ["ui", "--db", url, "--port", "8765"])
    assert result.exit_code == 0, result.output
    assert f"first start: loaded {ALL_FILES} file(s)" in result.output
    assert len(store.list_regimes(url)) == REGIME_FILES
    ((file, args, env),) = calls
    assert file == sys.executable and args[1:4] == ["-m", "streamlit", "run"]
    assert args[4] == str(ui_cli.UI_APP) and ui_cli.UI_APP.is_file()
    flags = dict(zip(args[5::2], args[6::2]))
    assert flags["--server.headless"] == "true"
    assert flags["--server.address"] == "127.0.0.1" and flags["--server.port"] == "8765"
    assert flags["--server.maxUploadSize"] == "1"
    assert flags["--client.showErrorDetails"] == "none"  # no tracebacks in the browser
    assert env["DATABASE_URL"] == url  # the app reads what was just loaded

    # Second start: the rules are there, nothing is loaded again.
    again = CliRunner().invoke(app, ["ui", "--db", url, "--address", "0.0.0.0"])
    assert "first start" not in again.output and "serving" in again.output
    assert dict(zip(calls[1][1][5::2], calls[1][1][6::2]))["--server.address"] == "0.0.0.0"
    store.dispose_engine(url)


def test_a_bad_database_url_is_a_message_and_exit_2():
    done = subprocess.run([sys.executable, "-m", "comparator", "ui", "--db", "nosuchdb://nowhere"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("dtrc: cannot use database URL 'nosuchdb://nowhere'")
    assert "Traceback" not in done.stderr
