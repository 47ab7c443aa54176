"""Tokens -> models: the rule callbacks behind :func:`comparator.parse.parse_text`.

Second half of the first stage (rules/*.dtr -> **parse** -> validate -> store ...).
:mod:`comparator.parse` drives lark's LALR tables and, each time it reduces a rule, calls the
:class:`Builder` method named after that rule with the rule's children: bottom-up, in source
order, and without a parse tree. This module does not import lark: a token is a plain tuple
``(type, value, line, column, end_line, end_column)``, and a construct's span runs from its
first token to its last, which is why the grammar names the keyword that opens each block and
field and the brace that closes it. The builder also records every *use* of a name (term,
topic, country, citation) with its exact position, so that the validator can point at the
very word that is wrong without the models having to carry a span per string.
"""
from __future__ import annotations

from .build_fields import FieldCallbacks, Use, UseKind, construct, _is_token, new_span  # noqa: F401 (Use, UseKind re-exported)
from .errors import Diagnostic
from .model import (
    Article,
    Definition,
    DisputeSettlement,
    Exception_,
    Expectation,
    Provision,
    Regime,
    RuleFile,
    Term,
)


class Builder(FieldCallbacks):
    """The rule callbacks, and what one file's parse has recorded so far (``begin`` per file).

    Each block's callback runs after those of everything inside it, so a callback that must
    report before its children did (a title's E041) inserts at ``_mark_d``: where the
    diagnostics of the current top-level item, or vocabulary term, began. A norm's uses and
    diagnostics wait for its provision, which keeps only its first norm's (as the provision
    holds only that one). Helpers are named with a leading underscore so that none is taken
    for a rule (lark looks rules up by name; the grammar's own ``_`` rules end in ``item``
    or ``clause``). The callbacks of what blocks hold are in :mod:`comparator.build_fields`.
    """

    def __init__(self) -> None:
        self.begin("<text>")

    def begin(self, path: str) -> None:
        """Start a file: forget what the last one recorded."""
        self.path = path
        self.uses: list[Use] = []
        self.diagnostics: list[Diagnostic] = []
        self._regime: Regime | None = None
        self._ds: DisputeSettlement | None = None
        self._mark_u = self._mark_d = 0

    def _done(self, result):
        """End of a top-level item or a term: what follows reports after this point."""
        self._mark_u, self._mark_d = len(self.uses), len(self.diagnostics)
        return result

    # -- blocks
    @staticmethod
    def _common(f: dict) -> dict:
        def get(name, default=None):
            item = f.get(name)
            return default if item is None else item[1]

        quote, translation = get("quote", (None, False))
        status = get("status", "verified")
        return dict(
            quote=quote, translation=translation, translation_text=get("translation_text"),
            translation_source=get("translation_source"), gloss=get("gloss"),
            # An unknown status is reported by the validator (E014); the model keeps a valid one.
            status=status if status in ("verified", "unverified") else "verified",
            note=get("note"), lines=Builder._lines(f),
        )

    def regime(self, ch):
        kw, ident, title, *fields, rbrace = ch
        f = self._fields(fields)
        span = self._span(kw, rbrace)
        get = lambda name, default=None: f[name][1] if name in f else default  # noqa: E731
        kind = get("kind")
        if kind is None:
            self.diagnostics.append(Diagnostic(code="E014", message=f"regime {ident[1]} has no `kind`", span=span,
                                               hint="add `kind: trade_agreement` (or digital_economy_agreement, "
                                                    "domestic_law, contract_clauses)"))
        regime = construct[Regime](
            id=ident[1], title=self._text(title), kind=kind, parties=get("parties", []),
            jurisdiction=get("jurisdiction", []), signed=get("signed"), in_force=get("in_force"),
            until=get("until"), source=get("source"), note=get("note"), covers=get("covers"),
            not_encoded=get("not_encoded", []), language=get("language", "en"), authentic=get("authentic", []),
            span=span, lines=self._lines(f),
        )
        if self._regime is not None:
            self.diagnostics.append(Diagnostic(
                code="E043", message=f"a second regime ({regime.id}) in one file", span=span,
                related=[("the first regime", self._regime.span)], hint="put each instrument in its own file"))
            return self._done(None)
        self._regime = regime
        return self._done(regime)

    def provision(self, ch):
        kw, ref, *items, rbrace = ch
        norms = [n for n in items if n[0] == "norm"]
        f = self._fields([n for n in items if n[0] != "norm"])
        # A skeleton (an imported draft, a placeholder) may wait for its norm if it says it is
        # unverified; it takes no part in comparisons until a lawyer encodes the norm.
        skeleton = not norms and "status" in f and f["status"][1] == "unverified"
        if len(norms) != 1 and not skeleton:
            self.diagnostics.append(Diagnostic(
                code="E042", message=f"provision {ref[1]} has {len(norms)} norms; a provision holds exactly one",
                span=self._span(norms[1][2], norms[1][3]) if len(norms) > 1 else self._span(kw, rbrace),
                hint="split the paragraph into two provisions (e.g. 46.2.a and 46.2.b)" if norms
                else "add the norm, e.g. `party must allow cross_border_transfer of information`"))
        norm = None
        if norms:  # only the first norm is kept, so only its names are checked
            _, norm, _, _, uses, diags = norms[0]
            self.uses += uses
            self.diagnostics += diags
        get = lambda name, default=None: f[name][1] if name in f else default  # noqa: E731
        return construct[Provision](
            ref=ref[1], topics=get("topics", []), norm=norm, excludes=get("excludes", []),
            in_force=get("in_force"), until=get("until"), replaced_by=get("replaced_by"),
            span=self._span(kw, rbrace), **self._common(f))

    def exception(self, ch):
        kw, ref, kind, applies, *items = ch
        last = items.pop() if items and items[-1][0] == "RBRACE" else applies[-1]
        f = self._fields(items)
        targets = ["all"] if applies[0][1] == "all" else self._uses("ref", applies)
        get = lambda name, default=None: f[name][1] if name in f else default  # noqa: E731
        return construct[Exception_](
            ref=ref[1], kind=self._use("exception", kind), applies_to=targets, tests=get("tests", []),
            excludes=get("excludes", []), in_force=get("in_force"), until=get("until"),
            replaced_by=get("replaced_by"), span=self._span(kw, last), **self._common(f))

    def definition(self, ch):
        kw, term, *items = ch
        last = items.pop() if items else term
        f = self._fields(items)
        return construct[Definition](term=self._use("term", term), span=self._span(kw, last), **self._common(f))

    def article(self, ch):
        kw, ref, *items, rbrace = ch
        title = None
        if items and _is_token(items[0]):
            title = self._text(items.pop(0), at=self._mark_d)  # reported before what the article holds
        provisions, exceptions, definitions, order, notes = [], [], [], [], []
        groups = {Provision: ("provision", provisions), Exception_: ("exception", exceptions),
                  Definition: ("definition", definitions)}
        for item in items:
            group = groups.get(type(item))
            if group is None:  # a note
                notes.append(item)
            else:
                order.append((group[0], len(group[1])))
                group[1].append(item)
        f = self._fields(notes)
        return self._done(construct[Article](
            ref=ref[1], title=title, note=f["note"][1] if "note" in f else None, provisions=provisions,
            exceptions=exceptions, definitions=definitions, order=order, span=self._span(kw, rbrace),
            lines=self._lines(f)))

    def dispute_settlement(self, ch):
        kw, *items, rbrace = ch
        span = self._span(kw, rbrace)
        if self._ds is not None:
            # A second block is not read at all: nothing it names is checked.
            del self.uses[self._mark_u:]
            del self.diagnostics[self._mark_d:]
            self.diagnostics.append(Diagnostic(code="E045", message="`dispute_settlement` is given twice", span=span,
                                               related=[("first given here", self._ds.span)]))
            return self._done(None)
        excepted: list[str] = []
        deferrals: list[Deferral] = []
        simple = []
        except_line = None
        for item in items:
            name = item[0]
            if name == "except":
                excepted += item[1]
                except_line = except_line or item[2][2]
            elif name == "defer":
                deferrals.append(item[1])
            else:
                simple.append(item)
        f = self._fields(simple)
        if "applies" in f:
            applies = f["applies"][1]
        else:
            self.diagnostics.append(Diagnostic(code="E014", message="dispute_settlement needs `applies: yes` or `applies: no`",
                                               span=span))
            applies = True
        lines = self._lines(f)
        if except_line is not None:
            lines.setdefault("except", except_line)
        self._ds = construct[DisputeSettlement](applies=applies, excepted=excepted, deferrals=deferrals,
                                                 note=f["note"][1] if "note" in f else None, span=span, lines=lines)
        return self._done(self._ds)

    def term(self, ch):
        kind, ident, *items = ch
        label = None
        last = ident
        if items and items[0][0] == "STRING":
            last = items.pop(0)
            label = self._text(last, at=self._mark_d)  # reported before the term's fields
        if items:  # a block: its fields, then "}"
            last = items.pop()
        f = self._fields(items)
        get = lambda name, default=None: f[name][1] if name in f else default  # noqa: E731
        return self._done(construct[Term](
            kind=kind[1], id=ident[1], label=label, label_zh=get("label_zh"), label_es=get("label_es"),
            broader=get("broader", []), aliases=get("aliases", []), members=get("members", []),
            note=get("note"), span=self._span(kind, last), lines=self._lines(f)))

    def vocabulary(self, ch):
        return self._done(("vocabulary", ch[1:-1], ch[0][2], ch[-1][4]))

    def expectation(self, ch):
        kw, *ch = ch
        conflict = True
        if ch[0][0] == "NO":
            conflict = False
            ch.pop(0)
        kind = None
        if len(ch) >= 5 and ch[4][0] == "REF":
            kind = self._use("conflict_kind", ch.pop(0))
        a_regime, a_ref, b_regime, b_ref, *rest = ch
        bound = as_of = None
        assume: list[tuple[str, str]] = []
        for clause in rest:
            if clause[0] == "for":
                bound = self._use("bound", clause[1])
            elif clause[0] == "as_of":
                as_of = self._date(clause[1])
            else:
                assume.append((self._use("regime", clause[1]), self._use("country", clause[2])))
        last = rest[-1][-1] if rest else b_ref
        return self._done(construct[Expectation](
            conflict=conflict, kind=kind, a_regime=self._use("regime", a_regime),
            a_ref=self._use("ref", a_ref, regime=a_regime[1]), b_regime=self._use("regime", b_regime),
            b_ref=self._use("ref", b_ref, regime=b_regime[1]), bound=bound, as_of=as_of, assume=assume,
            span=self._span(kw, last)))

    def start(self, ch):
        articles, vocabulary, expectations, order = [], [], [], []
        lines: dict[str, int] = {}
        regime = ds = None
        for item in ch:
            cls = type(item)
            if cls is Article:
                order.append(("article", len(articles)))
                articles.append(item)
            elif cls is Regime:
                regime = item
                order.append(("regime", 0))
            elif cls is DisputeSettlement:
                ds = item
                order.append(("dispute_settlement", 0))
            elif cls is Expectation:
                order.append(("expectation", len(expectations)))
                expectations.append(item)
            elif item is not None:  # ("vocabulary", terms, line, end line)
                _, terms, line, end_line = item
                order.append(("vocabulary", len(terms)))
                lines[f"vocabulary:{len(vocabulary)}"] = line
                lines[f"vocabulary_end:{len(vocabulary)}"] = end_line
                vocabulary += terms
        path = self.path
        return construct[RuleFile](
            path=path, regime=regime, articles=articles, dispute_settlement=ds, vocabulary=vocabulary,
            expectations=expectations, order=order, lines=lines, span=new_span(path, 1, 1))
