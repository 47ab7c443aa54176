"""Storage, reload side: `dtrc load` of a corpus that is mostly stored already.

Part of the storage stage (parse -> validate -> **store** -> compare -> report/ui). A full
load parses and checks every file before the store skips the unchanged ones: at 100k
provisions, a minute for one changed comma. Here the texts are hashed first and compared
with what is stored; only the changed files, and the files holding a vocabulary block,
are parsed; the check of the whole corpus is completed from the database, whose rows say
everything an unchanged file takes from the others (the names it uses) and gives them
(its regime id and citations). :func:`comparator.incremental.validate_partial` turns that
into the full check's verdict, or says it cannot; then, or whenever the case is not the
plain one (``--force``, no database yet, a file that cannot be read, a partial corpus
checked with context, someone loading at the same time), :func:`reload_paths` returns
None, having written nothing, and the caller runs the full check and store.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from sqlalchemy import Text, cast, func, literal, select
from sqlalchemy.engine import Connection, Engine

from ..errors import Diagnostic, DtrError
from ..collector import long_lived
from ..parse import ParseResult, parse_text, read_source
from ..incremental import StoredFiles, validate_partial
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
from .write import (
    Entry,
    LoadOutcome,
    clear_folder_caches,
    corpus_roots,
    sha256_text,
    source_key,
    with_vocabulary,
    write_entries,
)


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
    """Load as `dtrc load PATHS` does, parsing only what changed; None: do the full load instead.

    The files are those the full load checks: ``with_vocabulary(paths)``.
    """
    try:
        engine = get_engine(db)
        if current_revision(engine) != head_revision():
            return None  # no database yet, or one to migrate: the full load's business (before reading a file)
    except StoreError:
        return None  # the full load says so, after the check, as it always did
    files = with_vocabulary(paths)
    texts: dict[str, str] = {}
    try:
        for p in files:
            texts[str(p)] = read_source(p)
    except DtrError:
        return None  # the full check reports it, with everything else
    if _has_context(files, texts):
        return None
    clear_folder_caches()
    keys = [source_key(p) for p in texts]
    if len(set(keys)) != len(keys):
        return None
    shas = [sha256_text(t) for t in texts.values()]
    try:
        with _wrap_db_errors(engine), engine.connect() as conn:
            seen = _stored(conn, keys, layouts=True)
    except StoreError:
        return None
    plan = _Plan(keys, shas, seen)
    if not plan.unchanged:
        return None
    paths_ = list(texts)
    results: dict[int, ParseResult] = {}
    failed: list[Diagnostic] = []
    with long_lived():
        for i in plan.to_parse:
            try:
                results[i] = parse_text(texts[paths_[i]], paths_[i])
            except DtrError as exc:
                failed += exc.diagnostics
    with _wrap_db_errors(engine), _write_connection(engine) as conn:
        with conn.begin():
            _lock_for_write(conn)
            if {k: v[:2] for k, v in _stored(conn, keys).items()} != {k: v[:2] for k, v in seen.items()}:
                return None  # another load wrote in between: start again from the files
            unchanged = {seen[keys[i]][0]: seen[keys[i]][2] for i in plan.unchanged}
            parsed = [results[i] for i in sorted(results)]
            # First with the names of every stored row (a superset, read from indexes alone);
            # only if one of those fails, with the names of the unchanged files exactly.
            for every_row in (True, False):
                facts, codes = _facts(conn, unchanged, parsed, every_row=every_row)
                diags = validate_partial(parsed, failed, set(texts), facts)
                if diags is not None:
                    break
            else:
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
    listed = set(files)
    given: set[Path] | None = None
    for root in {r for r in corpus_roots(files) if r is not None}:
        pool = root.rglob("*.dtr") if wants_regimes else (root / "vocabulary").rglob("*.dtr")
        for p in pool:
            if p in listed:
                continue  # named as it is found: no need to resolve every path
            given = given if given is not None else {f.resolve() for f in files}
            if p.resolve() not in given:
                return True
    return False


def _stored(conn: Connection, keys: list[str], layouts: bool = False) -> dict[str, tuple[int, str, list]]:
    """key -> (id, SHA-256, layout) of the stored files among ``keys`` (layout [] unless asked for)."""
    out: dict[str, tuple[int, str, list]] = {}
    # The layout as its JSON text, decoded here: the JSON column type costs more per row than the query.
    layout = cast(SourceFile.layout, Text) if layouts else literal("[]")
    for chunk in _chunks(keys):
        out |= {path: (id_, sha, json.loads(text)) for id_, path, sha, text in conn.execute(
            select(SourceFile.id, SourceFile.path, SourceFile.sha256, layout).where(SourceFile.path.in_(chunk)))}
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


def _facts(conn: Connection, files: dict[int, list], parsed: list[ParseResult], *,
           every_row: bool = False) -> tuple[StoredFiles, dict[int, str]]:
    """What the stored files (id -> layout) use and declare, and file id -> regime id.

    Every name the builder records as a use that another file can make or break
    (comparator/build.py) is stored in one of the columns read here;
    tests/store/test_reload.py checks the two agree on every file the tests have.
    ``every_row``: the names of every stored file instead (a superset; no join).
    """
    regime_of = {f: (r, code) for r, code, f in conn.execute(
        select(RegimeRow.id, RegimeRow.code, RegimeRow.source_file_id)) if f in files}
    regime_ids = {r for r, _ in regime_of.values()}
    provisions = sum(n for r, n in conn.execute(
        select(ProvisionRow.regime_id, func.count()).group_by(ProvisionRow.regime_id)) if r in regime_ids)
    uses: set[tuple[str, str, str | None]] = set()
    expectation_ids: set[int] = set()
    for id_, f, a_regime, a_ref, b_regime, b_ref, bound in conn.execute(
            select(ExpectationRow.id, ExpectationRow.source_file_id, ExpectationRow.a_regime, ExpectationRow.a_ref,
                   ExpectationRow.b_regime, ExpectationRow.b_ref, ExpectationRow.bound)):
        if f in files:
            expectation_ids.add(id_)
            uses |= {("regime", a_regime, None), ("ref", a_ref, a_regime), ("regime", b_regime, None),
                     ("ref", b_ref, b_regime)} | ({("bound", bound, None)} if bound is not None else set())
    for e, regime, country in conn.execute(select(ExpectationAssumption.expectation_id, ExpectationAssumption.regime,
                                                  ExpectationAssumption.country)):
        if e in expectation_ids:
            uses |= {("regime", regime, None), ("country", country, None)}
    uses |= {("topic_pattern", v, None) for layout in files.values() for name, values in layout
             if name in ("covers", "not_encoded") for v in values}
    uses |= _names(conn, None if every_row else sorted(regime_ids))
    # Citations are needed only of the regimes an expectation names.
    cited = {v for k, v, _ in uses if k == "regime"} | {u.value for r in parsed for u in r.uses if u.kind == "regime"}
    regimes: dict[str, set[str]] = {code: set() for _, code in regime_of.values()}
    ids = {r: code for r, code in regime_of.values() if code in cited}
    for table in (ArticleRow, ProvisionRow, ExceptionRow):
        for chunk in _chunks(sorted(ids)):
            for r, ref in conn.execute(select(table.regime_id, table.ref).where(table.regime_id.in_(chunk))):
                regimes[ids[r]].add(ref)
    return (StoredFiles(regimes=regimes, uses=uses, provisions=provisions),
            {f: code for f, (_, code) in regime_of.items()})


# (column, the kind of use it holds, the table's regime column or the join to it) of each
# vocabulary name in a regime's rows; item tables hold several kinds under `field`.
_ITEM_KINDS = {ProvisionItem: {"topic": "topic", "exclude": "scope", "bearer": "role", "object": "object",
                               "destination": "object"},
               ExceptionItem: {"test": "test", "exclude": "scope"},
               DeferralItem: {"party": "country"}}


def _names(conn: Connection, regime_ids: list[int] | None) -> set[tuple[str, str, None]]:
    """The vocabulary names and country codes the regimes ``regime_ids`` use (None: every regime)."""
    parents = {ProvisionItem: [(ProvisionRow, ProvisionRow.id == ProvisionItem.provision_id)],
               ExceptionItem: [(ExceptionRow, ExceptionRow.id == ExceptionItem.exception_id)],
               DeferralItem: [(DeferralRow, DeferralRow.id == DeferralItem.deferral_id),
                              (DisputeSettlementRow, DisputeSettlementRow.id == DeferralRow.dispute_settlement_id)]}
    columns = [(ProvisionRow.action, "action", ProvisionRow.regime_id, []),
               (ExceptionRow.kind, "exception", ExceptionRow.regime_id, []),
               (DefinitionRow.term, "term", ArticleRow.regime_id, [(ArticleRow, ArticleRow.id == DefinitionRow.article_id)]),
               (PartyRow.country, "country", PartyRow.regime_id, []),
               (JurisdictionRow.code, "country", JurisdictionRow.regime_id, [])]
    queries = []
    for table, kinds in _ITEM_KINDS.items():
        joins = parents[table]
        owner = joins[-1][0].regime_id
        queries.append((select(table.field, table.value).distinct().where(table.field.in_(list(kinds))),
                        joins, owner, lambda row, kinds=kinds: (kinds[row[0]], row[1], None)))
    for column, kind, owner, joins in columns:
        queries.append((select(column).distinct().where(column.is_not(None)), joins, owner,
                        lambda row, kind=kind: (kind, row[0], None)))
    out: set[tuple[str, str, None]] = set()
    for query, joins, owner, use in queries:
        if regime_ids is None:
            out |= {use(row) for row in conn.execute(query)}
            continue
        for table, on in joins:
            query = query.join(table, on)
        for chunk in _chunks(regime_ids):
            out |= {use(row) for row in conn.execute(query.where(owner.in_(chunk)))}
    return out


def _chunks(values: list, size: int = 5000) -> Iterable[list]:
    # Bound parameters per statement: SQLite allows 32,766, PostgreSQL 65,535.
    for start in range(0, len(values), size):
        yield values[start:start + size]
