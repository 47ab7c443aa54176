"""The UI on a team's PostgreSQL database: first start loads it, an edit is seen at once.

The server comes from the storage tests' fixture (``$DATABASE_URL_PG``, or a throwaway
cluster via .ci/pg-up.sh; never skipped under CI).
"""
import pytest

from comparator import store
from tests.store.conftest import pg_server_url, throwaway_pg_database  # noqa: F401 - fixture shared with the storage tests
from tests.ui.conftest import ROOT, rerun, run_page
from tests.ui.test_editor import VALID
from ui import state


@pytest.fixture
def pg_url(pg_server_url, monkeypatch):  # noqa: F811 - pytest fixture injection
    with throwaway_pg_database(pg_server_url, prefix="ui") as url:
        monkeypatch.setenv("DATABASE_URL", url)
        yield url

BUNDLED = len(list((ROOT / "rules").glob("*.dtr")))  # one regime per top-level rule file


def test_first_start_and_an_editor_load_on_postgresql(pg_url):
    at = run_page("overview")
    assert {m.label: m.value for m in at.metric}["Regimes"] == str(BUNDLED)
    editor = run_page("editor")
    editor.text_input(key=state.EDITOR_FILE_NAME).input("ui_test.dtr")
    editor.text_area(key=state.EDITOR_TEXT).input(VALID)
    rerun(editor)
    editor.button(key=state.EDITOR_LOAD).click()
    rerun(editor)
    assert store.get_regime("UI_TEST", pg_url).regime.title == "A regime written in the editor"
    assert {m.label: m.value for m in run_page("overview").metric}["Regimes"] == str(BUNDLED + 1)
