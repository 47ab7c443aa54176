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
    "E006": "file or line too long",
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
    "W001": "term without a label",
    "E050": "non-English quote without a translation or gloss",
}


# code -> what it means and how to fix it: the body of each section of docs/errors.md.
EXPLANATIONS: dict[str, str] = {
    "E001": "The words are not in an order the language allows: a field without its colon, a modality "
            "written as the instrument says it (`shall`) instead of `must`, a missing comma in a list. "
            "The message says what could come at that spot.",
    "E002": "A character the language does not use, such as single or curly quotes around text, or a "
            "carriage return without a line feed (old Mac line endings: save the file with LF or CRLF).",
    "E003": "Text opened with `\"` is not closed on the same line. Texts cannot span lines; "
            "write `\\\"` for a quote mark inside a text.",
    "E004": "The file stops in the middle of a block, usually because a `}` is missing. The hint "
            "names the line where the unclosed block opened.",
    "E005": "The file cannot be read, is not UTF-8 text, or holds NUL bytes. Save it as UTF-8.",
    "E006": "A rule file holds at most 1,000,000 characters and a line at most 10,000 (the bundled "
            "files are under 50,000 and 1,000). Longer texts are refused before parsing, so that a pasted "
            "document or a corrupted file cannot stall the checker, the formatter or the app.",
    "E010": "A term (action, object, role, test, exception kind, scope) is not in the vocabulary. "
            "Check the spelling (the hint suggests close names) or declare it in a vocabulary block.",
    "E011": "The term exists but is of another kind: an object where an action is needed, for example.",
    "E012": "The topic is not one of the topic ids in the vocabulary (DESIGN.md section 6 lists the stable ones).",
    "E013": "Parties and jurisdictions are ISO 3166-1 alpha-2 codes in capitals (`GB`, not `UK`) or "
            "a group declared in the vocabulary (`EU`).",
    "E014": "A field takes one of a fixed set of values (regime `kind`, `status`, a conflict kind) and this is not one.",
    "E020": "The same citation, regime, party or term is declared twice. The note points at the first one.",
    "E021": "An `unless`, `replaced_by`, `except`, `defer` or expectation cites a provision that the regime does not have.",
    "E022": "An exception's `applies_to` names a provision that does not exist, so the exception qualifies nothing.",
    "E023": "An expectation names a regime that is not among the rules checked.",
    "E030": "The date has the right shape but is not in the calendar (30 February).",
    "E031": "Dates contradict each other: in force before signed, ending before starting, leaving before joining.",
    "E040": "Every regime says whom it binds: a treaty its `parties`, a law or contract clauses their `jurisdiction`.",
    "E041": "A text field is empty. Give the text or leave the field out.",
    "E042": "A provision holds exactly one norm. Split a paragraph with two norms into two provisions. "
             "Only a skeleton marked `status: unverified` (an imported draft) may wait for its norm.",
    "E043": "A file encodes one instrument. Put a second regime in its own file.",
    "E044": "Every provision says which topic(s) it belongs to, so that it can be compared "
             "(a skeleton without a norm, marked `status: unverified`, may wait for its topic).",
    "E045": "A field is given twice in one block. Keep one; list several values with commas.",
    "E046": "Articles belong to a regime: the file needs a `regime` block.",
    "E047": "A provision or exception without a quote must be marked `status: unverified` (with a `note:` "
            "saying where the encoding comes from), so that readers know it is not checked against the text.",
    "E048": "`broader` links go round in a circle, so the hierarchy has no top.",
    "W001": "A warning, not an error (the check still passes): the term has no label, so explanations "
            "and reports would have to show its identifier. Write the label after the id, ready to go "
            "into a sentence: an action as a verb phrase (`\"transfer across borders\"`), an object as a "
            "noun phrase (`\"personal information\"`), a role as a singular noun phrase "
            "(`\"critical information infrastructure operator\"`), a topic as a title "
            "(docs/language.md section 7).",
    "E050": "A regime whose `language:` is not English quotes the original words; a verified quote "
            "needs English beside it so that a reader can follow it. Copy an English translation from "
            "a TRANSLATION block of the sources into `translation:` and say who made it in "
            "`translation_source:` (\"unofficial\" unless the translation is authentic), or, where the "
            "sources hold no translation, write your own English summary in `gloss:` (it is shown as "
            "the encoder's summary, never as a translation). A quote that is itself an English "
            "translation is marked `(translation)` and needs neither.",
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


class UserError(Exception):
    """A problem with what the user asked for (an unknown regime, an unreachable database), not
    with a rule file and not a bug. Every stage raises a subclass; the CLI and UI show the
    message and hint, never a traceback (exit 2)."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message

    def render(self) -> str:
        return f"dtrc: {self.message}" + (f"\n  hint: {self.hint}" if self.hint else "")


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
        lines = self._texts[path].split("\n")  # as lark counts lines
        return lines[number - 1] if 0 < number <= len(lines) else None


CLIP_AT = 1000  # longer source lines are shown clipped around the spot


def _excerpt(span: Span, sources: SourceCache) -> list[str]:
    text = sources.line(span.path, span.line)
    if text is None:
        return []
    text = text.expandtabs(1)
    column = span.column
    width = 1
    if span.end_line == span.line and span.end_column and span.end_column > span.column:
        width = span.end_column - span.column
    if len(text) > CLIP_AT:
        # A very long line is shown as a window around the spot, not printed whole.
        start = max(0, column - 1 - 40)
        text = ("…" if start else "") + text[start:start + 160] + ("…" if start + 160 < len(text) else "")
        column = column - start + (1 if start else 0)
        width = min(width, 160 - (column - 1))
    gutter = f"{span.line:>5} | "
    return [gutter + text, " " * (len(gutter) - 2) + "| " + " " * (column - 1) + "^" * max(width, 1)]


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
