"""The LALR loop behind :func:`comparator.parse.parse_text`: lark's tables, run without lark's layers.

Inside the first stage (rules/*.dtr -> **parse** -> validate ...). :mod:`comparator.parse`
reads lark's compiled grammar into plain tables (``_fast_tables`` there: each parser state's
lexer as one regex, the actions with each rule's callback); this loop lexes and parses with
them in one function, the way lark's contextual lexer and parser do (lark/lexer.py,
lark/parsers/lalr_parser_state.py), in half the time: one regex match per token
with whitespace and comments skipped inside it, tokens as plain tuples, no generator between
lexer and parser. It imports nothing from lark. On anything it does not take (every syntax
error) it raises :class:`Fallback`, and lark's own parser runs instead to report the error.
"""
from __future__ import annotations

from sys import intern


class Fallback(Exception):
    """The text is not one the loop can take: let lark's own parser run (and report it)."""


def run(tables, text: str):
    """lark's contextual lexer and LALR loop in one function: the value of the start rule.

    ``tables``: (rows, start state, end state, names to intern); a row per parser state is
    (regex match, group index -> terminal, keyword sets, terminals that may hold a newline,
    match of the ignored run, terminal -> action, rule -> next state).
    """
    rows, state, end_state, names_kinds = tables
    states, values = [state], []
    pos, line, line_start = 0, 1, 0
    count, rindex = text.count, text.rindex
    while True:
        match, names, unless, newline, skip, acts, _ = rows[state]
        m = match(text, pos)
        if m is None:  # only blanks and comments may be left: then the end of the text
            if skip(text, pos).end() != len(text):
                raise Fallback
            kind, token = "$END", None
        else:
            i = m.lastindex
            start = m.start(i)
            if start != pos:
                n = count("\n", pos, start)
                if n:
                    line += n
                    line_start = rindex("\n", pos, start) + 1
            kind, value, pos = names[i], m.group(i), m.end()
            if kind in unless:  # a keyword that IDENT also matches
                kind = unless[kind].get(value, kind)
            if kind in names_kinds:  # the same names recur all over a corpus: keep one copy of each
                value = intern(value)
            token = (kind, value, line, start - line_start + 1, line, pos - line_start + 1)
            if kind in newline and "\n" in value:
                line += value.count("\n")
                line_start = start + value.rindex("\n") + 1
                token = (kind, value, token[2], token[3], line, pos - line_start + 1)
        while True:
            try:
                shift, arg = acts[kind]
            except KeyError:
                raise Fallback from None
            if shift:
                if token is None:
                    raise Fallback
                states.append(arg)
                values.append(token)
                state = arg
                break
            size, name, callback = arg
            if size:
                children = values[-size:]
                del values[-size:], states[-size:]
            else:
                children = []
            values.append(callback(children))
            state = rows[states[-1]][6][name]
            states.append(state)
            if token is None and state == end_state:
                return values[-1]
            acts = rows[state][5]
