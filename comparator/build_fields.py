"""Tokens -> the parts of a block: lists, fields, parties and the norm, as rule callbacks.

Part of the first stage (rules/*.dtr -> **parse** -> validate ...), beside
:mod:`comparator.build`, whose :class:`~comparator.build.Builder` inherits these callbacks
and the helpers they share (the token tuple and the order of callbacks are described there).
A field's callback returns ``(name, value, first token, last token)``: its block reports a
field given twice, and keeps each field's line for the formatter. Every name a part uses is
recorded as a :class:`Use` with its position, for the validator.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Literal, NamedTuple

from .errors import Diagnostic
from .model import (
    Article,
    Comment,
    Definition,
    Deferral,
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


class Use(NamedTuple):
    """One occurrence of a name that the validator must resolve.

    A tuple, not a model: a corpus has hundreds of thousands of them and nearly all resolve,
    so the span is only made (``span``) for the few that end up in a diagnostic.
    """

    kind: UseKind
    value: str
    path: str
    line: int
    column: int
    end_line: int | None
    end_column: int | None
    regime: str | None = None  # for refs: the regime the citation belongs to (None = this file's)

    @property
    def span(self) -> Span:
        return new_span(self.path, self.line, self.column, self.end_line, self.end_column)


_UNESCAPE = re.compile(r'\\([\\"])')
_new_use = tuple.__new__
_setattr = object.__setattr__


def _maker(cls):
    """A constructor doing what ``cls.model_construct(**values)`` does, in half the time and memory.

    The parse makes a model or span for every construct of a corpus (millions at 100k
    provisions), so the defaults come from a template dict in field order, and all
    instances share one set of every field name as their ``model_fields_set``: pydantic
    adds a field's name to that set when the field is assigned, which is then a no-op, and
    nothing reads which fields were given. model_construct made a new set per instance, a
    third of the memory of a parsed corpus.
    """
    assert not cls.__pydantic_post_init__ and not cls.__pydantic_root_model__
    assert cls.model_config.get("extra") != "allow"
    fields = cls.model_fields
    template = {name: None if f.is_required() else f.default for name, f in fields.items()}
    fresh = tuple((name, type(f.default)) for name, f in fields.items()
                  if not f.is_required() and isinstance(f.default, (list, dict)))
    assert all(f.default_factory is None for f in fields.values()) and not any(fields[n].default for n, _ in fresh)
    shared, new = set(fields), cls.__new__

    def make(**values):
        d = template.copy()
        d.update(values)
        for name, kind in fresh:
            if name not in values:
                d[name] = kind()
        m = new(cls)
        _setattr(m, "__dict__", d)
        _setattr(m, "__pydantic_fields_set__", shared)
        _setattr(m, "__pydantic_extra__", None)
        _setattr(m, "__pydantic_private__", None)
        return m

    return make


construct = {cls: _maker(cls) for cls in (Article, Comment, Definition, Deferral, DisputeSettlement, Exception_,
                                           Expectation, Norm, Party, Provision, Regime, RuleFile, Span, Term)}
_SPAN_FIELDS = set(Span.model_fields)


def new_span(path: str, line: int, column: int, end_line: int | None = None, end_column: int | None = None) -> Span:
    """``Span.model_construct(...)`` of every field, the most made model of all, without keywords."""
    m = _new_span(Span)
    _setattr(m, "__dict__", {"path": path, "line": line, "column": column, "end_line": end_line,
                             "end_column": end_column})
    _setattr(m, "__pydantic_fields_set__", _SPAN_FIELDS)
    _setattr(m, "__pydantic_extra__", None)
    _setattr(m, "__pydantic_private__", None)
    return m


_new_span = Span.__new__
assert list(Span.model_fields) == ["path", "line", "column", "end_line", "end_column"]


def _is_token(x) -> bool:
    return type(x) is tuple and x[0].isupper()


# Callbacks of `KEYWORD ":" value` fields: (name, value, keyword token, last token).
def _name_field(name: str, kind: UseKind | None = None):
    def callback(self, ch):
        return (name, ch[1][1] if kind is None else self._use(kind, ch[1]), ch[0], ch[1])
    return callback


def _names_field(name: str, kind: UseKind | None = None):
    def callback(self, ch):
        return (name, [t[1] for t in ch[1]] if kind is None else self._uses(kind, ch[1]), ch[0], ch[1][-1])
    return callback


def _date_field(name: str):
    def callback(self, ch):
        return (name, self._date(ch[1]), ch[0], ch[1])
    return callback


def _text_field(name: str):
    def callback(self, ch):
        return (name, self._text(ch[1]), ch[0], ch[1])
    return callback


class FieldCallbacks:
    """The callbacks of the rules inside blocks, and the helpers every callback uses.

    Works on ``path``, ``uses`` and ``diagnostics``, which ``Builder.begin`` sets per file.
    """

    path: str
    uses: list
    diagnostics: list

    # -- helpers
    # Spans are built by the thousand from the tokens' own ints and strings, so they skip
    # pydantic's validation (model_construct), as do the models, whose values the grammar checked.
    def _span(self, first, last) -> Span:
        return new_span(self.path, first[2], first[3], last[4], last[5])

    def _use(self, kind: UseKind, t, regime: str | None = None, into: list | None = None) -> str:
        value = t[1]
        (self.uses if into is None else into).append(
            _new_use(Use, (kind, value, self.path, t[2], t[3], t[4], t[5], regime)))
        return value

    def _uses(self, kind: UseKind, tokens, into: list | None = None) -> list[str]:
        path, uses = self.path, self.uses if into is None else into
        uses += [_new_use(Use, (kind, t[1], path, t[2], t[3], t[4], t[5], None)) for t in tokens]
        return [t[1] for t in tokens]

    def _date(self, t) -> dt.date | None:
        try:
            return dt.date.fromisoformat(t[1])
        except ValueError:
            self.diagnostics.append(Diagnostic(
                code="E030", message=f"{t[1]} is not a date in the calendar", span=self._span(t, t),
                hint="write dates as YYYY-MM-DD with a real month and day"))
            return None

    def _text(self, t, into: list | None = None, at: int | None = None) -> str:
        value = t[1][1:-1]
        if "\\" in value:
            value = _UNESCAPE.sub(r"\1", value)
        if not value.strip():
            d = Diagnostic(code="E041", message="this text is empty", span=self._span(t, t),
                           hint="give the text, or leave the field out")
            target = self.diagnostics if into is None else into
            target.append(d) if at is None else target.insert(at, d)
        return value

    def _fields(self, items, allowed_repeat: tuple[str, ...] = ()) -> dict[str, tuple]:
        """field name -> (name, value, first token, last token); a field given twice is E045."""
        out: dict[str, tuple] = {}
        for item in items:
            name = item[0]
            if name in out and name not in allowed_repeat:
                first = out[name]
                self.diagnostics.append(Diagnostic(
                    code="E045", message=f"`{name}` is given twice", span=self._span(item[2], item[3]),
                    related=[("first given here", self._span(first[2], first[3]))],
                    hint="keep one; for several values write a comma-separated list"))
                continue
            out[name] = item
        return out

    @staticmethod
    def _lines(f: dict) -> dict[str, int]:
        return {name: item[2][2] for name, item in f.items()}

    # -- lists and fields: a field is (name, value, first token, last token)
    def ident_list(self, ch):
        return ch

    topic_patterns = ident_list
    bearers = ident_list
    applies = ident_list
    party_date = ident_list

    def yes_no(self, ch):
        return ch[0]

    def translation_mark(self, ch):
        return ch[0]

    # `KEYWORD ":" value` fields whose callbacks differ only in name and kind (see the factories below)
    kind_field = _name_field("kind", "regime_kind")
    status_field = _name_field("status", "status")
    replaced_by_field = _name_field("replaced_by", "ref")
    language_field = _name_field("language")
    jurisdiction_field = _names_field("jurisdiction", "country")
    members_field = _names_field("members", "country")
    covers_field = _names_field("covers", "topic_pattern")
    not_encoded_field = _names_field("not_encoded", "topic_pattern")
    topic_field = _names_field("topics", "topic")
    excludes_field = _names_field("excludes", "scope")
    tests_field = _names_field("tests", "test")
    authentic_field = _names_field("authentic")
    broader_field = _names_field("broader")
    aliases_field = _names_field("aliases")
    signed_field = _date_field("signed")
    in_force_field = _date_field("in_force")
    until_field = _date_field("until")
    source_field = _text_field("source")
    note_field = _text_field("note")
    translation_field = _text_field("translation_text")
    translation_source_field = _text_field("translation_source")
    gloss_field = _text_field("gloss")
    label_zh_field = _text_field("label_zh")
    label_es_field = _text_field("label_es")

    def parties_field(self, ch):
        return ("parties", [p for p, _ in ch[1:]], ch[0], ch[-1][1])

    def quote_field(self, ch):
        return ("quote", (self._text(ch[1]), len(ch) > 2), ch[0], ch[-1])

    def party(self, ch):
        """(Party, its last token): IDENT, then ``(from DATE)`` / ``(until DATE)`` as [word, DATE, ")"]."""
        ident = ch[0]
        country = self._use("country", ident)
        joined = left = None
        for which, date, _rpar in ch[1:]:
            if which[1] == "from":
                joined = self._date(date)
            else:
                left = self._date(date)
        last = ch[-1][2] if len(ch) > 1 else ident
        return (construct[Party](country=country, joined=joined, left=left, span=self._span(ident, last)), last)

    # -- the norm: its parts are tagged tuples ending in their last token
    def modality(self, ch):
        return ("modality", " ".join(t[1] for t in ch), ch[-1])

    def stance(self, ch):
        return ("stance", ch[0][1], ch[0])

    def objects(self, ch):
        return ("objects", ch[0][1], ch[1], ch[1][-1])

    def destinations(self, ch):
        return ("destinations", ch[0], ch[0][-1])

    def when_clause(self, ch):
        return ("when", ch[0], ch[1])

    def unless_clause(self, ch):
        return ("unless", ch[0], ch[1:], ch[-1])

    def norm(self, ch):
        """("norm", Norm, first, last, uses, diagnostics): the provision decides what to keep."""
        uses: list[Use] = []
        diags: list[Diagnostic] = []
        bearers = self._uses("role", ch[0], uses)
        modality = stance = action = None
        objects: list[str] = []
        destinations: list[str] = []
        conditions: list[str] = []
        unless: list[str] = []
        lines: dict[str, int] = {}
        object_word = "of"
        for part in ch[1:]:
            tag = part[0]
            if tag == "modality":
                modality = part[1]
            elif tag == "stance":
                stance = part[1]
            elif tag == "objects":
                object_word, objects = part[1], self._uses("object", part[2], uses)
            elif tag == "destinations":
                destinations = self._uses("object", part[1], uses)
            elif tag == "when":
                lines[f"when:{len(conditions)}"] = part[1][2]
                conditions.append(self._text(part[2], diags))
            elif tag == "unless":
                lines["unless"] = part[1][2]
                unless += self._uses("ref", part[2], uses)
            else:
                action = self._use("action", part, into=uses)
        last = ch[-1] if _is_token(ch[-1]) else ch[-1][-1]
        first = ch[0][0]
        norm = construct[Norm](bearers=bearers, modality=modality, stance=stance, action=action, objects=objects,
                                destinations=destinations, conditions=conditions, unless=unless,
                                span=self._span(first, last), lines=lines, object_word=object_word)
        return ("norm", norm, first, last, uses, diags)

    def applies_field(self, ch):
        return ("applies", ch[1][1] == "yes", ch[0], ch[1])

    def except_field(self, ch):
        return ("except", self._uses("ref", ch[1:]), ch[0], ch[-1])

    def defer_field(self, ch):
        kw, parties, *refs, _until, end = ch
        deferral = construct[Deferral](
            parties=self._uses("country", parties), provisions=self._uses("ref", refs),
            until_date=self._date(end) if end[0] == "DATE" else None,
            until_text=self._text(end) if end[0] == "STRING" else None, span=self._span(kw, end))
        return ("defer", deferral, kw, end)

    def for_clause(self, ch):
        return ("for", ch[0])

    def as_of_clause(self, ch):
        return ("as_of", ch[0])

    def assume_clause(self, ch):
        return ("assume", ch[0], ch[1])
