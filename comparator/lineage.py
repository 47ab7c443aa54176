"""Where an article's text comes from: the most similar articles elsewhere in the corpus.

Engine stage (model <- **lineage** <- cli/ui), beside compare: it reads a Corpus and
returns result records with one ``to_dict()``. An article's text is the concatenation of
the quotes of its provisions and exceptions; texts are compared by the Jaccard similarity of their word
3-gram sets ("shingles"), computed exactly through an inverted index from shingle to
articles, so only articles sharing at least one shingle are scored (never all pairs).
Exact sets rather than MinHash: the corpus holds a few thousand articles at most, exact
scores are deterministic, and a MinHash library would add a dependency to save
milliseconds. The *ancestor* is the earliest-signed regime, signed before the article's
own regime, holding an article at least ``min_score`` alike; the word diff against it
(difflib on words) shows what the later drafters changed.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .errors import UserError
from .model import Article, Corpus, RuleFile

SHINGLE = 3
DEFAULT_TOP = 5
DEFAULT_MIN_SCORE = 0.2  # below this two texts share boilerplate, not drafting
_WORD = re.compile(r"\w+(?:[-'\u2019]\w+)*", re.UNICODE)


class LineageError(UserError):
    """An unknown regime or article, or an article without any quoted text."""


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def to_dict(self) -> dict:
        return self.model_dump(mode="json")


class ArticleRef(_Result):
    regime: str
    regime_title: str
    article: str
    article_title: str | None = None
    signed: dt.date | None = None


class Match(_Result):
    """An article of another regime and how alike its text is (0..1, Jaccard of word 3-grams)."""

    article: ArticleRef
    score: float
    shared_shingles: int


class DiffOp(_Result):
    """One run of the word diff: ``equal``, ``delete`` (ancestor's words gone), ``insert`` (new words)."""

    op: Literal["equal", "delete", "insert"]
    words: str


class Lineage(_Result):
    article: ArticleRef
    text_words: int
    matches: list[Match] = []
    ancestor: Match | None = None
    ancestor_note: str | None = None
    diff: list[DiffOp] = []


def words(text: str) -> list[str]:
    """The words of a text, without paragraph numbers and footnote markers (short bare numbers)."""
    return [w for w in _WORD.findall(text) if not (w.isdigit() and len(w) <= 3)]


def shingles(text: str, n: int = SHINGLE) -> set[tuple[str, ...]]:
    toks = [w.lower() for w in words(text)]
    if len(toks) < n:
        return {tuple(toks)} if toks else set()
    return {tuple(toks[i:i + n]) for i in range(len(toks) - n + 1)}


def article_text(article: Article) -> str:
    """The article's words as quoted in its provisions and exceptions, in the file's order.

    Definitions are left out: they quote fragments, often of another article.
    """
    order = article.order or ([("provision", i) for i in range(len(article.provisions))]
                              + [("exception", i) for i in range(len(article.exceptions))])
    nodes = [article.provisions[i] if kind == "provision" else article.exceptions[i]
             for kind, i in order if kind in ("provision", "exception")]
    return " ".join(n.quote for n in nodes if n.quote)


def _ref(rf: RuleFile, a: Article) -> ArticleRef:
    return ArticleRef(regime=rf.regime.id, regime_title=rf.regime.title, article=a.ref, article_title=a.title,
                      signed=rf.regime.signed)


@dataclass
class LineageIndex:
    """Shingle -> articles, built once per corpus (the UI caches it with the corpus)."""

    entries: list[tuple[RuleFile, Article, set]] = field(default_factory=list)
    postings: dict[tuple[str, ...], list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, corpus: Corpus) -> "LineageIndex":
        idx = cls()
        for rf in corpus.files:
            if rf.regime is None:
                continue
            for a in rf.articles:
                sh = shingles(article_text(a))
                if not sh:
                    continue
                i = len(idx.entries)
                idx.entries.append((rf, a, sh))
                for s in sh:
                    idx.postings[s].append(i)
        return idx

    def find(self, regime: str, article: str) -> tuple[RuleFile, Article, set]:
        regimes = {rf.regime.id: rf for rf, _, _ in self.entries}
        if regime not in regimes:
            from .perspective import did_you_mean

            raise LineageError(f"no regime `{regime}` with quoted articles in the rules",
                               did_you_mean(regime, sorted(regimes)) or "see `dtrc summary` for the regimes")
        for rf, a, sh in self.entries:
            if rf.regime.id == regime and a.ref == article:
                return rf, a, sh
        refs = [a.ref for rf, a, _ in self.entries if rf.regime.id == regime]
        raise LineageError(f"{regime} has no article {article} with a quote",
                           f"articles with quotes: {', '.join(refs[:30])}" + (" ..." if len(refs) > 30 else ""))

    def similar(self, regime: str, article: str) -> list[Match]:
        rf, a, sh = self.find(regime, article)
        shared: dict[int, int] = defaultdict(int)
        for s in sh:
            for i in self.postings.get(s, ()):
                shared[i] += 1
        out = []
        for i, n in shared.items():
            orf, oa, osh = self.entries[i]
            if orf.regime.id == regime:
                continue
            out.append(Match(article=_ref(orf, oa), score=round(n / len(sh | osh), 4), shared_shingles=n))
        # Ties broken by the older text first, then by id: the order is stable run to run.
        out.sort(key=lambda m: (-m.score, m.article.signed or dt.date.max, m.article.regime, m.article.article))
        return out


def word_diff(old: str, new: str) -> list[DiffOp]:
    a, b = words(old), words(new)
    ops: list[DiffOp] = []
    sm = difflib.SequenceMatcher(a=[w.lower() for w in a], b=[w.lower() for w in b], autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            ops.append(DiffOp(op="equal", words=" ".join(b[j1:j2])))
            continue
        if i2 > i1:
            ops.append(DiffOp(op="delete", words=" ".join(a[i1:i2])))
        if j2 > j1:
            ops.append(DiffOp(op="insert", words=" ".join(b[j1:j2])))
    return ops


def lineage(corpus: Corpus | LineageIndex, regime: str, article: str, *, top: int = DEFAULT_TOP,
            min_score: float = DEFAULT_MIN_SCORE) -> Lineage:
    """The ``top`` most similar articles, the earliest-signed ancestor and the word diff against it."""
    idx = corpus if isinstance(corpus, LineageIndex) else LineageIndex.build(corpus)
    rf, a, _ = idx.find(regime, article)
    matches = idx.similar(regime, article)
    result = Lineage(article=_ref(rf, a), text_words=len(words(article_text(a))), matches=matches[:top])
    signed = rf.regime.signed
    if signed is None:
        result.ancestor_note = f"{rf.regime.title} has no signature date, so no earlier text can be named"
        return result
    older = [m for m in matches if m.score >= min_score and m.article.signed and m.article.signed < signed]
    if not older:
        result.ancestor_note = (f"no article at least {min_score:.0%} alike in a regime signed before "
                                f"{signed.isoformat()}")
        return result
    ancestor = min(older, key=lambda m: (m.article.signed, -m.score, m.article.regime))
    result.ancestor = ancestor
    anc_rf, anc_a, _ = idx.find(ancestor.article.regime, ancestor.article.article)
    result.diff = word_diff(article_text(anc_a), article_text(a))
    return result


def diff_text(ops: list[DiffOp], context: int = 8) -> str:
    """The diff in words: [-removed-] {+added+}; long unchanged runs shortened to their ends."""
    parts = []
    for k, op in enumerate(ops):
        if op.op == "delete":
            parts.append(f"[-{op.words}-]")
        elif op.op == "insert":
            parts.append(f"{{+{op.words}+}}")
        else:
            ws = op.words.split()
            if len(ws) > 2 * context:
                head = ws[:context] if k > 0 else []
                tail = ws[-context:] if k < len(ops) - 1 else []
                ws = head + ["\u2026"] + tail
            parts.append(" ".join(ws))
    return " ".join(parts)


def article_of(corpus: Corpus | LineageIndex, regime: str, provision: str) -> str | None:
    """The citation of the article holding a provision or exception (``14.11.2`` -> ``14.11``)."""
    files = ([rf for rf, _, _ in corpus.entries] if isinstance(corpus, LineageIndex) else corpus.files)
    for rf in files:
        if rf.regime is not None and rf.regime.id == regime:
            for a in rf.articles:
                if a.ref == provision or any(n.ref == provision for n in [*a.provisions, *a.exceptions]):
                    return a.ref
    return None
