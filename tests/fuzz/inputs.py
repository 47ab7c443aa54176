"""Inputs for the fuzzer: grammar-aware generation and mutation of the bundled rule files.

Generation walks the LALR grammar itself (the rules lark compiled from grammar/dtr.lark), with
terminal values drawn from what the lexer sees in `rules/`, so generated files are shaped like
real ones and get past the first token. Mutation takes a slice of a bundled file (its regime
block and a few articles: small enough that 100,000 inputs run in minutes) and damages it at
the token, line or byte level, or with one of the hostile shapes of issue 14 (BOM, CRLF, NUL,
1 MB lines, 10,000-deep nesting, huge numbers and dates, confusable Unicode, 10 kB names).

Each input is (mutator name, bytes | str): bytes go through the file decoder first.
"""
from __future__ import annotations

import functools
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"

TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[A-Za-z0-9_.\-]+|\s+|.', re.S)
BLOCK_START = re.compile(r"^(?=regime|article|vocabulary|dispute_settlement|expect)", re.M)
# Look-alikes and invisible characters a pasted legal text can carry.
CONFUSABLES = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "A": "А", "C": "С", "P": "Р", "T": "Т",
               "-": "‐", '"': "“", ":": "：", " ": "\u00a0", ",": "，", "{": "｛"}
INVISIBLE = ["\u200b", "\u200d", "\u202e", "\u2066", "\ufeff", "\u00ad", "\u2028", "\x0b", "\x1c", "\x85"]


@functools.lru_cache(maxsize=1)
def bundled() -> dict[str, str]:
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sorted(RULES.rglob("*.dtr"))}


@functools.lru_cache(maxsize=1)
def _blocks() -> list[list[str]]:
    """Each bundled file as its top-level blocks (regime, articles, vocabulary, expectations)."""
    return [[b for b in BLOCK_START.split(text) if b.strip()] for text in bundled().values()]


def base_text(rng: random.Random) -> str:
    """A real, valid-looking slice of one bundled file: its first block and up to 3 more in a row."""
    blocks = rng.choice(_blocks())
    if len(blocks) <= 4 or rng.random() < 0.02:
        return "".join(blocks)
    i = rng.randrange(1, len(blocks))
    return blocks[0] + "".join(blocks[i:i + rng.randint(1, 3)])


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


# ---------------------------------------------------------------- grammar-aware generation

class Grammar:
    """Random derivations of the compiled LALR grammar, depth-limited."""

    def __init__(self):
        from comparator.parse import _parser  # the one cached parser (tests may reach inside)

        parser = _parser()
        self.rules: dict[str, list[list[tuple[bool, str]]]] = {}
        for r in parser.rules:
            self.rules.setdefault(r.origin.name, []).append([(s.is_term, s.name) for s in r.expansion])
        self.literals: dict[str, str] = {}
        for t in parser.terminals:
            if t.pattern.type == "str":
                self.literals[t.name] = t.pattern.value
        self.pool: dict[str, list[str]] = {}
        for text in bundled().values():
            for tok in parser.lex(text):
                self.pool.setdefault(tok.type, []).append(str(tok))
        for name in self.pool:
            self.pool[name] = sorted(set(self.pool[name]))
        self.depth = self._min_depths()

    def _min_depths(self) -> dict[str, int]:
        depth: dict[str, int] = {}
        changed = True
        while changed:
            changed = False
            for name, alts in self.rules.items():
                for alt in alts:
                    if all(t or s in depth for t, s in alt):
                        d = 1 + max([depth[s] for t, s in alt if not t] or [0])
                        if d < depth.get(name, 1 << 30):
                            depth[name] = d
                            changed = True
        return depth

    def terminal(self, rng: random.Random, name: str) -> str:
        if name in self.literals:
            return self.literals[name]
        values = self.pool.get(name)
        return rng.choice(values) if values else name.lower()

    def generate(self, rng: random.Random, max_depth: int = 12) -> str:
        out: list[str] = []
        stack: list[tuple[bool, str, int]] = [(False, "start", 0)]
        while stack:
            is_term, name, depth = stack.pop()
            if is_term:
                out.append(self.terminal(rng, name))
                out.append(rng.choice([" ", " ", " ", "\n", "\n  "]))
                continue
            alts = self.rules[name]
            if depth >= max_depth:
                alts = sorted(alts, key=lambda a: max([self.depth[s] for t, s in a if not t] or [0]))[:1]
            alt = rng.choice(alts)
            stack.extend((t, s, depth + 1) for t, s in reversed(alt))
        return "".join(out)


@functools.lru_cache(maxsize=1)
def grammar() -> Grammar:
    return Grammar()


# ---------------------------------------------------------------- mutators (text -> text | bytes)

def _tok_edit(rng, text, how):
    toks = tokens(text)
    if len(toks) < 2:
        return text + rng.choice(toks or ["x"])
    i, j = rng.randrange(len(toks)), rng.randrange(len(toks))
    if how == "delete":
        del toks[i]
    elif how == "duplicate":
        toks.insert(i, toks[i])
    elif how == "swap":
        toks[i], toks[j] = toks[j], toks[i]
    else:  # replace by a token of the same grammar (from anywhere in the corpus)
        g = grammar()
        kind = rng.choice(sorted(g.pool))
        toks[i] = rng.choice(g.pool[kind])
    return "".join(toks)


def _line_edit(rng, text, how):
    lines = text.split("\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    if how == "delete":
        del lines[i]
    elif how == "duplicate":
        lines.insert(i, lines[i])
    else:
        lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def _at(rng, text, insert):
    i = rng.randint(0, len(text))
    return text[:i] + insert + text[i:]


def _confusable(rng, text):
    chars = list(text)
    for _ in range(rng.randint(1, 5)):
        i = rng.randrange(len(chars))
        chars[i] = CONFUSABLES.get(chars[i], rng.choice(INVISIBLE))
    return "".join(chars)


def _huge_number(rng, text):
    digits = "9" * rng.choice([20, 400, 5000])
    m = list(re.finditer(r"\b\d{4}-\d{2}-\d{2}\b|\b\d+(\.\d+)*\b", text))
    if not m:
        return text + digits
    hit = rng.choice(m)
    repl = rng.choice([digits, f"{digits}-01-01", "0000-00-00", "9999-12-31", "2020-02-30", "1-1-1",
                       f"{digits}.{digits}", "-1", "1e999"])
    return text[:hit.start()] + repl + text[hit.end():]


def _long_ident(rng, text):
    name = rng.choice("abcxyz") + "a" * rng.choice([9_000, 10_000, 10_300])
    m = list(re.finditer(r"\b[a-z][a-z_]{3,}\b", text))
    if not m:
        return text + name
    hit = rng.choice(m)
    return text[:hit.start()] + name + text[hit.end():]


def _invalid_utf8(rng, text):
    data = text.encode("utf-8")
    bad = rng.choice([b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf8\x88\x80\x80\x80"])
    i = rng.randint(0, len(data))
    return data[:i] + bad + data[i:]


def _random_bytes(rng, text):
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 8)):
        i = rng.randint(0, len(data))
        data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
    return bytes(data)


MUTATORS = {
    "token-delete": lambda r, t: _tok_edit(r, t, "delete"),
    "token-duplicate": lambda r, t: _tok_edit(r, t, "duplicate"),
    "token-swap": lambda r, t: _tok_edit(r, t, "swap"),
    "token-replace": lambda r, t: _tok_edit(r, t, "replace"),
    "line-delete": lambda r, t: _line_edit(r, t, "delete"),
    "line-duplicate": lambda r, t: _line_edit(r, t, "duplicate"),
    "line-swap": lambda r, t: _line_edit(r, t, "swap"),
    "truncate": lambda r, t: t[:r.randint(0, len(t))],
    "random-bytes": _random_bytes,
    "invalid-utf8": _invalid_utf8,
    "bom": lambda r, t: ("\ufeff" + t).encode("utf-8") if r.random() < 0.5 else _at(r, t, "\ufeff"),
    "crlf": lambda r, t: t.replace("\n", "\r\n") if r.random() < 0.5 else t.replace("\n", "\r"),
    "nul": lambda r, t: _at(r, t, "\x00").encode("utf-8") if r.random() < 0.5 else _at(r, t, "\x00"),
    "long-line": lambda r, t: _at(r, t, r.choice(["x", '"', "#", " "]) * r.choice([9_999, 10_001, 1_000_000])),
    "deep-nesting": lambda r, t: _at(r, t, r.choice(["{", "(", "{\n", "article 1 {", '"']) * 10_000),
    "huge-number": _huge_number,
    "confusable": _confusable,
    "long-identifier": _long_ident,
    "random-text": lambda r, t: "".join(chr(r.randrange(0x20, 0x2FFF)) for _ in range(r.randint(0, 300))),
}


def make_input(rng: random.Random) -> tuple[str, str | bytes]:
    """One input: about a fifth generated from the grammar, the rest mutated slices (1 to 3 mutations)."""
    if rng.random() < 0.2:
        text = grammar().generate(rng)
        if rng.random() < 0.5:
            return "generated", text
        name = rng.choice(sorted(MUTATORS))
        return f"generated+{name}", _apply(rng, MUTATORS[name], text)
    text: str | bytes = base_text(rng)
    names = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        if isinstance(text, bytes):
            break
        name = rng.choice(sorted(MUTATORS))
        names.append(name)
        text = _apply(rng, MUTATORS[name], text)
    return "+".join(names), text


def _apply(rng, mutator, text):
    return mutator(rng, text) if text else mutator(rng, "x")
