"""The check of a corpus of which only some files were parsed: what `dtrc load` runs on a reload.

Second stage of the pipeline (parse -> **validate** -> store/compare), beside
:mod:`comparator.validate`, whose checks it reuses. The files left unparsed are those the
database holds with the same SHA-256 (:mod:`comparator.store.reload` reads them). Their
single-file checks passed when they were stored and depend on their text alone; what
validate.py checks *across* files is what can change their verdict:

- the vocabulary (duplicate terms, broader links, labels): only files with a vocabulary
  block hold terms, and those are always parsed, so it is rebuilt exactly;
- every name a file uses (terms of each kind, topic patterns, countries, groups, roles):
  resolved against that vocabulary; for unparsed files, the names their rows hold;
- regime ids, declared once in the corpus (E020 across files);
- the regimes and citations expectations name (E023, E021 with a regime).

Anything a stored file would be told, and any regime id both sides declare, makes the
answer "only a full check can say" (None), so that the full check words it.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import Diagnostic
from .model import Article, Regime, RuleFile, Span
from .parse import ParseResult, Use
from .validate import _check_use, _refs_of, validate
from .vocabulary import Vocabulary


@dataclass
class StoredFiles:
    """What the files of a corpus that were not parsed again share with the others.

    Filled from the database by :mod:`comparator.store.reload` for files whose stored copy
    has the same SHA-256 as the text on disk. Such a file passed its own single-file checks
    when it was stored; what can still change its verdict comes from other files: the
    vocabulary its names resolve in, a regime id another file declares too, and the
    regimes and citations its expectations name (the list in the module docstring).
    """

    regimes: dict[str, set[str]]  # regime id -> the citations it defines (only those of cited regimes are needed)
    uses: set[tuple[str, str, str | None]]  # (use kind, value, regime of a cited ref) of every name they use
    provisions: int = 0  # for the summary line: what a full check would count


_STORED = Span.model_construct(path="<stored>", line=1, column=1)


def validate_partial(results: list[ParseResult], failed: list[Diagnostic], report_paths: set[str],
                     stored: StoredFiles) -> list[Diagnostic] | None:
    """The diagnostics a full :func:`validate` of the corpus would give, or None if only a full check can say.

    ``results`` are the files parsed (every file with a vocabulary block among them, in
    corpus order), ``failed`` the diagnostics of those that did not parse, ``stored`` the
    rest. None when a stored file would get a diagnostic (the full check words it) or a
    regime id is declared both by a parsed and a stored file (which of the two gets the
    E020 depends on the order of all files).
    """
    parsed = {r.file.regime.id: r.file for r in results if r.file.regime}
    if parsed.keys() & stored.regimes.keys():
        return None
    # When a parsed file names regimes (expectations), the stored ones stand in as files
    # holding nothing but their citations, so that its regime uses and their "did you
    # mean" see the whole corpus. Their own findings (no parties, ...) are about the
    # stand-ins and fall outside report_paths.
    names_regimes = any(u.kind == "regime" for r in results for u in r.uses)
    stand_ins = [ParseResult.model_construct(file=RuleFile.model_construct(
        path=_STORED.path, span=_STORED, regime=Regime.model_construct(
            id=rid, title="", kind="trade_agreement", parties=[], jurisdiction=[], language="en", authentic=[],
            span=_STORED),
        articles=[Article.model_construct(ref=ref, span=_STORED, provisions=[], exceptions=[], definitions=[])
                  for ref in sorted(refs)],
        dispute_settlement=None, vocabulary=[], expectations=[]), uses=[], diagnostics=[])
        for rid, refs in stored.regimes.items()] if names_regimes else []
    diags = failed + validate([*results, *stand_ins], report_paths=report_paths - {_STORED.path})
    # The stored files' own names, against the same vocabulary and regimes.
    vocab = Vocabulary.from_terms(t for r in results for t in r.file.vocabulary)
    regimes = {**parsed, **dict.fromkeys(stored.regimes)}
    refs = {**{rid: _refs_of(f) for rid, f in parsed.items()}, **stored.regimes}
    for kind, value, regime in stored.uses:
        use = Use(kind, value, _STORED.path, _STORED.line, _STORED.column, None, None, regime)
        if _check_use(use, None, vocab, {}, regimes, refs) is not None:
            return None
    return sorted(diags, key=Diagnostic.sort_key)
