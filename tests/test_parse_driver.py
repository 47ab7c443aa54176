"""The parser's own LALR loop (comparator/lalr.py) against lark's, and the builder it calls.

parse_text runs lark's tables through a loop of its own and falls back to lark's parser on
anything the loop does not take. These tests hold the loop to lark: on bundled, fixture,
grammar-generated and mutated files both give the same models (spans, lines and order
included), the same uses and the same diagnostics, or both refuse the text, with the error
a plain lark parse raises. They also check the builder's shape (a method per rule, one
file at a time across threads) and its model constructor against pydantic's.
"""
from __future__ import annotations

import datetime as dt
import random
import threading

import pytest
from pydantic import BaseModel

from comparator import parse
from comparator.build import Builder
from comparator.build_fields import construct, new_span
from comparator.model import Article, Comment, Norm, Provision, Span
from tests.fuzz.inputs import bundled, grammar, make_input

from .conftest import FIXTURES


def _deep(o):
    """A model as nested tuples, every field included (spans, lines and order are excluded from dumps)."""
    if isinstance(o, BaseModel):
        return type(o).__name__, tuple(o.__dict__), tuple((k, _deep(getattr(o, k))) for k in type(o).model_fields)
    if isinstance(o, (list, tuple)):
        return tuple(_deep(x) for x in o)
    if isinstance(o, dict):
        return tuple((k, _deep(v)) for k, v in o.items())
    if isinstance(o, dt.date):
        return o.isoformat()
    return o


def _texts() -> list[tuple[str, str]]:
    texts = list(bundled().items())
    for p in sorted(FIXTURES.rglob("*.dtr")):
        try:
            texts.append((str(p), parse.decode_source(p.read_bytes(), p)))
        except Exception:  # noqa: BLE001 — an unreadable fixture is not a parser input
            continue
    rng = random.Random(2026)
    texts += [(f"generated{i}.dtr", grammar().generate(rng)) for i in range(150)]
    while len(texts) < 700:
        name, data = make_input(rng)
        if isinstance(data, str) and len(data) < 200_000:
            texts.append((f"{name}.dtr", data))
    return texts


def _outcome(fn, builder, path, text):
    builder.begin(path)
    try:
        rf = fn(text)
    except parse.Fallback:
        return "fallback"
    except Exception as exc:  # noqa: BLE001 — lark's refusal, compared below
        return ("refused", type(exc).__name__, getattr(exc, "line", None), getattr(exc, "column", None))
    return _deep(rf), sorted(builder.uses), _deep(builder.diagnostics)


def test_the_loop_gives_what_larks_own_parser_gives():
    builder, fast, lark_parse = parse._driver()
    assert fast is not None, "the loop could not read lark's tables: every parse takes the slow path"
    fell_back = taken = 0
    for path, text in _texts():
        with parse._LOCK:
            ours = _outcome(lambda t: parse.run(fast, t), builder, path, text)
            theirs = _outcome(lark_parse, builder, path, text)
        if ours == "fallback":
            fell_back += 1
            assert theirs[0] == "refused", f"{path}: the loop refused a text lark parses"
        else:
            taken += 1
            assert ours == theirs, path
    assert taken > 300 and fell_back > 100  # both kinds of input were tried


def test_syntax_errors_are_those_of_a_plain_lark_parse():
    from lark.exceptions import UnexpectedInput

    seen = 0
    for path, text in _texts():
        try:
            parse._parser().parse(text)
            continue
        except UnexpectedInput as exc:
            plain = parse._translate(exc, path, text)
        try:
            parse.check_size(text, path)
        except parse.DtrError:
            continue  # refused before the parser sees it
        if "\r" in text:
            continue
        with pytest.raises(parse.DtrError) as ours:
            parse.parse_text(text, path)
        assert ours.value.diagnostics == [plain], path
        seen += 1
    assert seen > 100


def test_every_rule_has_its_callback_and_nothing_else_is_taken_for_one():
    rules = {str(r.origin.name) for r in parse._parser().rules}
    named = {r for r in rules if not r.startswith("_")} - {"regime_field"}  # ?regime_field: always one field
    public = {n for n in dir(Builder) if not n.startswith("_") and callable(getattr(Builder, n))} - {"begin"}
    assert named <= public, f"rules without a callback build lark Trees: {sorted(named - public)}"
    assert public <= rules, f"methods lark would not call: {sorted(public - rules)}"
    assert not {n for n in dir(Builder) if n.startswith("_") and n in rules}


def test_files_parsed_in_threads_are_each_their_own():
    files = list(bundled().items())
    expected = {path: _deep(parse.parse_text(text, path).file) for path, text in files}
    errors: list[str] = []

    def work(order):
        for path, text in order:
            result = parse.parse_text(text, path)
            if _deep(result.file) != expected[path] or any(u.path != path for u in result.uses):
                errors.append(path)

    threads = [threading.Thread(target=work, args=(random.Random(i).sample(files, len(files)),)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@pytest.mark.parametrize("cls, values", [
    (Span, dict(path="a.dtr", line=3, column=5)),
    (Comment, dict(line=1, column=1, text="# x")),
    (Norm, dict(bearers=["party"], modality="must", action="allow_transfer", span=None)),
    (Provision, dict(ref="1.1", topics=["data_flows.x"], status="unverified", lines={"topics": 4})),
    (Article, dict(ref="1", title=None)),
])
def test_construct_is_model_construct(cls, values):
    ours, theirs = construct[cls](**values), cls.model_construct(**values)
    assert list(ours.__dict__.items()) == list(theirs.__dict__.items())
    assert ours == theirs and ours.model_dump() == theirs.model_dump() and repr(ours) == repr(theirs)
    assert set(values) <= ours.model_fields_set
    if cls is not Span:  # frozen
        other = construct[cls](**values)
        for name, value in ours.__dict__.items():
            if isinstance(value, (list, dict)) and name not in values:
                assert value is not getattr(other, name)  # defaults are never shared
    assert new_span("a.dtr", 3, 5) == Span(path="a.dtr", line=3, column=5)
