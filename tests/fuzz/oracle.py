"""The property every fuzz input must keep, and a per-input watchdog.

For any bytes or text: reading, parsing, validating (against the bundled vocabulary) and
rendering the findings give either a corpus with no errors or the project's own ``DtrError``
whose every diagnostic has a known code and a path:line:col inside the input — never another
exception, never a hang. When the text parses without value errors, ``fmt`` keeps its meaning
(``semantic_equal``); whenever it parses, formatting fmt's output again changes nothing.
"""
from __future__ import annotations

import functools
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from comparator.errors import CODES, Diagnostic, DtrError, SourceCache, render_all
from comparator.fmt import format_file, format_text
from comparator.model import semantic_equal
from comparator.parse import decode_source, parse_text
from comparator.validate import validate

from .inputs import bundled

PATH = "fuzz.dtr"


class Hang(BaseException):
    """Raised by the watchdog (a BaseException so that no `except Exception` in the code swallows it)."""


class Broken(AssertionError):
    """The property does not hold for this input."""


@dataclass
class Outcome:
    kind: str  # "valid" | "rejected"
    codes: tuple[str, ...] = ()


@functools.lru_cache(maxsize=1)
def _vocabulary():
    return [parse_text(text, path) for path, text in bundled().items() if path.startswith("rules/vocabulary/")]


@contextmanager
def watchdog(seconds: float):
    """Interrupt the input after ``seconds`` with Hang (SIGALRM in the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _fire(signum, frame):
        raise Hang(f"no result after {seconds} s")

    old = signal.signal(signal.SIGALRM, _fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _check_diagnostics(diags: list[Diagnostic], text: str) -> None:
    lines = text.split("\n")
    for d in diags:
        if d.code not in CODES:
            raise Broken(f"undocumented code {d.code}")
        s = d.span
        if s is None or s.line < 1 or s.column < 1:
            raise Broken(f"{d.code} without path:line:col")
        if s.path == PATH and (s.line > len(lines) + 1):
            raise Broken(f"{d.code} points at line {s.line} of a {len(lines)}-line input")


def check_input(data: str | bytes) -> Outcome:
    """Run one input through the first stages; raise Broken (or whatever escapes) when the property fails."""
    try:
        text = decode_source(data, PATH) if isinstance(data, bytes) else data
        result = parse_text(text, PATH)
    except DtrError as exc:
        shown = data if isinstance(data, str) else data.decode("utf-8", errors="replace")
        _check_diagnostics(exc.diagnostics, shown)
        render_all(exc.diagnostics, SourceCache({PATH: shown}))
        return Outcome("rejected", tuple(d.code for d in exc.diagnostics))
    diags = validate([result, *_vocabulary()], report_paths={PATH})
    _check_diagnostics(diags, text)
    render_all(diags, SourceCache({PATH: text}))
    formatted = format_file(result.file, text)
    again = parse_text(formatted, PATH)
    # A value error (an impossible date, a missing kind) leaves a partial model whose meaning is
    # undefined; there fmt must still not crash and must be idempotent.
    if not result.diagnostics and not semantic_equal(again.file, result.file):
        raise Broken("fmt changed the meaning")
    if format_text(formatted, PATH) != formatted:
        raise Broken("fmt is not idempotent")
    errors = tuple(d.code for d in diags if d.severity == "error")
    return Outcome("rejected" if errors else "valid", errors)
