"""Report format md: the comparison or conflict report as Markdown (jinja2 template).

Part of the report stage (compare/checks -> **report** -> cli/ui): the view from
:mod:`.views` drawn by ``templates/{comparison,conflicts}.md.j2``; text goes through
:func:`~comparator.report.templating.md_escape`.
"""
from __future__ import annotations

from .templating import render_view
from .views import ReportOptions


def render(data: dict, options: ReportOptions) -> str:
    return render_view("md", data, options)
