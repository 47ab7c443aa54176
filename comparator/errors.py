"""Diagnostics: every problem a user can cause, as data first, rendered as text or JSON.

Used by parse and validate (which produce them), and by the CLI and UI (which render
them). A diagnostic has a stable code (listed in ``CODES`` and documented in
docs/errors.md), a severity, a message, the span it points at, an optional hint and
related spans (e.g. the first declaration of a duplicate).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Literal

from pydantic import BaseModel

from .model import Span

Severity = Literal["error", "warning"]

# code -> one-line title. docs/errors.md documents each with an example; a test checks it.
CODES: dict[str, str] = {
    "E001": "syntax error: unexpected word or symbol",
    "E002": "unexpected character",
    "E003": "text not closed",
    "E004": "file ends too early",
    "E005": "file cannot be read",
    "E010": "unknown term",
    "E011": "term of the wrong kind",
    "E012": "unknown topic",
    "E013": "unknown country or group",
    "E014": "unknown value",
    "E020": "duplicate declaration",
    "E021": "reference to a provision that does not exist",
    "E022": "exception that applies to nothing",
    "E023": "reference to a regime that does not exist",
    "E030": "impossible date",
    "E031": "dates in the wrong order",
    "E040": "regime without parties or jurisdiction",
    "E041": "empty text",
    "E042": "provision without exactly one norm",
    "E043": "more than one regime in a file",
    "E044": "provision without a topic",
    "E045": "field given twice",
    "E046": "articles without a regime",
    "E047": "verified provision without a quote",
    "E048": "vocabulary cycle",
}


class Diagnostic(BaseModel):
    code: str
    severity: Severity = "error"
    message: str
    span: Span | None = None
    hint: str | None = None
    related: list[tuple[str, Span]] = []

    def sort_key(self) -> tuple:
        s = self.span
        return (s.path, s.line, s.column, self.code) if s else ("", 0, 0, self.code)

    def to_dict(self) -> dict:
        """The one JSON shape of a finding (used by ``--format json`` and the UI)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "path": self.span.path if self.span else None,
            "line": self.span.line if self.span else None,
            "column": self.span.column if self.span else None,
            "hint": self.hint,
            "related": [
                {"message": m, "path": s.path, "line": s.line, "column": s.column} for m, s in self.related
            ],
        }


class DtrError(Exception):
    """Raised once with every diagnostic collected; the only error type users see."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        super().__init__(f"{len(self.diagnostics)} problem(s)")


class SourceCache:
    """Reads source lines for rendering; texts given in memory (UI editor) take precedence."""

    def __init__(self, texts: dict[str, str] | None = None):
        self._texts = dict(texts or {})

    def line(self, path: str, number: int) -> str | None:
        if path not in self._texts:
            try:
                self._texts[path] = Path(path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                self._texts[path] = ""
        lines = self._texts[path].splitlines()
        return lines[number - 1] if 0 < number <= len(lines) else None


def _excerpt(span: Span, sources: SourceCache) -> list[str]:
    text = sources.line(span.path, span.line)
    if text is None:
        return []
    text = text.expandtabs(1)
    width = 1
    if span.end_line == span.line and span.end_column and span.end_column > span.column:
        width = span.end_column - span.column
    gutter = f"{span.line:>5} | "
    return [gutter + text, " " * (len(gutter) - 2) + "| " + " " * (span.column - 1) + "^" * width]


def render(diag: Diagnostic, sources: SourceCache | None = None) -> str:
    """``path:line:col: error[E010]: message``, the source line, a caret, then the hint."""
    sources = sources or SourceCache()
    where = f"{diag.span}: " if diag.span else ""
    out = [f"{where}{diag.severity}[{diag.code}]: {diag.message}"]
    if diag.span:
        out += _excerpt(diag.span, sources)
    for message, span in diag.related:
        out.append(f"  note: {span}: {message}")
        out += ["  " + line for line in _excerpt(span, sources)]
    if diag.hint:
        out.append(f"  hint: {diag.hint}")
    return "\n".join(out)


def render_all(diags: list[Diagnostic], sources: SourceCache | None = None, limit: int = 200) -> str:
    sources = sources or SourceCache()
    shown = [render(d, sources) for d in diags[:limit]]
    if len(diags) > limit:
        shown.append(f"... and {len(diags) - limit} more")
    return "\n\n".join(shown)


def to_json(diags: list[Diagnostic]) -> str:
    return json.dumps({"diagnostics": [d.to_dict() for d in diags]}, indent=2, ensure_ascii=False)
