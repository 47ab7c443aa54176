"""Hostile text in the app (issue 14): with tests/fixtures/hostile loaded, every st.markdown body
shows script, HTML and links as escaped text, and only an http(s) source becomes a link."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from comparator import store
from tests.ui.conftest import rerun, run_page
from ui import common, state

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"


@pytest.fixture
def hostile_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'hostile.sqlite'}"
    store.load_paths([HOSTILE], url)
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    store.dispose_engine(url)


def _unsafe(body: str) -> list[str]:
    """Markup Streamlit's Markdown would turn into an element or a link: raw tags, unescaped
    `[...](...)` / `![...](...)`, and javascript: targets."""
    found = re.findall(r"(?<!\\)<(?:script|img|svg|iframe|style|a|body)\b", body, re.I)
    found += [m.group() for m in re.finditer(r"(?<!\\)!?(?<!\\)\[[^\]]*(?<!\\)\]\((?!https?://)[^)]*\)", body)]
    found += re.findall(r"\]\(javascript:", body, re.I)
    return found


def test_search_page_escapes_hostile_quotes_titles_and_sources(hostile_db):
    at = run_page("search")
    at.text_input(key=state.SEARCH_TEXT).input("pwned")
    rerun(at)
    bodies = [m.value for m in at.markdown]
    assert any("pwned" in b for b in bodies), bodies  # the hostile text reached the page
    assert [u for b in bodies for u in _unsafe(b)] == []
    assert not any("javascript:" in b and "](" in b for b in bodies)


def test_only_http_sources_become_links():
    assert common.citation_md("X 1", "javascript:alert(1)") == "**X 1**"
    assert common.citation_md("X 1", "data:text/html,<script>") == "**X 1**"
    linked = common.citation_md("X 1", "https://example.org/a b)(<c>")
    assert linked.startswith("[**X 1**](https://example.org/a%20b%29%28%3Cc%3E)")
