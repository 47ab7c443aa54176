"""Report format html: the comparison or conflict report, and a report set's index page.

Part of the report stage (compare/checks -> **report** -> cli/ui): the view from
:mod:`.views` drawn by ``templates/*.html.j2`` (autoescaped).
"""
from __future__ import annotations

from .templating import _render_template, render_view
from .views import ReportOptions, _footer, _pinned


def render(data: dict, options: ReportOptions) -> str:
    return render_view("html", data, options)


def render_index(entries: list[dict], options: ReportOptions | None = None, title: str = "Digital trade rules: reports",
                 meta: str = "") -> str:
    """index.html of a report set. ``entries``: ``{"section", "title", "files": {fmt: name}}``;
    ``meta``: one line under the title (as-of date, topics)."""
    options = _pinned(options)
    sections: dict[str, list[dict]] = {}
    for entry in entries:
        sections.setdefault(entry["section"], []).append(entry)
    return _render_template("index.html.j2", {"title": title, "meta": meta, "sections": [
        {"name": name, "entries": items} for name, items in sections.items()], "footer": _footer(options)})
