"""No page shows a traceback: refused requests and database problems are messages."""
import pytest

from comparator import store
from tests.ui.conftest import run_page
from ui import state

PAGES = ["overview", "compare", "conflicts", "search", "editor"]


@pytest.mark.parametrize("page", PAGES)
def test_an_unreachable_database_is_a_message(page, monkeypatch):
    # Nothing listens on port 9 of localhost: the connection is refused at once.
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/dtrc")
    at = run_page(page)
    (error,) = at.error
    assert error.value.startswith("database postgresql+psycopg://nobody@127.0.0.1:9/dtrc: ")
    assert not at.exception


def test_a_bug_is_an_apology_not_a_traceback(db_url, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the engine")

    monkeypatch.setattr(store, "search_provisions", broken)
    at = run_page("search")
    at.text_input(key=state.SEARCH_TEXT).input("words no other test searches for")  # not in the cache
    at.run()
    assert [e.value for e in at.error] == [
        "Something went wrong while preparing this page. The details are in the server log; "
        "please report them with what you were doing."]
    assert "a bug in the engine" not in "".join(m.value for m in at.markdown)
