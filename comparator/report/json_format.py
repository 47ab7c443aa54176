"""Report format json: the result's contract dict, unfiltered.

Part of the report stage (compare/checks -> **report** -> cli/ui). Exactly what
``dtrc compare/conflicts --format json`` prints; JSON keeps identifiers.
"""
from __future__ import annotations

import json

from .views import ReportOptions


def render(data: dict, options: ReportOptions) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
