"""Storage write side: checked rule files -> rows, one transaction per load, load history.

Part of the storage stage (parse -> validate -> **store** -> compare -> report/ui). Takes
rule files that :mod:`comparator.validate` has already checked. Everything a rule file
holds is stored, in the author's order, except its ``#`` comments (docs/storage.md says
why).
"""
from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Literal

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..model import RuleFile
from ..validate import check_paths, collect_files, corpus_root
from .database import _lock_for_write, _wrap_db_errors, _write_connection, ensure_schema, get_engine
from .schema import (
    ArticleRow,
    DeferralItem,
    DeferralRow,
    DefinitionRow,
    DisputeSettlementExcepted,
    DisputeSettlementRow,
    ExceptionItem,
    ExceptionRow,
    ExpectationAssumption,
    ExpectationRow,
    JurisdictionRow,
    LoadHistory,
    PartyRow,
    ProvisionItem,
    ProvisionRow,
    RegimeRow,
    SourceFile,
    TermLink,
    TermRow,
)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_key(path: str | Path) -> str:
    """The key a file is stored under: its path from the folder above its corpus root.

    ``rules/cptpp.dtr`` and ``rules/vocabulary/core.dtr`` are the same keys whether
    ``dtrc load`` runs in the checkout, in ``rules/`` or on another machine, so a reload
    finds the row to replace. A file outside any corpus is keyed by its path as given.
    """
    p = Path(path)
    root = corpus_root(p)
    if root is not None:
        try:
            return (Path(root.resolve().name) / p.resolve().relative_to(root.resolve())).as_posix()
        except ValueError:
            pass
    return p.as_posix()


LoadAction = Literal["added", "replaced", "unchanged"]


@dataclass(frozen=True)
class LoadOutcome:
    path: str  # the stored key
    regime: str | None
    action: LoadAction
    sha256: str
    replaced_path: str | None = None  # the regime came from another file before


def _default_order(rf: RuleFile) -> list[tuple[str, int]]:
    # The formatter's own fallback, for models built in code rather than parsed.
    return (([("regime", 0)] if rf.regime else [])
            + ([("dispute_settlement", 0)] if rf.dispute_settlement else [])
            + [("article", i) for i in range(len(rf.articles))]
            + ([("vocabulary", len(rf.vocabulary))] if rf.vocabulary else [])
            + [("expectation", i) for i in range(len(rf.expectations))])


def _line(node) -> int | None:
    return node.span.line if node.span is not None else None


def _items(cls, fields: dict[str, list[str]]) -> list:
    return [cls(field=name, position=i, value=v) for name, values in fields.items() for i, v in enumerate(values)]


def _common_columns(node) -> dict:
    return dict(quote=node.quote, translation=node.translation, translation_text=node.translation_text,
                translation_source=node.translation_source, gloss=node.gloss, status=node.status, note=node.note,
                line=_line(node))


def _file_to_row(rf: RuleFile, key: str, sha: str, now: dt.datetime, user: str | None) -> SourceFile:
    # A regime's coverage declaration rides in the layout column (schema.SourceFile): the
    # block order is a list of [kind, count] pairs, these are [field, [patterns]] pairs.
    coverage = [[name, list(values)] for name, values in
                (("covers", rf.regime.covers if rf.regime else None), ("not_encoded", rf.regime.not_encoded if rf.regime else []))
                if values]
    row = SourceFile(path=key, sha256=sha, layout=[list(x) for x in (rf.order or _default_order(rf))] + coverage,
                     loaded_at=now, loaded_by=user)
    row.terms = [
        TermRow(position=i, kind=t.kind, name=t.id, label=t.label, label_zh=t.label_zh, label_es=t.label_es,
                note=t.note, line=_line(t),
                links=_items(TermLink, {"broader": t.broader, "alias": t.aliases, "member": t.members}))
        for i, t in enumerate(rf.vocabulary)]
    row.expectations = [
        ExpectationRow(position=i, conflict=e.conflict, kind=e.kind, a_regime=e.a_regime, a_ref=e.a_ref,
                       b_regime=e.b_regime, b_ref=e.b_ref, bound=e.bound, as_of=e.as_of, line=_line(e),
                       assumptions=[ExpectationAssumption(position=j, regime=r, country=c)
                                    for j, (r, c) in enumerate(e.assume)])
        for i, e in enumerate(rf.expectations)]
    if rf.regime is None:
        return row
    r = rf.regime
    regime = RegimeRow(code=r.id, title=r.title, kind=r.kind, signed=r.signed, in_force=r.in_force, until=r.until,
                       source_url=r.source, note=r.note, line=_line(r), language=r.language,
                       authentic=",".join(r.authentic) or None)
    regime.parties = [PartyRow(position=i, country=p.country, joined=p.joined, left=p.left)
                      for i, p in enumerate(r.parties)]
    regime.jurisdictions = [JurisdictionRow(position=i, code=c) for i, c in enumerate(r.jurisdiction)]
    for ai, a in enumerate(rf.articles):
        article = ArticleRow(position=ai, ref=a.ref, title=a.title, note=a.note, line=_line(a))
        order = a.order or ([("provision", i) for i in range(len(a.provisions))]
                            + [("exception", i) for i in range(len(a.exceptions))]
                            + [("definition", i) for i in range(len(a.definitions))])
        seq = {item: n for n, item in enumerate(order)}
        for i, p in enumerate(a.provisions):
            n = p.norm
            items = {"topic": p.topics, "exclude": p.excludes}
            if n is not None:
                items |= {"bearer": n.bearers, "object": n.objects, "destination": n.destinations,
                          "condition": n.conditions, "unless": n.unless}
            article.provisions.append(ProvisionRow(
                position=i, seq=seq[("provision", i)], regime=regime, ref=p.ref,
                modality=n.modality if n else None, stance=n.stance if n else None, action=n.action if n else None,
                object_word=n.object_word if n else "of", in_force=p.in_force, until=p.until,
                replaced_by=p.replaced_by, items=_items(ProvisionItem, items), **_common_columns(p)))
        for i, e in enumerate(a.exceptions):
            article.exceptions.append(ExceptionRow(
                position=i, seq=seq[("exception", i)], regime=regime, ref=e.ref, kind=e.kind,
                in_force=e.in_force, until=e.until, replaced_by=e.replaced_by,
                items=_items(ExceptionItem, {"applies_to": e.applies_to, "test": e.tests, "exclude": e.excludes}),
                **_common_columns(e)))
        for i, d in enumerate(a.definitions):
            article.definitions.append(DefinitionRow(position=i, seq=seq[("definition", i)], term=d.term,
                                                     **_common_columns(d)))
        regime.articles.append(article)
    if rf.dispute_settlement is not None:
        ds = rf.dispute_settlement
        regime.dispute_settlement = DisputeSettlementRow(
            applies=ds.applies, note=ds.note, line=_line(ds),
            excepted=[DisputeSettlementExcepted(position=i, ref=ref) for i, ref in enumerate(ds.excepted)],
            deferrals=[DeferralRow(position=i, until_date=d.until_date, until_text=d.until_text, line=_line(d),
                                   items=_items(DeferralItem, {"party": d.parties, "provision": d.provisions}))
                       for i, d in enumerate(ds.deferrals)])
    row.regime = regime
    return row


def store_files(
    files: Iterable[tuple[RuleFile, str]],
    db: Engine | str | None = None,
    *,
    force: bool = False,
    loaded_by: str | None = None,
    on_file: Callable[[LoadOutcome], None] | None = None,
) -> list[LoadOutcome]:
    """Write checked files (model, source text) in ONE transaction; all or nothing.

    A file whose key and content hash are already stored is skipped ("unchanged") unless
    ``force``. A changed file replaces its stored rows (deleted by cascade, then written
    again) in the same transaction, so readers see the old or the new version, never a
    mix. A regime id stored from another path is replaced too (the file was moved).
    The caller must have validated the files: this function checks nothing.
    """
    engine = get_engine(db)
    files = list(files)
    ensure_schema(engine)
    user = loaded_by if loaded_by is not None else _current_user()
    now = dt.datetime.now(dt.timezone.utc)
    batch = str(uuid.uuid4())
    outcomes: list[LoadOutcome] = []
    with _wrap_db_errors(engine), _write_connection(engine) as conn:
        with conn.begin():
            _lock_for_write(conn)
            session = Session(bind=conn, autoflush=False)
            keys = [(rf, text, source_key(rf.path), sha256_text(text)) for rf, text in files]
            stored = dict(session.execute(select(SourceFile.path, SourceFile.sha256)
                                          .where(SourceFile.path.in_([k for _, _, k, _ in keys]))).all())
            codes = [rf.regime.id for rf, *_ in keys if rf.regime]
            regime_paths = dict(session.execute(
                select(RegimeRow.code, SourceFile.path).join(SourceFile, RegimeRow.source_file_id == SourceFile.id)
                .where(RegimeRow.code.in_(codes))).all())
            for rf, text, key, sha in keys:
                code = rf.regime.id if rf.regime else None
                moved_from = regime_paths.get(code) if code and regime_paths.get(code) != key else None
                if stored.get(key) == sha and not force and moved_from is None:
                    outcome = LoadOutcome(key, code, "unchanged", sha)
                else:
                    stale = [p for p in (key, moved_from) if p is not None]
                    # Core DELETE: the database cascades to every child row (no ORM round trips).
                    session.execute(delete(SourceFile).where(SourceFile.path.in_(stale)))
                    session.add(_file_to_row(rf, key, sha, now, user))
                    session.flush()
                    action: LoadAction = "replaced" if key in stored or moved_from else "added"
                    outcome = LoadOutcome(key, code, action, sha, moved_from)
                session.add(LoadHistory(batch=batch, path=key, regime=code, sha256=sha, action=outcome.action,
                                        loaded_at=now, loaded_by=user))
                outcomes.append(outcome)
                if on_file:
                    on_file(outcome)
            session.flush()
            session.close()
    return outcomes


def _current_user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers; history just says unknown
        return None


def load_paths(paths: Iterable[str | Path], db: Engine | str | None = None, *, force: bool = False) -> list[LoadOutcome]:
    """Check, then store: the library entry point behind `dtrc load` (raises DtrError on any error)."""
    from ..errors import DtrError

    result = check_paths(with_vocabulary(paths))
    if result.errors:
        raise DtrError(result.errors)
    return store_files(((rf, result.texts[rf.path]) for rf in result.corpus.files), db, force=force)


def with_vocabulary(paths: Iterable[str | Path]) -> list[Path]:
    """The paths named plus the vocabulary folder of each one's corpus.

    A stored regime is only meaningful with the vocabulary it was checked against, so a
    load always stores that vocabulary too (unchanged files cost one hash comparison).
    """
    named = collect_files(paths)
    extra: list[Path] = []
    for root in sorted({r for r in (corpus_root(p) for p in named) if r is not None}):
        extra.append(root / "vocabulary")
    return collect_files([*named, *extra])
