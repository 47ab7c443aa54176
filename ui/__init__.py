"""The Streamlit web UI for negotiators: the last stage of the pipeline, beside the CLI.

``ui/app.py`` only routes (``st.navigation``); each page in ``ui/views/`` only calls the
library through :mod:`ui.data` (cached) and draws the result; session-state keys are
constants in :mod:`ui.state`. Nothing here decides anything about the law: comparisons,
conflicts, checks, searches and reports all come from ``comparator``.
"""
