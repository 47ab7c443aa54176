"""Models -> canonical rule text: the formatter (`dtrc fmt`) and the exporter (`dtrc export`).

Sits beside parse in the pipeline: ``parse(format(x))`` gives the same models as
``parse(x)``, and ``format(format(x)) == format(x)``. The printer works from the models,
so layout is one canonical form; comments (which the models do not hold) are put back by
line: a comment on a line of its own goes before the first construct that followed it in
the source, a comment after code stays at the end of that construct's line. No comment is
ever dropped.
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import (
    Article,
    Comment,
    Definition,
    DisputeSettlement,
    Exception_,
    Expectation,
    Provision,
    Regime,
    RuleFile,
    Term,
)

INDENT = "  "
WIDTH = 100  # lists longer than this wrap, continuation lines indented one step further


@dataclass
class Line:
    text: str
    src: int  # the source line of the construct this line prints (0 = none known)
    depth: int = 0


def quote_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _src(node, end: bool = False) -> int:
    span = getattr(node, "span", None)
    if span is None:
        return 0
    return (span.end_line or span.line) if end else span.line


def _field(node, name: str) -> int:
    """Source line of one field of a node, or of the node itself when unknown."""
    return node.lines.get(name) or _src(node)


class _Printer:
    def __init__(self) -> None:
        self.lines: list[Line] = []

    def emit(self, depth: int, text: str, src: int) -> None:
        self.lines.append(Line(text=text, src=src, depth=depth))

    def emit_list(self, depth: int, prefix: str, items: list[str], src: int) -> None:
        """`prefix a, b, c` on one line, or wrapped at WIDTH with continuation lines."""
        line = prefix + items[0]
        for item in items[1:]:
            if len(INDENT * depth + line + ", " + item) > WIDTH:
                self.emit(depth, line + ",", src)
                line = INDENT + item
            else:
                line += ", " + item
        self.emit(depth, line, src)

    def blank(self) -> None:
        if self.lines and self.lines[-1].text != "":
            self.lines.append(Line(text="", src=-1))

    # -- blocks
    def regime(self, r: Regime) -> None:
        s = _src(r)
        self.emit(0, f"regime {r.id} {quote_text(r.title)} {{", s)
        if r.kind is not None:  # missing kind (E014): keep it missing, not "None"
            self.emit(1, f"kind: {r.kind}", _field(r, "kind"))
        if r.language != "en" or "language" in r.lines:
            self.emit(1, f"language: {r.language}", _field(r, "language"))
        if r.authentic:
            self.emit_list(1, "authentic: ", r.authentic, _field(r, "authentic"))
        if r.parties:
            parts = []
            for p in r.parties:
                dates = "".join(f" ({w} {d.isoformat()})" for w, d in (("from", p.joined), ("until", p.left)) if d)
                parts.append(p.country + dates)
            self.emit_list(1, "parties: ", parts, _field(r, "parties"))
        if r.jurisdiction:
            self.emit_list(1, "jurisdiction: ", r.jurisdiction, _field(r, "jurisdiction"))
        for name in ("signed", "in_force", "until"):
            value = getattr(r, name)
            if value:
                self.emit(1, f"{name}: {value.isoformat()}", _field(r, name))
        if r.source:
            self.emit(1, f"source: {quote_text(r.source)}", _field(r, "source"))
        if r.covers is not None:
            self.emit_list(1, "covers: ", r.covers, _field(r, "covers"))
        if r.not_encoded:
            self.emit_list(1, "not_encoded: ", r.not_encoded, _field(r, "not_encoded"))
        if r.note:
            self.emit(1, f"note: {quote_text(r.note)}", _field(r, "note"))
        self.emit(0, "}", _src(r, end=True))

    def dispute_settlement(self, ds: DisputeSettlement) -> None:
        s = _src(ds)
        self.emit(0, "dispute_settlement {", s)
        self.emit(1, f"applies: {'yes' if ds.applies else 'no'}", _field(ds, "applies"))
        if ds.excepted:
            self.emit(1, "except: " + ", ".join(ds.excepted), _field(ds, "except"))
        for d in ds.deferrals:
            until = d.until_date.isoformat() if d.until_date else quote_text(d.until_text or "")
            self.emit(1, f"defer {', '.join(d.parties)} for {', '.join(d.provisions)} until {until}", _src(d) or s)
        if ds.note:
            self.emit(1, f"note: {quote_text(ds.note)}", _field(ds, "note"))
        self.emit(0, "}", _src(ds, end=True))

    def _common_fields(self, depth: int, node) -> None:
        if node.quote is not None:
            self.emit(depth, f"quote: {quote_text(node.quote)}" + (" (translation)" if node.translation else ""),
                      _field(node, "quote"))
        for name, word in (("translation_text", "translation"), ("translation_source", "translation_source"),
                           ("gloss", "gloss")):
            value = getattr(node, name)
            if value is not None:
                self.emit(depth, f"{word}: {quote_text(value)}", _field(node, name))
        if node.status != "verified":
            self.emit(depth, f"status: {node.status}", _field(node, "status"))
        for name in ("in_force", "until"):
            value = getattr(node, name, None)
            if value:
                self.emit(depth, f"{name}: {value.isoformat()}", _field(node, name))
        if getattr(node, "replaced_by", None):
            self.emit(depth, f"replaced_by: {node.replaced_by}", _field(node, "replaced_by"))
        if node.note:
            self.emit(depth, f"note: {quote_text(node.note)}", _field(node, "note"))

    def provision(self, p: Provision) -> None:
        s = _src(p)
        self.emit(1, f"provision {p.ref} {{", s)
        if p.topics:
            self.emit(2, "topic: " + ", ".join(p.topics), _field(p, "topics"))
        if p.norm is not None:
            n = p.norm
            ns = _src(n) or s
            head = f"{', '.join(n.bearers)} {n.modality}"
            if n.stance:
                head += f" {n.stance}"
            head += f" {n.action}"
            if n.objects:
                head += f" {n.object_word} " + ", ".join(n.objects)
            if n.destinations:
                head += " to " + ", ".join(n.destinations)
            self.emit(2, head, ns)
            for i, c in enumerate(n.conditions):
                self.emit(3, f"when {quote_text(c)}", n.lines.get(f"when:{i}") or ns)
            if n.unless:
                self.emit(3, "unless " + " | ".join(n.unless), n.lines.get("unless") or ns)
        if p.excludes:
            self.emit(2, "excludes: " + ", ".join(p.excludes), _field(p, "excludes"))
        self._common_fields(2, p)
        self.emit(1, "}", _src(p, end=True))

    def exception(self, e: Exception_) -> None:
        s = _src(e)
        head = f"exception {e.ref} {e.kind} applies_to {', '.join(e.applies_to)}"
        body = bool(e.tests or e.excludes or e.quote is not None or e.translation_text is not None
                    or e.translation_source is not None or e.gloss is not None or e.status != "verified" or e.in_force
                    or e.until or e.replaced_by or e.note)
        if not body:
            self.emit(1, head, s)
            return
        self.emit(1, head + " {", s)
        if e.tests:
            self.emit(2, "tests: " + ", ".join(e.tests), _field(e, "tests"))
        if e.excludes:
            self.emit(2, "excludes: " + ", ".join(e.excludes), _field(e, "excludes"))
        self._common_fields(2, e)
        self.emit(1, "}", _src(e, end=True))

    def definition(self, d: Definition) -> None:
        s = _src(d)
        if (d.quote is None and d.translation_text is None and d.translation_source is None and d.gloss is None
                and d.status == "verified" and not d.note):
            self.emit(1, f"definition {d.term}", s)
            return
        self.emit(1, f"definition {d.term} {{", s)
        self._common_fields(2, d)
        self.emit(1, "}", _src(d, end=True))

    def article(self, a: Article) -> None:
        s = _src(a)
        title = f" {quote_text(a.title)}" if a.title is not None else ""
        self.emit(0, f"article {a.ref}{title} {{", s)
        if a.note:
            self.emit(1, f"note: {quote_text(a.note)}", _field(a, "note"))
        order = a.order or ([("provision", i) for i in range(len(a.provisions))]
                            + [("exception", i) for i in range(len(a.exceptions))]
                            + [("definition", i) for i in range(len(a.definitions))])
        for kind, i in order:
            if kind == "provision":
                self.provision(a.provisions[i])
            elif kind == "exception":
                self.exception(a.exceptions[i])
            else:
                self.definition(a.definitions[i])
        self.emit(0, "}", _src(a, end=True))

    def vocabulary(self, terms: list[Term], start: int = 0, end: int = 0) -> None:
        self.emit(0, "vocabulary {", start)
        for t in terms:
            s = _src(t)
            head = f"{t.kind} {t.id}" + (f" {quote_text(t.label)}" if t.label is not None else "")
            fields = [("broader", t.broader), ("aliases", t.aliases), ("members", t.members)]
            labels = [(name, v) for name, v in (("label_zh", t.label_zh), ("label_es", t.label_es)) if v]
            if not any(v for _, v in fields) and not t.note and not labels:
                self.emit(1, head, s)
                continue
            self.emit(1, head + " {", s)
            for name, value in labels:
                self.emit(2, f"{name}: {quote_text(value)}", _field(t, name))
            for name, values in fields:
                if values:
                    self.emit_list(2, f"{name}: ", values, _field(t, name))
            if t.note:
                self.emit(2, f"note: {quote_text(t.note)}", _field(t, "note"))
            self.emit(1, "}", _src(t, end=True))
        self.emit(0, "}", end)

    def expectation(self, e: Expectation) -> None:
        text = "expect " + ("" if e.conflict else "no ") + "conflict"
        if e.kind:
            text += f" {e.kind}"
        text += f" between {e.a_regime} {e.a_ref} and {e.b_regime} {e.b_ref}"
        if e.bound:
            text += f" for {e.bound}"
        if e.as_of:
            text += f" as_of {e.as_of.isoformat()}"
        for regime, country in e.assume:
            text += f" assume {regime} = {country}"
        self.emit(0, text, _src(e))


def _lines(rf: RuleFile) -> list[Line]:
    p = _Printer()
    order = rf.order or (
        ([("regime", 0)] if rf.regime else [])
        + ([("dispute_settlement", 0)] if rf.dispute_settlement else [])
        + [("article", i) for i in range(len(rf.articles))]
        + ([("vocabulary", len(rf.vocabulary))] if rf.vocabulary else [])
        + [("expectation", i) for i in range(len(rf.expectations))]
    )
    vocab_at = 0
    previous = None
    for kind, i in order:
        # Expectations are one-liners: keep a run of them together, blank lines between blocks.
        if not (kind == "expectation" and previous == "expectation"):
            p.blank()
        if kind == "regime":
            p.regime(rf.regime)
        elif kind == "dispute_settlement":
            p.dispute_settlement(rf.dispute_settlement)
        elif kind == "article":
            p.article(rf.articles[i])
        elif kind == "vocabulary":
            p.vocabulary(rf.vocabulary[vocab_at:vocab_at + i], rf.lines.get(f"vocabulary:{vocab_at}", 0),
                         rf.lines.get(f"vocabulary_end:{vocab_at}", 0))
            vocab_at += i
        elif kind == "expectation":
            p.expectation(rf.expectations[i])
        previous = kind
    return p.lines


def _is_trailing(comment: Comment, source_lines: list[str]) -> bool:
    line = source_lines[comment.line - 1] if 0 < comment.line <= len(source_lines) else ""
    return bool(line[: comment.column - 1].strip())


def format_file(rf: RuleFile, source: str | None = None) -> str:
    """The canonical text of a parsed file, with its comments put back."""
    lines = _lines(rf)
    source_lines = source.split("\n") if source is not None else []
    before: dict[int, list[Comment]] = {}
    after: dict[int, list[str]] = {}
    tail: list[str] = []
    # Keyed by the comment's source line, not its text: two identical comments are two comments.
    blank_after: set[int] = set()
    blank_before: set[int] = set()
    for c in rf.comments:
        if _is_trailing(c, source_lines):
            # After code: stay on the last printed line that came from this source line.
            idx = max((i for i, ln in enumerate(lines) if ln.src == c.line), default=None)
            if idx is None:
                idx = max((i for i, ln in enumerate(lines) if 0 < ln.src <= c.line), default=None)
            if idx is not None:
                after.setdefault(idx, []).append(c.text)
                continue
        # On its own line: before the construct that followed it in the source.
        candidates = [(ln.src, i) for i, ln in enumerate(lines) if ln.src > c.line]
        if candidates:
            idx = min(candidates)[1]
            before.setdefault(idx, []).append(c)
            # Blank lines around a comment block in the source set it apart as a section: keep them.
            if c.line < len(source_lines) and not source_lines[c.line].strip():
                blank_after.add(c.line)
            if c.line >= 2 and not source_lines[c.line - 2].strip():
                blank_before.add(c.line)
        else:
            tail.append(c.text)
    out: list[str] = []
    for i, ln in enumerate(lines):
        if i in before:
            # A comment block that opens a top-level item sits after the blank line, not before it.
            for c in before[i]:
                if c.line in blank_before and out and out[-1] != "":
                    out.append("")
                out.append(INDENT * ln.depth + c.text)
                if c.line in blank_after and out[-1] != "":
                    out.append("")
        text = INDENT * ln.depth + ln.text if ln.text else ""
        if i in after:
            text += "  " + "  ".join(after[i])
        out.append(text)
    if tail:
        if out and out[-1] != "":
            out.append("")
        out += tail
    while out and out[0] == "":
        out.pop(0)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def format_text(text: str, path: str = "<text>") -> str:
    """Parse and format; raises DtrError on a syntax error (value errors do not stop formatting)."""
    from .parse import parse_text

    result = parse_text(text, path)
    return format_file(result.file, text)
