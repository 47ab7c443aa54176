"""Report dispatcher: a result and a format name -> the rendered report, or a file.

Last step of the report stage (compare/checks -> **report** -> cli/ui). Nothing here
decides anything about the law: every format is rendered from the result's ``to_dict()``
(DESIGN.md section 5), the one source of every output, by one module per format
(:mod:`.markdown`, :mod:`.html`, :mod:`.tabular`, :mod:`.xlsx`, :mod:`.docx`,
:mod:`.json_format`), picked here by name in the manner of sqlglot's one module per dialect.
"""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Callable

from . import docx, html, json_format, markdown, tabular, xlsx
from .views import BINARY_FORMATS, EXTENSIONS, FORMATS, ReportError, ReportOptions, _pinned, as_dict, corpus_hash

# Each takes the result's dict and pinned options; FORMATS is the order users see.
RENDERERS: dict[str, Callable[[dict, ReportOptions], str | bytes]] = {
    "md": markdown.render,
    "html": html.render,
    "csv": tabular.render,
    "xlsx": xlsx.render,
    "docx": docx.render,
    "json": json_format.render,
}


def render(result, fmt: str, options: ReportOptions | None = None) -> str | bytes:
    """``result`` (a Comparison, a ConflictReport, or the dict of one) in format ``fmt``."""
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format `{fmt}`", "formats: " + ", ".join(FORMATS))
    return RENDERERS[fmt](as_dict(result), _pinned(options))




def check_target(fmt: str, out: Path | str | None) -> None:
    """Refuse, before any work, a format we do not know or a binary format bound for a terminal."""
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format `{fmt}`", "formats: text, " + ", ".join(FORMATS))
    if fmt in BINARY_FORMATS and out is None:
        raise ReportError(f"--format {fmt} writes a binary file: give it a name with -o FILE",
                          f"e.g. -o report.{EXTENSIONS[fmt]}")


def is_report_file(path: Path | str) -> bool:
    """Whether an existing file looks like one dtrc wrote (so replacing it loses nothing a person
    wrote): an empty file, an Office file whose creator is dtrc, a Markdown or HTML report with our
    footer, a CSV with our header, or JSON of a comparison or conflict report."""
    import json
    import zipfile

    path = Path(path)
    try:
        if path.stat().st_size == 0:
            return True
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                return b"<dc:creator" in (core := z.read("docProps/core.xml")) and b">dtrc</dc:creator>" in core
        with path.open("rb") as f:
            head = f.read(4096)
            f.seek(max(0, path.stat().st_size - 4096))
            tail = f.read()
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    first = head.split(b"\n", 1)[0]
    if first.startswith((b"topic,topic_label,", b"number,severity,")):
        return True
    if head.startswith((b"<!DOCTYPE html>", b"# ")) and (b"<footer>Generated " in tail or b"\nGenerated " in tail):
        return True
    if head.startswith(b"{"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return isinstance(data, dict) and ("rows" in data and "regimes" in data or "conflicts" in data)
    return False


def write_report(result, fmt: str, out: Path | str | None = None, options: ReportOptions | None = None) -> None:
    """Render ``result`` and write it to ``out`` (created or replaced), or to stdout when ``out``
    is None or ``-`` (text formats only: see :func:`check_target`)."""
    out = None if out in (None, "-") else Path(out)
    check_target(fmt, out)
    content = render(result, fmt, options)
    if out is None:
        sys.stdout.write(content)
        sys.stdout.flush()
        return
    try:
        if isinstance(content, bytes):
            out.write_bytes(content)
        else:
            out.write_text(content, encoding="utf-8", newline="")
    except OSError as exc:
        raise ReportError(f"cannot write {out}: {exc.strerror or exc}", "check the folder exists and is writable") from None


def with_corpus(options: ReportOptions, corpus) -> ReportOptions:
    """``options`` with the corpus hash filled in (unless already given)."""
    return options if options.corpus_hash else replace(options, corpus_hash=corpus_hash(corpus))
