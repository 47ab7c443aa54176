"""Cached library calls: the only way the pages reach the database and the engine.

Pipeline position: ui, over store (read side, loader, search), compare/checks (results),
validate (the editor's checks) and report (downloads). Nothing here computes anything the
library does not: every function is one library call plus a cache.

Caching (docs/ui.md explains it for operators):

* ``st.cache_resource`` holds what is shared and never copied: the SQLAlchemy engine per
  database URL, the first-start load, and what is read from the database: the outline
  (every regime's own block and the vocabulary), the :class:`~comparator.model.Corpus` of
  the regimes a result needs, and the whole corpus for the pages that show every regime
  (the engine memoises its prepared vocabulary on each corpus object).
* A result reads only the regimes it needs: Compare the chosen ones; Conflicts and
  Accession those in play for the perspective, found on the outline (who binds whom needs
  no provision), and those it names. Every such result equals the engine's on the whole
  corpus (tests/ui/test_partial_reads.py).
* ``st.cache_data`` holds results (comparisons, conflict reports, searches, report bytes,
  check results), copied to each session so that no page can alter another's.
* Every cached read takes the database's **content version**: the batch id of the newest
  entry in the load history (``store.load_history``). Any ``dtrc load`` (CLI, another UI
  user, the rule editor) writes a new batch, so the next rerun of any page reads a fresh
  corpus and recomputes; nothing has to be cleared by hand and nothing expires on a timer.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import streamlit as st

from comparator import store
from comparator.accession import accession as run_accession
from comparator.model.accession import AccessionReport
from comparator.checks import conflict_report as run_conflict_report
from comparator.compare import compare as run_compare
from comparator.fmt import format_file
from comparator.lineage import Lineage, LineageIndex, article_of
from comparator.lineage import lineage as run_lineage
from comparator.model import Comparison, ConflictReport, Corpus, Perspective
from comparator.parse import parse_text
from comparator.perspective import InputError, prepare, regimes_in_play
from comparator.report import FORMATS, ReportOptions, corpus_hash, render
from comparator.validate import CheckResult, check_sources

# ui/ lives in the checkout beside rules/; the app serves those rules on first start.
REPO_ROOT = Path(__file__).resolve().parents[1]
BUNDLED_RULES = REPO_ROOT / "rules"

# A rule file is text a lawyer writes; the largest bundled one is about 60 kB. A megabyte is
# room for any real instrument and keeps a stray upload (a PDF, a database dump) out.
MAX_RULE_FILE_BYTES = 1_000_000
MAX_RULE_FILE_MB = 1

# Writing from the Rule editor on a team server: `dtrc ui --address` passes the address it
# listens on in DTRC_UI_ADDRESS. On loopback only this machine's user can reach the app; on any
# other address a load needs the token the server was started with (DTRC_EDITOR_TOKEN).
UI_ADDRESS_ENV = "DTRC_UI_ADDRESS"
EDITOR_TOKEN_ENV = "DTRC_EDITOR_TOKEN"


def serves_loopback_only(address: str | None = None) -> bool:
    import ipaddress

    address = address if address is not None else os.environ.get(UI_ADDRESS_ENV, "127.0.0.1")
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def editor_write_refusal(token: str | None) -> str | None:
    """Why a load from the editor is refused (None: allowed)."""
    import hmac

    if serves_loopback_only():
        return None
    address = os.environ.get(UI_ADDRESS_ENV, "")
    required = os.environ.get(EDITOR_TOKEN_ENV, "")
    if not required:
        return (f"Loading is switched off: this app listens on {address}, not only on this machine, and the server "
                f"has no editor token. Start it with {EDITOR_TOKEN_ENV} set to allow loads from the editor.")
    if not token or not hmac.compare_digest(token.encode("utf-8"), required.encode("utf-8")):
        return "The editor token is missing or wrong: nothing was loaded. Ask whoever runs the server for it."
    return None


REPORT_MIME = {"md": "text/markdown", "html": "text/html", "csv": "text/csv", "json": "application/json",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
REPORT_LABELS = {"md": "Markdown", "html": "HTML", "csv": "CSV", "xlsx": "Excel", "docx": "Word", "json": "JSON"}
REPORT_FORMATS = FORMATS


def database_url() -> str:
    """``$DATABASE_URL``, else the default SQLite file (the storage layer decides; `dtrc ui --db` sets the variable)."""
    return store.resolve_url(None)


def display_url(url: str) -> str:
    return store.display_url(engine(url))


@st.cache_resource(show_spinner=False)
def engine(url: str):
    return store.get_engine(url)


@st.cache_resource(show_spinner="First start: loading the bundled rules into the database…")
def ensure_loaded(url: str) -> tuple[store.LoadOutcome, ...]:
    """Load rules/ into an empty database, once per process and database; () when it held rules already.

    Two first visitors at once are safe: Streamlit computes a resource once per key, and
    the loader queues concurrent loads (another process starting the app) behind a lock.
    """
    eng = engine(url)
    if store.current_revision(eng) is None or not store.list_files(eng):
        return tuple(store.load_paths([BUNDLED_RULES], eng))
    return ()


def data_version(url: str) -> str:
    """The database's content version: the newest load batch (cheap: one indexed row)."""
    ensure_loaded(url)
    newest = store.load_history(engine(url), limit=1)
    return newest[0].batch if newest else "empty"


def url_and_version() -> tuple[str, str]:
    """(url, version) of the database this session reads: the key of every cached call."""
    url = database_url()
    return url, data_version(url)


@st.cache_resource(show_spinner="Reading the rules from the database…", max_entries=4)
def corpus(url: str, version: str) -> Corpus:
    # Shared, not copied: callers only read it. Keyed on version so a load replaces it.
    return store.load_corpus_from_db(engine(url))


@st.cache_resource(show_spinner=False, max_entries=4)
def outline(url: str, version: str) -> Corpus:
    """Every regime's own block and the whole vocabulary, without a provision: what the pickers,
    the labels and the choice of regimes to read need (``store.load_outline_from_db``)."""
    return store.load_outline_from_db(engine(url))


@st.cache_resource(show_spinner="Reading the rules from the database…", max_entries=32)
def corpus_of(url: str, version: str, regime_ids: tuple[str, ...]) -> Corpus:
    """The named regimes with the whole vocabulary (``load_corpus_from_db(regimes=...)``): what a
    comparison or a report on a few regimes reads, instead of every regime in the database.
    Asked for every regime, it is the whole :func:`corpus` (one copy in memory, not two); so
    it is for a name not loaded, so that the engine's "did you mean" hint offers every regime."""
    known = outline(url, version).regimes.keys()
    if not known - set(regime_ids) or not set(regime_ids) <= known:
        return corpus(url, version)
    return store.load_corpus_from_db(engine(url), regimes=regime_ids)


@st.cache_data(show_spinner=False, max_entries=8)
def regimes(url: str, version: str) -> list[store.RegimeSummary]:
    return store.list_regimes(engine(url))


@st.cache_data(show_spinner=False, max_entries=8)
def stored_corpus_hash(url: str, version: str) -> str:
    return corpus_hash(corpus(url, version))


def terms_of_kind(url: str, version: str, kind: str) -> list[str]:
    """Vocabulary ids of one kind (roles, groups, topics), sorted: for pickers."""
    return sorted({t.id for t in outline(url, version).terms if t.kind == kind})


@st.cache_resource(max_entries=4)
def vocabulary(url: str, version: str):
    """The loaded vocabulary, for naming terms by label (comparator.sentences)."""
    from comparator.vocabulary import Vocabulary

    return Vocabulary.from_terms(outline(url, version).terms)


def topic_labels(url: str, version: str) -> dict[str, str]:
    return {t.id: t.label or t.id for t in outline(url, version).terms if t.kind == "topic"}


def sources(url: str, version: str) -> dict[str, str | None]:
    """Regime id -> URL of its official text (the `source:` field of its rule file)."""
    return {rid: rf.regime.source for rid, rf in outline(url, version).regimes.items()}


def _regimes_for(url: str, version: str, perspectives: list[Perspective], named: list[str]) -> tuple[str, ...] | None:
    """The regimes the engine reads for these perspectives: those in play in any of them
    (``perspective.regimes_in_play`` on the outline: who binds whom needs no provision) and
    those named. None, for the whole corpus, when a perspective is refused: the engine then
    refuses it itself, in its own words."""
    prep = prepare(outline(url, version))
    try:
        in_play = {r for p in perspectives for r in regimes_in_play(prep, p)}
    except InputError:
        return None
    return tuple(sorted(in_play | set(named)))


def _corpus_for(url: str, version: str, regime_ids: tuple[str, ...] | None) -> Corpus:
    return corpus(url, version) if regime_ids is None else corpus_of(url, version, regime_ids)


# ---------------------------------------------------------------------------- results

@st.cache_data(show_spinner="Comparing…", max_entries=64)
def comparison(url: str, version: str, regime_ids: tuple[str, ...], topics: tuple[str, ...] = (),
               as_of: dt.date | None = None) -> Comparison:
    # compare() reads the named regimes and the vocabulary only.
    return run_compare(corpus_of(url, version, tuple(sorted(set(regime_ids)))), list(regime_ids),
                       topics=list(topics) or None, as_of=as_of)


@st.cache_data(show_spinner="Looking for conflicts…", max_entries=64)
def conflicts(url: str, version: str, perspective_json: str) -> ConflictReport:
    # The perspective travels as JSON: a stable, hashable cache key.
    perspective = Perspective.model_validate_json(perspective_json)
    needed = _regimes_for(url, version, [perspective],
                          [*perspective.regimes, *(regime for regime, _ in perspective.assume_party)])
    return run_conflict_report(_corpus_for(url, version, needed), perspective)


@st.cache_data(show_spinner="Reading the coverage…", max_entries=8)
def coverage(url: str, version: str, regime_ids: tuple[str, ...], as_of: dt.date | None = None) -> Comparison:
    """Every named regime's position on every topic, without the pairwise differences and
    verdicts (``compare(..., pairwise=False)``): with hundreds of regimes their pairs are millions."""
    return run_compare(corpus_of(url, version, tuple(sorted(set(regime_ids)))), list(regime_ids), as_of=as_of,
                       pairwise=False)


@st.cache_data(show_spinner="Writing the report…", max_entries=64)
def comparison_report(url: str, version: str, regime_ids: tuple[str, ...], topics: tuple[str, ...],
                      as_of: dt.date | None, fmt: str, today: dt.date) -> bytes:
    """The report `dtrc compare ... --format FMT -o FILE` writes (same renderer, same options).

    ``today`` is only a cache key: the footer's "generated" date changes once a day.
    """
    result = comparison(url, version, regime_ids, topics, as_of)
    return _as_bytes(render(result, fmt, ReportOptions(corpus_hash=stored_corpus_hash(url, version))))


@st.cache_data(show_spinner="Writing the report…", max_entries=64)
def conflicts_report(url: str, version: str, perspective_json: str, fmt: str, today: dt.date) -> bytes:
    """The report `dtrc conflicts ... --format FMT -o FILE` writes."""
    result = conflicts(url, version, perspective_json)
    return _as_bytes(render(result, fmt, ReportOptions(corpus_hash=stored_corpus_hash(url, version))))


@st.cache_data(show_spinner="Reading the accession…", max_entries=64)
def accession(url: str, version: str, country: str, agreements: tuple[str, ...], as_of: dt.date | None) -> AccessionReport:
    # The regimes binding the country on the day, with and without the agreements, and the agreements.
    day = as_of or dt.date.today()
    needed = _regimes_for(url, version, [
        Perspective(kind="country", country=country, as_of=day),
        Perspective(kind="country", country=country, as_of=day, assume_party=[(a, country) for a in agreements])],
        list(agreements))
    return run_accession(_corpus_for(url, version, needed), country, list(agreements), as_of=as_of)


@st.cache_data(show_spinner="Writing the report…", max_entries=64)
def accession_report(url: str, version: str, country: str, agreements: tuple[str, ...], as_of: dt.date | None,
                     fmt: str, today: dt.date) -> bytes:
    """The report `dtrc accession COUNTRY AGREEMENT... --format FMT -o FILE` writes."""
    result = accession(url, version, country, agreements, as_of)
    return _as_bytes(render(result, fmt, ReportOptions(corpus_hash=stored_corpus_hash(url, version))))


def _as_bytes(content: str | bytes) -> bytes:
    # write_report writes text formats as UTF-8 with newline="": exactly these bytes.
    return content if isinstance(content, bytes) else content.encode("utf-8")


# ---------------------------------------------------------------------------- search

@st.cache_data(show_spinner=False, max_entries=8)
def load_history(url: str, version: str, limit: int = 200) -> list[store.HistoryEntry]:
    """Who loaded what, when: the newest loads first (``version`` keys the cache)."""
    return store.load_history(engine(url), limit=limit)


@st.cache_data(show_spinner="Searching…", max_entries=64)
def search(url: str, version: str, text: str, regime: str | None = None, limit: int = 500) -> list[store.ProvisionHit]:
    return store.search_provisions(text, engine(url), regime=regime, limit=limit)


@st.cache_data(show_spinner=False, max_entries=256)
def provisions_on(url: str, version: str, topic: str, regime: str) -> list[store.ProvisionHit]:
    return store.find_provisions(engine(url), topic=topic, regime=regime)


# ---------------------------------------------------------------------------- rule editor

@st.cache_data(show_spinner=False, max_entries=8)
def stored_texts(url: str, version: str) -> dict[str, tuple[str | None, str]]:
    """Stored path -> (regime id or None, the file written back as rule text).

    The editor checks a file against what is in the database, as `dtrc check` checks a file
    against the rest of its folder: the database keeps models, not text, so the context is
    the formatter's rendering of them (comments are not stored and do not matter here).
    """
    return {f.path: (f.regime.id if f.regime else None, format_file(f)) for f in corpus(url, version).files}


def _context_for(url: str, version: str, path: str, text: str) -> dict[str, str]:
    """What `dtrc check` reads beside a file: the vocabulary, and the regimes when the file
    holds expectations (which cite them). The stored copy of the file itself is left out,
    and so is a stored file of the same regime (it is the version being replaced)."""
    try:
        own_regime = parse_text(text, path).file.regime
    except Exception:  # noqa: BLE001 - a file that does not parse is reported by check_sources itself
        own_regime = None
    own_id = own_regime.id if own_regime else None
    wants_regimes = "expect" in text
    return {p: t for p, (rid, t) in stored_texts(url, version).items()
            if p != path and (rid is None or (wants_regimes and rid != own_id))}


@st.cache_data(show_spinner=False, max_entries=32)
def check_rule_text(url: str, version: str, path: str, text: str) -> CheckResult:
    """`dtrc check` on the editor's text: the same diagnostics, the same messages."""
    return check_sources({path: text}, _context_for(url, version, path, text))


def load_rule_text(url: str, path: str, text: str) -> list[store.LoadOutcome]:
    """Check again (never trust what was checked on an earlier rerun), then store in ONE
    transaction through the storage layer; raises DtrError when the file has errors."""
    from comparator.errors import DtrError

    version = data_version(url)
    result = check_sources({path: text}, _context_for(url, version, path, text))
    if result.errors:
        raise DtrError(result.errors)
    outcomes = store.store_files([(rf, text) for rf in result.corpus.files], engine(url))
    return outcomes


@st.cache_resource(show_spinner=False, max_entries=4)
def lineage_index(url: str, version: str) -> LineageIndex:
    """The shingle index over the stored corpus, built once per content version."""
    return LineageIndex.build(corpus(url, version))


@st.cache_data(show_spinner="Tracing the text…", max_entries=64)
def lineage(url: str, version: str, regime: str, provision: str, top: int = 5) -> Lineage | None:
    """`dtrc lineage` for the article holding ``provision``; None when that article quotes nothing."""
    index = lineage_index(url, version)
    article = article_of(index, regime, provision)
    return run_lineage(index, regime, article, top=top) if article is not None else None
