"""Parse tree -> models: the builder behind :func:`comparator.parse.parse_text`.

Second half of the first stage (rules/*.dtr -> **parse** -> validate -> store ...).
:mod:`comparator.parse` runs lark and hands the tree here; this module walks it without
importing lark (it only reads ``data``, ``children`` and token positions), builds the
:mod:`comparator.model` objects, and records every *use* of a name (term, topic,
country, citation) with its exact span, so that the validator can point at the very word
that is wrong without the models having to carry a span per string.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel

from .errors import Diagnostic
from .model import (
    Article,
    Comment,
    Deferral,
    Definition,
    DisputeSettlement,
    Exception_,
    Expectation,
    Norm,
    Party,
    Provision,
    Regime,
    RuleFile,
    Span,
    Term,
)


UseKind = Literal[
    "action", "object", "role", "test", "exception", "scope", "topic", "country", "term",
    "ref", "regime", "status", "regime_kind", "conflict_kind", "bound", "topic_pattern",
]


class Use(BaseModel):
    """One occurrence of a name that the validator must resolve."""

    kind: UseKind
    value: str
    span: Span
    regime: str | None = None  # for refs: the regime the citation belongs to (None = this file's)


_UNESCAPE = re.compile(r'\\([\\"])')


def _unquote(token) -> str:
    return _UNESCAPE.sub(r"\1", str(token)[1:-1])


class _Builder:
    """Turns the lark tree into models, recording uses and value errors as it goes."""

    def __init__(self, path: str):
        self.path = path
        self.uses: list[Use] = []
        self.diagnostics: list[Diagnostic] = []

    # -- helpers
    # Spans and uses are built by the thousand from lark's own ints and strings, so they skip
    # pydantic's validation (model_construct): a third of the build time on a 10k corpus.
    def span(self, node) -> Span:
        meta = getattr(node, "meta", None)
        if meta is not None and not getattr(meta, "empty", True):
            node = meta
        return Span.model_construct(path=self.path, line=node.line, column=node.column,
                                    end_line=node.end_line, end_column=node.end_column)

    def line(self, node) -> int:
        meta = getattr(node, "meta", None)
        return meta.line if meta is not None and not getattr(meta, "empty", True) else node.line

    def use(self, kind: UseKind, token, regime: str | None = None) -> str:
        value = str(token)
        self.uses.append(Use.model_construct(kind=kind, value=value, span=self.span(token), regime=regime))
        return value

    def date(self, token) -> dt.date | None:
        try:
            return dt.date.fromisoformat(str(token))
        except ValueError:
            self.diagnostics.append(Diagnostic(
                code="E030", message=f"{token} is not a date in the calendar", span=self.span(token),
                hint="write dates as YYYY-MM-DD with a real month and day"))
            return None

    def text(self, token) -> str:
        value = _unquote(token)
        if not value.strip():
            self.diagnostics.append(Diagnostic(code="E041", message="this text is empty", span=self.span(token),
                                               hint="give the text, or leave the field out"))
        return value

    def idents(self, tree, kind: UseKind) -> list[str]:
        return [self.use(kind, t) for t in tree.children]

    def fields(self, items, allowed_repeat: tuple[str, ...] = ()) -> dict[str, tuple[Any, Any]]:
        """field name -> (value, node); a field given twice is E045."""
        out: dict[str, tuple[Any, Any]] = {}
        for name, value, node in items:
            if name in out and name not in allowed_repeat:
                self.diagnostics.append(Diagnostic(
                    code="E045", message=f"`{name}` is given twice", span=self.span(node),
                    related=[("first given here", self.span(out[name][1]))],
                    hint="keep one; for several values write a comma-separated list"))
                continue
            out[name] = (value, node)
        return out

    def lines_of(self, f: dict) -> dict[str, int]:
        return {name: self.line(node) for name, (_value, node) in f.items()}

    # -- fields shared by several blocks: return (name, value, node)
    def field(self, node):
        name = node.data
        ch = node.children
        if name == "kind_field":
            return ("kind", self.use("regime_kind", ch[0]), node)
        if name == "parties_field":
            return ("parties", [self.party(p) for p in ch], node)
        if name == "jurisdiction_field":
            return ("jurisdiction", self.idents(ch[0], "country"), node)
        if name in ("covers_field", "not_encoded_field"):
            return (name.removesuffix("_field"), self.idents(ch[0], "topic_pattern"), node)
        if name == "signed_field":
            return ("signed", self.date(ch[0]), node)
        if name == "in_force_field":
            return ("in_force", self.date(ch[0]), node)
        if name == "until_field":
            return ("until", self.date(ch[1]), node)
        if name == "source_field":
            return ("source", self.text(ch[0]), node)
        if name == "note_field":
            return ("note", self.text(ch[0]), node)
        if name == "topic_field":
            return ("topics", self.idents(ch[0], "topic"), node)
        if name == "excludes_field":
            return ("excludes", self.idents(ch[0], "scope"), node)
        if name == "tests_field":
            return ("tests", self.idents(ch[0], "test"), node)
        if name == "quote_field":
            return ("quote", (self.text(ch[0]), len(ch) > 1), node)
        if name == "translation_field":
            return ("translation_text", self.text(ch[0]), node)
        if name == "translation_source_field":
            return ("translation_source", self.text(ch[0]), node)
        if name == "gloss_field":
            return ("gloss", self.text(ch[0]), node)
        if name == "language_field":
            return ("language", str(ch[0]), node)
        if name == "authentic_field":
            return ("authentic", [str(t) for t in ch[0].children], node)
        if name == "status_field":
            return ("status", self.use("status", ch[0]), node)
        if name == "replaced_by_field":
            return ("replaced_by", self.use("ref", ch[0]), node)
        if name == "broader_field":
            return ("broader", [str(t) for t in ch[0].children], node)
        if name == "aliases_field":
            return ("aliases", [str(t) for t in ch[0].children], node)
        if name in ("label_zh_field", "label_es_field"):
            return (name[:-len("_field")], self.text(ch[0]), node)
        if name == "members_field":
            return ("members", self.idents(ch[0], "country"), node)
        if name == "norm":
            return ("norm", self.norm(node), node)
        raise AssertionError(f"unhandled field {name}")

    def party(self, node) -> Party:
        country = self.use("country", node.children[0])
        joined = left = None
        for pd in node.children[1:]:
            which, date = pd.children
            if str(which) == "from":
                joined = self.date(date)
            else:
                left = self.date(date)
        return Party(country=country, joined=joined, left=left, span=self.span(node))

    # -- blocks
    def regime(self, node) -> Regime:
        ident, title, *rest = node.children
        f = self.fields([self.field(n) for n in rest])
        kind = f.get("kind", (None, None))[0]
        if kind is None:
            self.diagnostics.append(Diagnostic(code="E014", message=f"regime {ident} has no `kind`",
                                               span=self.span(node),
                                               hint="add `kind: trade_agreement` (or digital_economy_agreement, "
                                                    "domestic_law, contract_clauses)"))
        return Regime.model_construct(
            id=str(ident), title=self.text(title), kind=kind,
            parties=f.get("parties", ([], None))[0], jurisdiction=f.get("jurisdiction", ([], None))[0],
            signed=f.get("signed", (None, None))[0], in_force=f.get("in_force", (None, None))[0],
            until=f.get("until", (None, None))[0], source=f.get("source", (None, None))[0],
            note=f.get("note", (None, None))[0], covers=f.get("covers", (None, None))[0],
            not_encoded=f.get("not_encoded", ([], None))[0], language=f.get("language", ("en", None))[0],
            authentic=f.get("authentic", ([], None))[0], span=self.span(node), lines=self.lines_of(f),
        )

    def norm(self, node) -> Norm:
        bearers = modality = stance = action = None
        objects: list[str] = []
        destinations: list[str] = []
        conditions: list[str] = []
        unless: list[str] = []
        lines: dict[str, int] = {}
        object_word = "of"
        for ch in node.children:
            data = getattr(ch, "data", None)
            if data == "bearers":
                bearers = self.idents(ch, "role")
            elif data == "modality":
                modality = " ".join(str(t) for t in ch.children)
            elif data == "stance":
                stance = str(ch.children[0])
            elif data == "objects":
                objects = self.idents(ch.children[-1], "object")
                object_word = str(ch.children[0]) if len(ch.children) > 1 else "of"
            elif data == "destinations":
                destinations = self.idents(ch.children[0], "object")
            elif data == "when_clause":
                lines[f"when:{len(conditions)}"] = self.line(ch)
                conditions.append(self.text(ch.children[0]))
            elif data == "unless_clause":
                lines["unless"] = self.line(ch)
                unless += [self.use("ref", t) for t in ch.children]
            else:
                action = self.use("action", ch)
        return Norm(bearers=bearers, modality=modality, stance=stance, action=action, objects=objects,
                    destinations=destinations, conditions=conditions, unless=unless, span=self.span(node),
                    lines=lines, object_word=object_word)

    def _common(self, f: dict) -> dict:
        quote, translation = f.get("quote", ((None, False), None))[0]
        status = f.get("status", ("verified", None))[0]
        return dict(
            quote=quote, translation=translation,
            translation_text=f.get("translation_text", (None, None))[0],
            translation_source=f.get("translation_source", (None, None))[0],
            gloss=f.get("gloss", (None, None))[0],
            # An unknown status is reported by the validator (E014); the model keeps a valid one.
            status=status if status in ("verified", "unverified") else "verified",
            note=f.get("note", (None, None))[0], lines=self.lines_of(f),
        )

    def provision(self, node) -> Provision:
        ref, *items = node.children
        norms = [n for n in items if n.data == "norm"]
        f = self.fields([self.field(n) for n in items if n.data != "norm"])
        # A skeleton (an imported draft, a placeholder) may wait for its norm if it says it is
        # unverified; it takes no part in comparisons until a lawyer encodes the norm.
        skeleton = not norms and f.get("status", (None,))[0] == "unverified"
        if len(norms) != 1 and not skeleton:
            self.diagnostics.append(Diagnostic(
                code="E042", message=f"provision {ref} has {len(norms)} norms; a provision holds exactly one",
                span=self.span(norms[1] if len(norms) > 1 else node),
                hint="split the paragraph into two provisions (e.g. 46.2.a and 46.2.b)" if norms
                else "add the norm, e.g. `party must allow cross_border_transfer of information`"))
        return Provision(
            ref=str(ref), topics=f.get("topics", ([], None))[0],
            norm=self.norm(norms[0]) if norms else None,
            excludes=f.get("excludes", ([], None))[0],
            in_force=f.get("in_force", (None, None))[0], until=f.get("until", (None, None))[0],
            replaced_by=f.get("replaced_by", (None, None))[0], span=self.span(node), **self._common(f),
        )

    def exception(self, node) -> Exception_:
        ref, kind, applies, *items = node.children
        f = self.fields([self.field(n) for n in items])
        targets = ["all"] if str(applies.children[0]) == "all" else [self.use("ref", t) for t in applies.children]
        return Exception_(
            ref=str(ref), kind=self.use("exception", kind), applies_to=targets,
            tests=f.get("tests", ([], None))[0], excludes=f.get("excludes", ([], None))[0],
            in_force=f.get("in_force", (None, None))[0], until=f.get("until", (None, None))[0],
            replaced_by=f.get("replaced_by", (None, None))[0], span=self.span(node), **self._common(f),
        )

    def definition(self, node) -> Definition:
        term, *items = node.children
        f = self.fields([self.field(n) for n in items])
        return Definition(term=self.use("term", term), span=self.span(node), **self._common(f))

    def article(self, node) -> Article:
        ref, *rest = node.children
        title = None
        if rest and getattr(rest[0], "type", None) == "STRING":
            title = self.text(rest.pop(0))
        article = Article(ref=str(ref), title=title, span=self.span(node))
        notes = []
        for item in rest:
            if item.data == "provision":
                article.order.append(("provision", len(article.provisions)))
                article.provisions.append(self.provision(item))
            elif item.data == "exception":
                article.order.append(("exception", len(article.exceptions)))
                article.exceptions.append(self.exception(item))
            elif item.data == "definition":
                article.order.append(("definition", len(article.definitions)))
                article.definitions.append(self.definition(item))
            else:
                notes.append(self.field(item))
        f = self.fields(notes)
        article.note = f.get("note", (None, None))[0]
        article.lines = self.lines_of(f)
        return article

    def dispute_settlement(self, node) -> DisputeSettlement:
        applies = None
        excepted: list[str] = []
        deferrals: list[Deferral] = []
        simple = []
        for item in node.children:
            if item.data == "applies_field":
                simple.append(("applies", str(item.children[0].children[0]) == "yes", item))
            elif item.data == "except_field":
                excepted += [self.use("ref", t) for t in item.children]
            elif item.data == "defer_field":
                parties, *refs_until = item.children
                *refs, _until, end = refs_until
                deferrals.append(Deferral(
                    parties=self.idents(parties, "country"), provisions=[self.use("ref", t) for t in refs],
                    until_date=self.date(end) if end.type == "DATE" else None,
                    until_text=self.text(end) if end.type == "STRING" else None, span=self.span(item)))
            else:
                simple.append(self.field(item))
        f = self.fields(simple)
        if "applies" in f:
            applies = f["applies"][0]
        else:
            self.diagnostics.append(Diagnostic(code="E014", message="dispute_settlement needs `applies: yes` or `applies: no`",
                                               span=self.span(node)))
            applies = True
        lines = self.lines_of(f)
        for item in node.children:
            if item.data == "except_field":
                lines.setdefault("except", self.span(item).line)
        return DisputeSettlement(applies=applies, excepted=excepted, deferrals=deferrals,
                                 note=f.get("note", (None, None))[0], span=self.span(node), lines=lines)

    def term(self, node) -> Term:
        kind, ident, *rest = node.children
        label = None
        if rest and getattr(rest[0], "type", None) == "STRING":
            label = self.text(rest.pop(0))
        f = self.fields([self.field(n) for n in rest])
        return Term(kind=str(kind), id=str(ident), label=label, label_zh=f.get("label_zh", (None, None))[0],
                    label_es=f.get("label_es", (None, None))[0], broader=f.get("broader", ([], None))[0],
                    aliases=f.get("aliases", ([], None))[0], members=f.get("members", ([], None))[0],
                    note=f.get("note", (None, None))[0], span=self.span(node), lines=self.lines_of(f))

    def expectation(self, node) -> Expectation:
        ch = list(node.children)
        conflict = True
        if getattr(ch[0], "type", None) == "NO":
            conflict = False
            ch.pop(0)
        kind = None
        if len(ch) >= 5 and getattr(ch[4], "type", None) == "REF":
            kind = self.use("conflict_kind", ch.pop(0))
        a_regime, a_ref, b_regime, b_ref, *rest = ch
        exp = Expectation(conflict=conflict, kind=kind,
                          a_regime=self.use("regime", a_regime), a_ref=self.use("ref", a_ref, regime=str(a_regime)),
                          b_regime=self.use("regime", b_regime), b_ref=self.use("ref", b_ref, regime=str(b_regime)),
                          span=self.span(node))
        for clause in rest:
            if clause.data == "for_clause":
                exp.bound = self.use("bound", clause.children[0])
            elif clause.data == "as_of_clause":
                exp.as_of = self.date(clause.children[0])
            else:
                regime, country = clause.children
                exp.assume.append((self.use("regime", regime), self.use("country", country)))
        return exp

    def build(self, tree, comments: list[Comment]) -> RuleFile:
        rf = RuleFile(path=self.path, comments=comments, span=Span(path=self.path, line=1, column=1))
        for item in tree.children:
            if item.data == "regime":
                regime = self.regime(item)
                if rf.regime is not None:
                    self.diagnostics.append(Diagnostic(
                        code="E043", message=f"a second regime ({regime.id}) in one file", span=self.span(item),
                        related=[("the first regime", rf.regime.span)],
                        hint="put each instrument in its own file"))
                    continue
                rf.regime = regime
                rf.order.append(("regime", 0))
            elif item.data == "article":
                rf.order.append(("article", len(rf.articles)))
                rf.articles.append(self.article(item))
            elif item.data == "dispute_settlement":
                if rf.dispute_settlement is not None:
                    self.diagnostics.append(Diagnostic(
                        code="E045", message="`dispute_settlement` is given twice", span=self.span(item),
                        related=[("first given here", rf.dispute_settlement.span)]))
                    continue
                rf.dispute_settlement = self.dispute_settlement(item)
                rf.order.append(("dispute_settlement", 0))
            elif item.data == "vocabulary":
                terms = [self.term(t) for t in item.children]
                rf.order.append(("vocabulary", len(terms)))
                rf.lines[f"vocabulary:{len(rf.vocabulary)}"] = self.span(item).line
                rf.lines[f"vocabulary_end:{len(rf.vocabulary)}"] = self.span(item).end_line
                rf.vocabulary += terms
            elif item.data == "expectation":
                rf.order.append(("expectation", len(rf.expectations)))
                rf.expectations.append(self.expectation(item))
        return rf
