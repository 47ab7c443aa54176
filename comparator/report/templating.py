"""Report templates: the jinja2 environment behind the Markdown and HTML formats.

Part of the report stage (compare/checks -> **report** -> cli/ui). Templates live in
``comparator/report/templates``: jinja2 with StrictUndefined (a misspelt field fails
loudly instead of printing nothing) and autoescape on for ``*.html.j2``; Markdown text
goes through :func:`md_escape`.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .accession import accession_view, is_accession
from .views import ReportOptions, comparison_view, conflicts_view, is_comparison


# `_` only at a word's edge: inside a word (personal_data) CommonMark never reads it as emphasis,
# and leaving it bare keeps identifiers readable in the Markdown source.
_MD_SPECIAL = re.compile(r"([\\`*\[\]|#~!]|(?<!\w)_|_(?!\w))")


def md_escape(value: Any) -> str:
    """Text for Markdown, shown as written: markup characters escaped, HTML as entities (so
    a quote holding ``<script>`` is text on any renderer), one line (tables need it)."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())


def md_code(value: Any) -> str:
    """An identifier as a code span (identifiers never hold a backtick: the grammar forbids it)."""
    return f"`{value}`"


_ENV = None


def environment():
    global _ENV
    if _ENV is None:
        import jinja2  # lazy: `dtrc check` and friends never pay for it

        _ENV = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
            autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=True,
                                                default=False),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        _ENV.filters["md"] = md_escape
        _ENV.filters["code"] = md_code
    return _ENV


def _render_template(name: str, view: dict) -> str:
    return environment().get_template(name).render(**view)


def render_view(fmt: str, data: dict, options: ReportOptions) -> str:
    """The view of ``data`` through ``{comparison,conflicts,accession}.{fmt}.j2`` (md and html share it)."""
    if is_accession(data):
        return _render_template(f"accession.{fmt}.j2", accession_view(data, options))
    comparison = is_comparison(data)
    view = comparison_view(data, options) if comparison else conflicts_view(data, options)
    return _render_template(f"{'comparison' if comparison else 'conflicts'}.{fmt}.j2", view)
