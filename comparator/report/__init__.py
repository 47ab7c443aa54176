"""Reports: comparison and conflict results as md, html, csv, xlsx, docx and json files.

Pipeline position: compare/checks -> **report** -> cli (``dtrc compare/conflicts --format``,
``dtrc report``) and ui. Nothing here decides anything about the law: every format is
rendered from the result's ``to_dict()`` (DESIGN.md section 5), the one source of every
output, the way sqlfluff renders all its formats from one dict. A dict goes through one
*view* step (:mod:`.views`) that turns contract fields into the labelled lines a reader
sees; every format draws those same lines, so a cell says the same thing in Markdown,
HTML, a spreadsheet and a Word table.

One module per format, as sqlglot has one per dialect: :mod:`.markdown`, :mod:`.html`
(jinja2 templates in ``templates/``, see :mod:`.templating`), :mod:`.tabular` (csv),
:mod:`.xlsx`, :mod:`.docx` (zip files pinned by :mod:`.ooxml`), :mod:`.json_format`;
:mod:`.dispatch` picks one by name.

Public API::

    render(result, fmt, options=None) -> str | bytes
    write_report(result, fmt, out=None, options=None)   # out=None: stdout (text formats only)
    check_target(fmt, out)                              # refuse a binary format without a file, early
    render_workbook(results, options=None) -> bytes     # several results, one sheet each
    render_index(entries, options=None) -> str          # index.html of a report set
    corpus_hash(corpus) -> str

``result`` is a :class:`~comparator.model.Comparison`, a
:class:`~comparator.model.ConflictReport`, or the dict of either. Output is deterministic
for the same result and options: rows keep the engine's (sorted) order, and the only time
stamp is the footer's "generated" date, which ``ReportOptions.generated_at`` or the
``SOURCE_DATE_EPOCH`` environment variable pins. xlsx and docx are zip files; their entry
times and document properties are set from that same date so that they too come out
byte-identical.
"""
from __future__ import annotations

from .dispatch import RENDERERS, check_target, is_report_file, render, with_corpus, write_report
from .docx import render_docx
from .html import render_index
from .tabular import comparison_csv, comparison_csv_columns, conflict_csv_columns, conflicts_csv
from .templating import environment, md_code, md_escape
from .views import (
    BINARY_FORMATS,
    CELL_FIELDS,
    COMPARISON_CSV_COLUMNS,
    CONFLICT_CSV_COLUMNS,
    EXTENSIONS,
    FIELD_LABELS,
    FORMATS,
    HATCH_COLOUR,
    HEADER_COLOUR,
    LIST_SEPARATOR,
    SENTENCE_SEPARATOR,
    SEVERITIES,
    SEVERITY_COLOURS,
    SEVERITY_MEANINGS,
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUS_MEANINGS,
    ReportError,
    ReportOptions,
    as_dict,
    comparison_view,
    conflicts_view,
    corpus_hash,
    is_comparison,
    parse_fields,
    resolve_generated_at,
)
from .xlsx import render_workbook

__all__ = [
    "is_report_file",
    "RENDERERS", "check_target", "render", "with_corpus", "write_report", "render_docx", "render_index",
    "comparison_csv", "comparison_csv_columns", "conflict_csv_columns", "conflicts_csv",
    "environment", "md_code", "md_escape",
    "BINARY_FORMATS", "CELL_FIELDS", "COMPARISON_CSV_COLUMNS", "CONFLICT_CSV_COLUMNS", "EXTENSIONS", "FIELD_LABELS",
    "FORMATS", "HATCH_COLOUR", "HEADER_COLOUR", "LIST_SEPARATOR", "SENTENCE_SEPARATOR", "SEVERITIES",
    "SEVERITY_COLOURS", "SEVERITY_MEANINGS", "STATUS_COLOURS", "STATUS_LABELS", "STATUS_MEANINGS", "ReportError", "ReportOptions",
    "as_dict", "comparison_view", "conflicts_view", "corpus_hash", "is_comparison", "parse_fields",
    "resolve_generated_at", "render_workbook",
]
