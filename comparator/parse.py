"""Source text -> models: the one cached LALR parser, and its syntax errors in words.

First stage of the pipeline (rules/*.dtr -> parse -> validate -> store ...). Only this
module imports lark. Syntax errors are translated into :class:`~comparator.errors.Diagnostic`
with words a lawyer understands (never lark's token names) and raised as one
:class:`~comparator.errors.DtrError`.

No parse tree is built: the parser calls :class:`comparator.build.Builder` as it reduces
each rule, which builds the models bottom-up and records every *use* of a name (term,
topic, country, citation) with its exact span, so that the validator can point at the very
word that is wrong. The callbacks are lark's own (``ParseTreeBuilder``, as for
``Lark(transformer=...)``), and so are the parse table and the contextual lexer's regexes,
but they are run by :func:`comparator.lalr.run`, one loop that lexes and parses in half the
time lark's own loop takes (docs/performance.md). On any input the loop does not take
(every syntax error), lark's own parser runs instead, with the same callbacks, and raises
exactly the errors a plain ``Lark.parse`` does.
"""
from __future__ import annotations

import functools
import re
import threading
from pathlib import Path
from sys import intern

from pydantic import BaseModel

# Use and UseKind are re-exported: the validator and tests import them from here.
from .build import Builder, Use, UseKind  # noqa: F401
from .build_fields import construct
from .errors import Diagnostic, DtrError
from .lalr import Fallback, run
from .model import Comment, RuleFile, Span

# Limits on what a rule file may be: the largest bundled file is under 50 kB and its longest
# line under 1,000 characters. Beyond these, parsing time grows to seconds (a 1 MB line takes
# about 2 s), so the text is refused with E006 before lark sees it (docs/errors.md).
MAX_FILE_CHARS = 1_000_000
MAX_LINE_CHARS = 10_000


class ParseResult(BaseModel):
    file: RuleFile
    uses: list[Use] = []
    diagnostics: list[Diagnostic] = []


def grammar_path() -> Path:
    """The grammar ships inside the wheel as comparator/grammar/; in a checkout it is ./grammar/."""
    packaged = Path(__file__).resolve().parent / "grammar" / "dtr.lark"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "grammar" / "dtr.lark"


@functools.lru_cache(maxsize=1)
def _parser():
    from lark import Lark  # lazy: `dtrc --help` should not pay for building the parser

    return Lark(grammar_path().read_text(encoding="utf-8"), parser="lalr", lexer="contextual",
                maybe_placeholders=False)


# ---------------------------------------------------------------------------- the parse

# Terminals whose values the models keep as names: one copy of each (sys.intern), as a corpus
# names the same terms, countries and citations hundreds of thousands of times.
NAMES = frozenset({"IDENT", "REF", "TOPIC_PATTERN", "TERM_KIND"})
_LOCK = threading.Lock()  # one builder per process: a parse holds it (parsing is CPU-bound anyway)


@functools.lru_cache(maxsize=1)
def _driver():
    """(builder, fast tables or None, lark's own parse) for the grammar, built once.

    Both parses call the same rule callbacks, made by lark's ``ParseTreeBuilder`` around the
    builder's methods exactly as for ``Lark(transformer=...)``; lark's own loop turns each token
    into the builder's tuple as it shifts it (a terminal callback).
    """
    from lark.lexer import LexerThread

    lark = _parser()
    builder = Builder()
    callbacks = lark._parse_tree_builder.create_callback(builder)
    table = lark.parser.parser.parser.parse_table

    def as_tuple(t):
        value = intern(t.value) if t.type in NAMES else t.value
        return (t.type, value, t.line, t.column, t.end_line, t.end_column)

    own = type(lark.parser.parser.parser)(table, {**callbacks, **{t.name: as_tuple for t in lark.terminals}})

    def lark_parse(text: str):
        return own.parse(LexerThread.from_text(lark.parser.lexer, text), "start")

    try:
        fast = _fast_tables(lark, table, callbacks)
    except (Fallback, AttributeError):  # a lark whose insides differ: its own loop does all the work
        fast = None
    return builder, fast, lark_parse


def _fast_tables(lark, table, callbacks):
    """Per parser state: its lexer as one regex that also skips whitespace and comments, and its
    actions, with each rule's size, name and callback at hand (see comparator.lalr.run).

    The regex is lark's own alternation of the terminals that state accepts (the contextual
    lexer), behind a possessive run of the ignored terminals: no other terminal can start with
    a blank or ``#``, so skipping them first changes no token. Keywords that also match IDENT
    are told apart by lark's "unless" sets, here as a dict.
    """
    from lark.lexer import UnlessCallback
    from lark.parsers.lalr_analysis import Shift

    made: dict[int, tuple] = {}
    rows = []
    if sorted(table.states) != list(range(len(table.states))):
        raise Fallback
    for state in range(len(table.states)):
        basic = lark.parser.lexer.lexers[state]
        if id(basic) not in made:
            scanner = basic.scanner
            ignored = [t for t in basic.terminals if t.name in basic.ignore_types]
            if len(scanner._mres) != 1 or {t.name for t in ignored} != {"WS", "COMMENT"}:
                raise Fallback
            skip = "(?:%s)*+" % "|".join(t.pattern.to_regexp() for t in ignored)
            rx = re.compile(f"{skip}(?:{scanner._mres[0].pattern})", lark.lexer_conf.g_regex_flags)
            unless = {}
            for name, cb in basic.callback.items():
                if type(cb) is not UnlessCallback or any(t.pattern.type != "str" or t.pattern.flags
                                                         for t in cb.scanner.terminals):
                    raise Fallback
                unless[name] = {t.pattern.value: t.name for t in cb.scanner.terminals}
            names = {i: name for name, i in rx.groupindex.items()}
            made[id(basic)] = (rx.match, names, unless, basic.newline_types, re.compile(skip).match)
        # Plain str keys and names: lark's rule names are Tokens, whose __eq__ is Python code.
        acts, gotos = {}, {}
        for sym, (act, arg) in table.states[state].items():
            if not sym.isupper() and not sym.startswith("$"):
                if act is not Shift:
                    raise Fallback
                gotos[str(sym)] = arg
            else:
                acts[str(sym)] = (True, arg) if act is Shift else (False, (len(arg.expansion), str(arg.origin.name),
                                                                            callbacks[arg]))
        rows.append(made[id(basic)] + (acts, gotos))
    return rows, table.start_states["start"], table.end_states["start"], NAMES


def _parse(text: str, path: str) -> ParseResult:
    """Models, uses and value errors of one text; lark's UnexpectedInput on a syntax error."""
    builder, fast, lark_parse = _driver()
    with _LOCK:
        builder.begin(path)
        try:
            if fast is None:
                raise Fallback
            rf = run(fast, text)
        except Fallback:
            builder.begin(path)
            rf = lark_parse(text)
        result = ParseResult.model_construct(file=rf, uses=builder.uses, diagnostics=builder.diagnostics)
        builder.begin("<text>")  # hold nothing of this file
    return result


# ---------------------------------------------------------------------------- syntax errors

# Terminal names as a lawyer reads them.
_TERMINAL_WORDS = {
    "IDENT": "a name",
    "REF": "a citation (e.g. 14.11.2)",
    "DATE": "a date (YYYY-MM-DD)",
    "STRING": 'text in double quotes',
    "TERM_KIND": "a term kind (action, object, role, test, exception, scope, topic, group)",
    "$END": "the end of the file",
}

_MODALITY_WORDS = {
    "shall": "must", "shall_not": "must not", "cannot": "must not", "endeavour": "should",
    "endeavours": "should", "recognise": "recognises", "recognize": "recognises",
    "recognizes": "recognises", "can": "may", "must_not": "must not",
}


def _describe_expected(names: set[str]) -> list[str]:
    parser = _parser()
    words = set()
    for name in names:
        if name in _TERMINAL_WORDS:
            words.add(_TERMINAL_WORDS[name])
            continue
        try:
            term = parser.get_terminal(name)
        except KeyError:
            words.add(name.lower())
            continue
        pattern = term.pattern
        if pattern.type == "str":
            words.add(f'"{pattern.value}"')
        else:
            words.add(name.lower())
    return sorted(words)


def _expected_text(names: set[str]) -> str:
    words = _describe_expected(names)
    if len(words) > 8:
        return "one of: " + ", ".join(words[:8]) + ", ..."
    return ("one of: " if len(words) > 1 else "") + ", ".join(words)


def _syntax_hint(value: str, expected: set[str]) -> str | None:
    lowered = value.lower()
    if lowered in _MODALITY_WORDS and "MUST" in expected:
        return f'write the modality as `{_MODALITY_WORDS[lowered]}` (see docs/language.md, "Modalities")'
    if "MUST" in expected and "COMMA" in expected:
        return "a norm reads: BEARER MODALITY ACTION, e.g. `party must allow cross_border_transfer of information`"
    if "COLON" in expected:
        return "a field name is followed by a colon, e.g. `topic: data_flows.cross_border_transfer`"
    if "STRING" in expected and value.startswith("'"):
        return "text is written in double quotes"
    if "REF" in expected and re.fullmatch(r"[A-Za-z_]\w*", value):
        return "a citation starts with a digit: write the article and paragraph, e.g. 14.11.2 or 46.2.c"
    if "RBRACE" in expected:
        return "a block opened with `{` must be closed with `}` before the next one starts"
    return None


def _brace_open_line(text: str, upto: int) -> int | None:
    """Line of the last `{` left open before offset `upto` (strings and comments skipped)."""
    stack: list[int] = []
    for m in re.finditer(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[{}]', text[:upto]):
        tok = m.group(0)
        if tok == "{":
            stack.append(text.count("\n", 0, m.start()) + 1)
        elif tok == "}" and stack:
            stack.pop()
    return stack[-1] if stack else None


def _translate(exc: Exception, path: str, text: str) -> Diagnostic:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(exc, UnexpectedToken) and exc.token.type == "$END":
        exc = UnexpectedEOF(exc.expected)
    if isinstance(exc, UnexpectedEOF):
        lines = text.rstrip("\n").split("\n")
        line = len(lines)
        span = Span(path=path, line=line, column=len(lines[-1]) + 1)
        opened = _brace_open_line(text, len(text))
        hint = f"the block opened on line {opened} is not closed with `}}`" if opened else None
        return Diagnostic(code="E004", message=f"the file ends too early; expected {_expected_text(set(exc.expected))}",
                          span=span, hint=hint)
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        span = Span(path=path, line=tok.line, column=tok.column, end_line=tok.end_line, end_column=tok.end_column)
        expected = set(exc.accepts or exc.expected)
        shown = str(tok)
        return Diagnostic(
            code="E001",
            message=f'unexpected "{shown}"; expected {_expected_text(expected)}',
            span=span,
            hint=_syntax_hint(shown, expected),
        )
    if isinstance(exc, UnexpectedCharacters):
        char = text[exc.pos_in_stream] if exc.pos_in_stream < len(text) else ""
        span = Span(path=path, line=exc.line, column=exc.column)
        if char == '"':
            return Diagnostic(code="E003", message="this text is not closed on the same line", span=span,
                              hint='close the text with `"` on the same line; write `\\"` for a quote mark inside it')
        rest = text[exc.pos_in_stream:exc.pos_in_stream + 20].split("\n")[0]
        word = re.match(r"\S+", rest)
        expected = set(exc.allowed or ())
        hint = _syntax_hint(word.group(0) if word else char, expected)
        if char == "'" or char in "\u201c\u201d":
            hint = 'text is written in straight double quotes: "..."'
        elif not hint and expected:
            hint = f"expected {_expected_text(expected)}"
        return Diagnostic(code="E002", message=f"unexpected character {char!r}", span=span, hint=hint)
    raise exc



def check_size(text: str, path: str) -> None:
    """Raise E006 when the text is over the file or line limit (at the first spot over it)."""
    if len(text) > MAX_FILE_CHARS:
        line = text.count("\n", 0, MAX_FILE_CHARS) + 1
        raise DtrError([Diagnostic(
            code="E006", message=f"the file has {len(text):,} characters; the limit is {MAX_FILE_CHARS:,}",
            span=Span(path=path, line=line, column=1), hint="split the instrument over several files")])
    # Anchored at line starts: unanchored, the search retried every position of every line.
    for m in re.finditer(r"(?m)^[^\n]{%d,}" % (MAX_LINE_CHARS + 1), text):
        start = m.start()
        line = text.count("\n", 0, start) + 1
        raise DtrError([Diagnostic(
            code="E006", message=f"line {line} has {len(m.group()):,} characters; the limit is {MAX_LINE_CHARS:,}",
            span=Span(path=path, line=line, column=MAX_LINE_CHARS + 1),
            hint="a quote or note that long belongs in several provisions or a source document")])


def parse_text(text: str, path: str = "<text>") -> ParseResult:
    """Parse one file's text. Raises DtrError on a syntax error or an over-long text (E006);
    value errors are returned."""
    from lark.exceptions import UnexpectedInput

    check_size(text, path)
    lone_cr = re.search(r"\r(?!\n)", text)
    if lone_cr:
        # Lines end at "\n" only: a file with old Mac line endings would be one long line, and
        # its first `#` comment would silently swallow the whole file.
        line = text.count("\n", 0, lone_cr.start()) + 1
        column = lone_cr.start() - (text.rfind("\n", 0, lone_cr.start()) + 1) + 1
        raise DtrError([Diagnostic(code="E002", message="a carriage return without a line feed",
                                   span=Span(path=path, line=line, column=column),
                                   hint="save the file with LF (or CRLF) line endings")])

    try:
        result = _parse(text, path)
    except UnexpectedInput as exc:
        raise DtrError([_translate(exc, path, text)]) from None
    if "#" in text:
        result.file.comments = _comments(text)
    return result


def _comments(text: str) -> list[Comment]:
    """Comments are ignored by the grammar; collect them with their positions for the formatter.

    Only run on text that parsed, so every text in quotes is closed on its line: a `#` starts
    a comment unless what precedes it on its line leaves a text open. `#` is found with
    str.find: a regex over every line was a sixth of the parse. Lines are counted from the
    previous comment on, not from the file's start each time.
    """
    comments: list[Comment] = []
    make_comment = construct[Comment]
    find, rfind, count = text.find, text.rfind, text.count
    line, counted = 1, 0
    at = find("#")
    while at != -1:
        start = rfind("\n", 0, at) + 1
        before = text[start:at]
        if '"' in before and _CLOSED_TEXTS.fullmatch(before) is None:
            at = find("#", at + 1)  # inside a text
            continue
        end = find("\n", at)
        end = len(text) if end == -1 else end
        line += count("\n", counted, at)
        counted = at
        comments.append(make_comment(line=line, column=at - start + 1, text=text[at:end].rstrip()))
        at = find("#", end)
    return comments


_CLOSED_TEXTS = re.compile(r'(?:[^"\n]++|"(?:[^"\\\n]|\\.)*+")*+')


def read_source(path: str | Path) -> str:
    """Read a rule file as UTF-8, turning I/O and encoding failures into E005."""
    p = Path(path)
    try:
        # Read at most what could still be under the limit (4 bytes per character in UTF-8),
        # so that a huge file is refused without being read into memory.
        with p.open("rb") as f:
            data = f.read(4 * MAX_FILE_CHARS + 1)
    except OSError as exc:
        raise DtrError([Diagnostic(code="E005", message=f"cannot read {p}: {exc.strerror or exc}",
                                   span=Span(path=str(p), line=1, column=1))]) from None
    if len(data) > 4 * MAX_FILE_CHARS:
        raise DtrError([Diagnostic(code="E006", message=f"{p} is over {4 * MAX_FILE_CHARS:,} bytes; the limit is "
                                   f"{MAX_FILE_CHARS:,} characters", span=Span(path=str(p), line=1, column=1),
                                   hint="split the instrument over several files")])
    return decode_source(data, p)


def decode_source(data: bytes, p: str | Path) -> str:
    """Bytes of a rule file -> text: UTF-8 only, no NUL, a leading BOM dropped (else E005)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DtrError([Diagnostic(code="E005", message=f"{p} is not UTF-8 text (byte {data[exc.start]:#04x})",
                                   span=Span(path=str(p), line=line, column=col),
                                   hint="save the file as UTF-8")]) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DtrError([Diagnostic(code="E005", message=f"{p} contains a NUL byte: not a text file",
                                   span=Span(path=str(p), line=line, column=1))])
    return text.lstrip("\ufeff")


def parse_file(path: str | Path) -> RuleFile:
    """Parse a file and return its model; raises DtrError on any syntax or value error.

    This is the convenient entry point for scripts and tests. ``check`` uses
    :func:`parse_text` + the validator to report every error of a corpus at once.
    """
    result = parse_text(read_source(path), str(path))
    if result.diagnostics:
        raise DtrError(result.diagnostics)
    return result.file
