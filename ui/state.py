"""Session-state and widget keys, in one place (the Streamlit `hello` app habit).

Pages and tests refer to widgets by these names (``at.multiselect(key=COMPARE_REGIMES)``),
so renaming a key is one edit and a typo is an AttributeError, not a silently new widget.
"""

# Overview
OVERVIEW_CHART = "overview.chart"
OVERVIEW_REGIME = "overview.regime"
OVERVIEW_TOPIC = "overview.topic"
OVERVIEW_SHOWN = "overview.shown"  # the regimes drawn in the heatmap, when there are too many for one chart
OVERVIEW_LAST_CLICK = "overview.last_click"  # the chart selection already copied into the pickers

# Compare
COMPARE_REGIMES = "compare.regimes"
COMPARE_TOPICS = "compare.topics"
COMPARE_AS_OF = "compare.as_of"
COMPARE_LINEAGE = "compare.lineage"

# Conflicts
CONFLICTS_PRESET = "conflicts.preset"
CONFLICTS_KIND = "conflicts.kind"
CONFLICTS_COUNTRY = "conflicts.country"
CONFLICTS_ASSUME = "conflicts.assume"
CONFLICTS_ROLE = "conflicts.role"
CONFLICTS_JURISDICTIONS = "conflicts.jurisdictions"
CONFLICTS_REGIMES = "conflicts.regimes"
CONFLICTS_AS_OF = "conflicts.as_of"

# Accession (each also a query parameter: ?country=CN&agreements=CPTPP,DEPA&as_of=2026-06-01)
ACCESSION_COUNTRY = "accession.country"
ACCESSION_AGREEMENTS = "accession.agreements"
ACCESSION_AS_OF = "accession.as_of"

# Rule editor
EDITOR_UPLOAD = "editor.upload"
EDITOR_UPLOADED_ID = "editor.uploaded_id"  # the upload already copied into the text area
EDITOR_TEXT = "editor.text"
EDITOR_FILE_NAME = "editor.file_name"
EDITOR_LOAD = "editor.load"
EDITOR_TOKEN = "editor.token"  # asked for when the app listens beyond loopback
EDITOR_LOADED = "editor.loaded"  # outcome of the last load, shown after the rerun it causes

# Search
SEARCH_TEXT = "search.text"
SEARCH_REGIMES = "search.regimes"
SEARCH_TOPICS = "search.topics"
