"""Parsing and checking the 10k synthetic corpus against lark's bare LALR tree parse; formatting it."""
from __future__ import annotations

from .harness import MEDIUM, Figure, corpus_texts, figures, ratio, timed


@figures("parse")
def parse_figures() -> list[Figure]:
    from lark import Lark

    from comparator.fmt import format_text
    from comparator.parse import grammar_path, parse_text
    from comparator.validate import check_sources

    texts = corpus_texts(MEDIUM)
    # The floor: the same grammar, LALR, building lark's plain tree (no positions, no models).
    bare = Lark(grammar_path().read_text(encoding="utf-8"), parser="lalr", lexer="contextual")

    def floor():
        for t in texts.values():
            bare.parse(t)

    def ours():
        result = check_sources(texts)
        assert not result.errors, result.errors[:3]

    def parse_only():
        for path, t in texts.items():
            parse_text(t, path)

    def fmt():
        for path, t in texts.items():
            format_text(t, path)

    ours()  # warm-up: the grammar is compiled once per process
    f, o = timed(floor, cpu=True), timed(ours, cpu=True)
    p, fm = timed(parse_only, cpu=True), timed(fmt, cpu=True)
    n = len(texts)
    return [
        Figure("parse_ratio", ratio(o, f), 1.2,
               detail=f"parse+models+validate {o:.2f} s vs bare lark tree {f:.2f} s, {n} files, {MEDIUM:,} provisions"),
        Figure("format_ratio", ratio(fm, p), 2.0, detail=f"parse+format {fm:.2f} s vs parse {p:.2f} s"),
    ]
