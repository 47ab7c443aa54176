"""Entry point of the web UI: routes to the pages, nothing else.

Run with `dtrc ui` (which loads the bundled rules if the database is empty, then starts
Streamlit) or directly with `streamlit run ui/app.py`; the pages themselves do the first
start load too, so both work on an empty database. See docs/ui.md.
"""
import sys
from pathlib import Path

import streamlit as st

# Pages import `ui.data`, `ui.state`: make the checkout importable however Streamlit was started.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# A bundled image, not a `:material/...` icon: Streamlit fetches those favicons from Google Fonts,
# a request off the team's network on every page load (tests/ui/test_browser_hostile.py).
st.set_page_config(page_title="Digital Trade Rules Comparator",
                   page_icon=str(Path(__file__).resolve().parent / "assets" / "favicon.png"), layout="wide")

# Not "pages/": Streamlit treats a pages/ folder beside the entrypoint as its legacy file-based
# navigation, and a deep link (/compare) opened before any session ran app.py would then run the
# page alone: no routing, no page config, wrong sidebar.
VIEWS = Path(__file__).resolve().parent / "views"
st.navigation([
    st.Page(VIEWS / "overview.py", title="Overview", icon=":material/grid_on:", default=True),
    st.Page(VIEWS / "compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    st.Page(VIEWS / "conflicts.py", title="Conflicts", icon=":material/warning:", url_path="conflicts"),
    st.Page(VIEWS / "accession.py", title="Accession", icon=":material/how_to_reg:", url_path="accession"),
    st.Page(VIEWS / "search.py", title="Search", icon=":material/search:", url_path="search"),
    st.Page(VIEWS / "editor.py", title="Rule editor", icon=":material/edit_note:", url_path="editor"),
]).run()
