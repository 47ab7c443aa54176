"""Storage, reload side: `dtrc load` of a corpus that is mostly stored already.

Part of the storage stage (parse -> validate -> **store** -> compare -> report/ui). A full
load parses and checks every file before the store skips the unchanged ones: at 100k
provisions, a minute for one changed comma. Here the texts are hashed first and compared
with what is stored; only the changed files, and the files holding a vocabulary block,
are parsed; the check of the whole corpus is completed from the database, whose rows say
everything an unchanged file takes from the others (the names it uses) and gives them
(its regime id and citations). :func:`comparator.validate.validate_partial` turns that
into the full check's verdict, or says it cannot; then, or whenever the case is not the
plain one (``--force``, no database yet, a file that cannot be read, a partial corpus
checked with context, someone loading at the same time), :func:`reload_paths` returns
None, having written nothing, and the caller runs the full check and store.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from ..errors import Diagnostic, DtrError
from ..parse import ParseResult, bulk, parse_text, read_source
from ..validate import StoredFiles, collect_files, corpus_root, validate_partial
from .database import (
    StoreError,
    _lock_for_write,
    _wrap_db_errors,
    _write_connection,
    current_revision,
    get_engine,
    head_revision,
)
from .schema import (
    ArticleRow,
    DeferralItem,
    DeferralRow,
    DefinitionRow,
    DisputeSettlementRow,
    ExceptionItem,
    ExceptionRow,
    ExpectationAssumption,
    ExpectationRow,
    JurisdictionRow,
    PartyRow,
    ProvisionItem,
    ProvisionRow,
    RegimeRow,
    SourceFile,
)
from .write import Entry, LoadOutcome, _resolved_root, sha256_text, source_key, write_entries


@dataclass
class Reload:
    """What a reload did: the same findings and outcomes a full load would have given."""

    outcomes: list[LoadOutcome]  # empty when the diagnostics hold an error: nothing was written
    diagnostics: list[Diagnostic]
    texts: dict[str, str]  # path -> text of every file, to render the diagnostics
    files: int  # the summary line of the check: files, regimes and provisions of the whole corpus
    regimes: int
    provisions: int
    parsed: int  # files parsed; the others were checked from their stored rows
    engine: Engine

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def reload_paths(paths: Iterable[str | Path], db: Engine | str | None = None, *,
                 on_file: Callable[[LoadOutcome], None] | None = None) -> Reload | None:
    """Load as `dtrc load` does, parsing only what changed; None: do the full load instead.

    ``paths`` as :func:`~comparator.validate.check_paths` takes them (the CLI passes
    :func:`~comparator.store.with_vocabulary` of what the user named).
    """
    files = collect_files(paths)
    texts: dict[str, str] = {}
    try:
        for p in files:
            texts[str(p)] = read_source(p)
    except DtrError:
        return None  # the full check reports it, with everything else
    if _has_context(files, texts):
        return None
    _resolved_root.cache_clear()  # folders may have changed since the last load
    keys = [source_key(p) for p in texts]
    if len(set(keys)) != len(keys):
        return None
    shas = [sha256_text(t) for t in texts.values()]
    try:
        engine = get_engine(db)
        if current_revision(engine) != head_revision():
            return None  # no database yet, or one to migrate: the full load's business
        with _wrap_db_errors(engine), engine.connect() as conn:
            seen = _stored(conn, keys)
    except StoreError:
        return None  # the full load says so, after the check, as it always did
    plan = _Plan(keys, shas, seen)
    if not plan.unchanged:
        return None
    paths_ = list(texts)
    results: dict[int, ParseResult] = {}
    failed: list[Diagnostic] = []
    with bulk():
        for i in plan.to_parse:
            try:
                results[i] = parse_text(texts[paths_[i]], paths_[i])
            except DtrError as exc:
                failed += exc.diagnostics
    with _wrap_db_errors(engine), _write_connection(engine) as conn:
        with conn.begin():
            _lock_for_write(conn)
            if _stored(conn, keys) != seen:
                return None  # another load wrote in between: start again from the files
            facts, codes = _facts(conn, [seen[keys[i]][0] for i in plan.unchanged], results.values())
            diags = validate_partial([results[i] for i in sorted(results)], failed, set(texts), facts)
            if diags is None:
                return None
            summary = dict(texts=texts, files=len(files), parsed=len(plan.to_parse), engine=engine,
                           regimes=len(codes) + sum(1 for r in results.values() if r.file.regime),
                           provisions=facts.provisions + sum(len(r.file.provisions()) for r in results.values()))
            if any(d.severity == "error" for d in diags):
                return Reload(outcomes=[], diagnostics=diags, **summary)
            entries = []
            for i, (key, sha) in enumerate(zip(keys, shas)):
                if i in results:
                    rf = results[i].file
                    entries.append(Entry(key, sha, rf.regime.id if rf.regime else None, rf))
                else:
                    entries.append(Entry(key, sha, codes.get(seen[key][0]), None))
            outcomes = write_entries(conn, entries, on_file=on_file)
    return Reload(outcomes=outcomes, diagnostics=diags, **summary)


def _has_context(files: list[Path], texts: dict[str, str]) -> bool:
    """Would check_paths read files beside those named (a partial corpus)? Their contents
    would take part in the check, so only the full check can do it. Mirrors check_paths."""
    wants_regimes = any("expect" in t for t in texts.values())
    given = {f.resolve() for f in files}
    for root in {r for r in (corpus_root(p) for p in files) if r is not None}:
        pool = root.rglob("*.dtr") if wants_regimes else (root / "vocabulary").rglob("*.dtr")
        if any(p.resolve() not in given for p in pool):
            return True
    return False


def _stored(conn: Connection, keys: list[str]) -> dict[str, tuple[int, str, list]]:
    """key -> (id, SHA-256, layout) of the stored files among ``keys``."""
    out: dict[str, tuple[int, str, list]] = {}
    for chunk in _chunks(keys):
        out |= {path: (id_, sha, layout) for id_, path, sha, layout in conn.execute(
            select(SourceFile.id, SourceFile.path, SourceFile.sha256, SourceFile.layout)
            .where(SourceFile.path.in_(chunk)))}
    return out


class _Plan:
    """Which files to parse: the changed and new ones, and every file whose rows do not say
    all it takes part in: a vocabulary block (the vocabulary is rebuilt from the parsed
    files), or blocks without a regime (a regime-less dispute_settlement stores no rows)."""

    def __init__(self, keys: list[str], shas: list[str], seen: dict[str, tuple[int, str, list]]):
        self.to_parse: list[int] = []
        self.unchanged: list[int] = []
        for i, (key, sha) in enumerate(zip(keys, shas)):
            stored = seen.get(key)
            blocks = {entry[0] for entry in stored[2]} if stored else set()
            described = stored is not None and stored[1] == sha and "vocabulary" not in blocks and (
                "regime" in blocks or blocks <= {"expectation"})
            (self.unchanged if described else self.to_parse).append(i)


# (table of (field, value) items, parent table, the field -> the kind of use check_use takes)
_ITEMS = ((ProvisionItem, ProvisionItem.provision_id, ProvisionRow,
           {"topic": "topic", "exclude": "scope", "bearer": "role", "object": "object", "destination": "object"}),
          (ExceptionItem, ExceptionItem.exception_id, ExceptionRow, {"test": "test", "exclude": "scope"}))


def _facts(conn: Connection, file_ids: list[int], parsed: Iterable[ParseResult]) -> tuple[StoredFiles, dict[int, str]]:
    """What the stored files ``file_ids`` use and declare (and file id -> regime id).

    Every name the builder records as a use (comparator/build.py) that another file can
    make or break is stored in one of these columns; tests/store/test_reload.py checks the
    two agree on every file the tests have.
    """
    uses: set[tuple[str, str, str | None]] = set()
    regime_of: dict[int, tuple[int, str]] = {}  # file id -> (regime row id, regime id)
    provisions = 0
    layouts: list[list] = []
    for chunk in _chunks(file_ids):
        regime_of |= {f: (r, code) for r, code, f in conn.execute(
            select(RegimeRow.id, RegimeRow.code, RegimeRow.source_file_id).where(RegimeRow.source_file_id.in_(chunk)))}
        layouts += [layout for (layout,) in conn.execute(select(SourceFile.layout).where(SourceFile.id.in_(chunk)))]
        for a_regime, a_ref, b_regime, b_ref, bound in conn.execute(
                select(ExpectationRow.a_regime, ExpectationRow.a_ref, ExpectationRow.b_regime, ExpectationRow.b_ref,
                       ExpectationRow.bound).where(ExpectationRow.source_file_id.in_(chunk))):
            uses |= {("regime", a_regime, None), ("ref", a_ref, a_regime), ("regime", b_regime, None),
                     ("ref", b_ref, b_regime)} | ({("bound", bound, None)} if bound is not None else set())
        for regime, country in conn.execute(
                select(ExpectationAssumption.regime, ExpectationAssumption.country)
                .join(ExpectationRow, ExpectationRow.id == ExpectationAssumption.expectation_id)
                .where(ExpectationRow.source_file_id.in_(chunk))):
            uses |= {("regime", regime, None), ("country", country, None)}
    for layout in layouts:
        uses |= {("topic_pattern", v, None) for name, values in layout if name in ("covers", "not_encoded")
                 for v in values}
    regime_ids = [r for r, _ in regime_of.values()]
    for chunk in _chunks(regime_ids):
        for table, parent, owner, kinds in _ITEMS:
            uses |= {(kinds[f], v, None) for f, v in conn.execute(
                select(table.field, table.value).distinct().join(owner, owner.id == parent)
                .where(owner.regime_id.in_(chunk), table.field.in_(list(kinds))))}
        singles = [(ProvisionRow.action, "action", ProvisionRow.regime_id),
                   (ExceptionRow.kind, "exception", ExceptionRow.regime_id),
                   (PartyRow.country, "country", PartyRow.regime_id),
                   (JurisdictionRow.code, "country", JurisdictionRow.regime_id)]
        for column, kind, owner in singles:
            uses |= {(kind, v, None) for (v,) in conn.execute(
                select(column).distinct().where(owner.in_(chunk), column.is_not(None)))}
        uses |= {("term", v, None) for (v,) in conn.execute(
            select(DefinitionRow.term).distinct().join(ArticleRow, ArticleRow.id == DefinitionRow.article_id)
            .where(ArticleRow.regime_id.in_(chunk)))}
        uses |= {("country", v, None) for (v,) in conn.execute(
            select(DeferralItem.value).distinct().join(DeferralRow, DeferralRow.id == DeferralItem.deferral_id)
            .join(DisputeSettlementRow, DisputeSettlementRow.id == DeferralRow.dispute_settlement_id)
            .where(DisputeSettlementRow.regime_id.in_(chunk), DeferralItem.field == "party"))}
        provisions += conn.execute(select(func.count()).select_from(ProvisionRow)
                                   .where(ProvisionRow.regime_id.in_(chunk))).scalar_one()
    # Citations are needed only of the regimes someone's expectation names.
    cited = {v for k, v, _ in uses if k == "regime"} | {
        u.value for r in parsed for u in r.uses if u.kind == "regime"}
    regimes: dict[str, set[str]] = {code: set() for _, code in regime_of.values()}
    ids = {r: code for r, code in regime_of.values() if code in cited}
    for chunk in _chunks(list(ids)):
        for table in (ArticleRow, ProvisionRow, ExceptionRow):
            for r, ref in conn.execute(select(table.regime_id, table.ref).where(table.regime_id.in_(chunk))):
                regimes[ids[r]].add(ref)
    return (StoredFiles(regimes=regimes, uses=uses, provisions=provisions),
            {f: code for f, (_, code) in regime_of.items()})


def _chunks(values: list, size: int = 5000) -> Iterable[list]:
    # Bound parameters per statement: SQLite allows 32,766, PostgreSQL 65,535.
    for start in range(0, len(values), size):
        yield values[start:start + size]
