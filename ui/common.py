"""Drawing helpers shared by the pages: errors without tracebacks, citations, status words.

Pipeline position: ui only. These helpers turn library results and exceptions into
Streamlit elements; they hold no comparison logic (labels and palettes come from
comparator.report, so the UI and the reports say and colour the same thing).
"""
from __future__ import annotations

import logging
import re
from typing import Callable, TypeVar
from urllib.parse import quote

import streamlit as st

from comparator import sentences as en
from comparator.bilingual import quoted
from comparator.errors import DtrError, SourceCache, UserError, render_all
from comparator.model import Norm
from comparator.report import HATCH_COLOUR, SEVERITY_MEANINGS, STATUS_COLOURS, STATUS_LABELS, STATUS_MEANINGS

from . import data

T = TypeVar("T")
log = logging.getLogger("dtrc.ui")

__all__ = ["HATCH_COLOUR", "SEVERITY_MEANINGS", "STATUS_COLOURS", "STATUS_LABELS", "STATUS_MEANINGS",
           "show_problem", "guarded", "open_database", "plain", "quote_block", "show_quote", "conflict_side", "words",
           "citation_md", "source_links",
           "status_badge", "severity_badge"]


def show_problem(exc: BaseException, sources: dict[str, str] | None = None) -> None:
    """A problem as the user should see it: diagnostics as `dtrc check` prints them, a refused
    request as its message and hint, anything else as a plain apology (logged in full)."""
    if isinstance(exc, DtrError):
        st.error(f"{len(exc.diagnostics)} problem(s) in the rules")
        st.code(render_all(exc.diagnostics, SourceCache(sources)), language=None)
    elif isinstance(exc, UserError):
        st.error(exc.message)
        if exc.hint:
            st.caption(f"Hint: {exc.hint}")
    else:
        log.exception("unexpected error in the UI")
        st.error("Something went wrong while preparing this page. The details are in the server log; "
                 "please report them with what you were doing.")


def guarded(fn: Callable[..., T], *args, **kwargs) -> T:
    """Call ``fn``; on any error show it (no traceback) and stop drawing this page."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the UI's one place that turns errors into messages
        show_problem(exc)
        st.stop()
        raise  # unreachable: st.stop() raises; keeps type checkers happy


def open_database() -> tuple[str, str]:
    """(url, version) of the database, loading the bundled rules on first start; a caption in
    the sidebar says which database the page reads."""
    url, version = guarded(data.url_and_version)
    regimes = guarded(data.regimes, url, version)
    newest = max((r.loaded_at for r in regimes), default=None)
    st.sidebar.caption(f"Database: `{data.display_url(url)}`  \n{len(regimes)} regimes"
                       + (f", last loaded {newest:%Y-%m-%d %H:%M} UTC" if newest else ""))
    return url, version


# Every ASCII punctuation character may be backslash-escaped in CommonMark; Streamlit adds
# `$` (LaTeX) and `:` (emoji, colour directives). Escaping them all shows author text as written:
# a quote opening "1. A controller..." is not a numbered list, "*" is not emphasis.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def plain(text: str | None) -> str:
    """Author or engine text (quotes, titles, explanations) for st.markdown, shown exactly as written."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text or "")


def quote_block(text: str) -> str:
    """A verbatim quote as a Markdown block quote, line breaks kept."""
    return "\n".join("> " + plain(line) for line in text.split("\n"))


def show_quote(result) -> None:
    """A Cell's or ConflictSide's quote; beside a non-English original, its English in a second
    column, labelled as a translation (with its source) or as the encoder's gloss."""
    q = quoted(result)
    if q is None:
        return
    if not q.english:
        st.markdown(quote_block(q.original))
        return
    left, right = st.columns(2)
    with left:
        st.caption(plain(q.original_label))
        st.markdown(quote_block(q.original))
    with right:
        st.caption(plain(q.label))
        st.markdown(quote_block(q.english) if q.kind == "translation" else plain(q.english))


def conflict_side(column, side, sources: dict[str, str | None], vocab=None) -> None:
    """One side of a conflict card (Conflicts and Accession pages): citation linked to its source,
    the norm in words when a vocabulary is given, conditions, escape routes, the quote with its
    English beside it, and a warning when the side is encoded from a paraphrase."""
    with column:
        where = side.citation
        st.markdown(citation_md(side.provision, sources.get(side.regime), where.path if where else None,
                                where.line if where else None))
        if vocab is not None:
            st.markdown(norm_md(vocab, side.regime, side.bearers, side.modality, side.stance, side.action,
                                side.objects, side.destinations))
        if side.conditions:
            st.caption("When: " + plain("; ".join(side.conditions)))
        if side.escape_routes:
            st.caption("Unless: " + ", ".join(side.escape_routes))
        show_quote(side)
        if side.status == "unverified":
            st.caption(":orange[Encoded from a paraphrase (unverified): check the instrument's text.]")


def words(term: str | None) -> str:
    """A vocabulary id as words: ``cross_border_transfer`` -> ``cross border transfer``."""
    return (term or "").replace("_", " ")


def label(vocab, term: str | None) -> str:
    """A vocabulary term by its label (docs/language.md section 7), never its id."""
    return en.label(vocab, term) if term else ""


def labels(vocab, terms) -> str:
    return ", ".join(label(vocab, t) for t in terms)


def norm_md(vocab, regime: str, bearers, modality: str, stance, action: str, objects=(), destinations=()) -> str:
    """A norm as a sentence: 'A controller must not transfer personal information across borders to a third country'.
    Conditions and escape routes are shown beside it by the pages, so they are left out here."""
    norm = Norm(bearers=list(bearers), modality=modality, stance=stance, action=action, objects=list(objects),
                destinations=list(destinations))
    return plain(en.capitalise(en.norm_sentence(vocab, regime, norm)))


def bound_words(conflict) -> str:
    """Who is bound by both, by country name where the engine gives codes."""
    return en.countries(conflict.bound_countries) if conflict.bound_countries else plain(conflict.bound)


def citation_md(provision: str, source: str | None, path: str | None = None, line: int | None = None) -> str:
    """``CPTPP 14.11.2`` linked to the instrument's official text, with the rule file position."""
    # Only a web address becomes a link (never javascript: or data:), percent-encoded so that a
    # bracket or space in it cannot end the Markdown link early.
    link = source if source and re.match(r"https?://", source, re.I) else None
    cite = (f"[**{provision}**]({quote(link, safe=':/?#[]@!$&*+,;=%~')})" if link
            else f"**{provision}**")
    return cite + (f" · `{path}:{line}`" if path and line else "")


def source_links(url: str, version: str) -> dict[str, str | None]:
    """Regime id -> URL of its official text (the `source:` field of its rule file)."""
    return data.sources(url, version)


def status_badge(status: str) -> str:
    """A coloured label for a cell status (Streamlit's inline background colour syntax)."""
    colour = {"binding": "green", "best_endeavour": "orange", "recognition": "blue", "absent": "gray",
              "not_encoded": "violet"}[status]
    return f":{colour}-background[{STATUS_LABELS[status]}]"


def severity_badge(severity: str) -> str:
    colour = {"high": "red", "medium": "orange", "low": "blue"}[severity]
    return f":{colour}-background[{severity}]"
