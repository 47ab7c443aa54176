"""Property tests: the formatter never changes meaning or drops a comment, and no input
makes the checker raise anything but the project's own error type.

`make test` runs a few hundred examples; `make fuzz` runs them long (HYPOTHESIS_PROFILE=fuzz).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st

from comparator.errors import DtrError
from comparator.fmt import format_file, format_text
from comparator.model import (
    Article, Definition, Deferral, DisputeSettlement, Exception_, Expectation, Norm, Party, Provision,
    Regime, RuleFile, Term, semantic_equal,
)
from comparator.parse import parse_text
from comparator.validate import check_sources

GOOD = Path(__file__).parent / "fixtures" / "good" / "every_construct.dtr"
KEYWORDS = {"must", "not", "may", "should", "recognises", "allow", "require", "of", "on", "to", "when",
            "unless", "all", "yes", "no", "from", "until", "topic", "excludes", "quote", "status", "in_force",
            "replaced_by", "note", "tests", "kind", "parties", "jurisdiction", "signed", "source", "broader",
            "aliases", "members", "provision", "exception", "definition", "article", "regime", "vocabulary",
            "dispute_settlement", "expect", "conflict", "between", "and", "for", "as_of", "assume", "applies",
            "applies_to", "except", "defer", "action", "object", "role", "test", "scope", "group", "translation",
            "translation_source", "gloss", "language", "authentic"}

names = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True).filter(lambda s: s not in KEYWORDS)
upper = st.from_regex(r"[A-Z][A-Z0-9_]{1,8}", fullmatch=True)
countries = st.sampled_from(["GB", "SG", "CN", "VN", "MY", "AU", "EU", "FR"])
refs = st.from_regex(r"[1-9][0-9]?(\.[0-9a-z][0-9a-z-]{0,2}){0,2}", fullmatch=True)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))
# Any single-line text, including quotes, backslashes and non-ASCII (legal texts have them all).
texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
                min_size=1, max_size=40).filter(lambda s: s.strip())
opt = lambda s: st.none() | s  # noqa: E731
small = lambda s: st.lists(s, max_size=3)  # noqa: E731
some = lambda s: st.lists(s, min_size=1, max_size=3)  # noqa: E731

norms = st.builds(
    Norm, bearers=some(names), modality=st.sampled_from(["must", "must not", "may", "should", "should not", "recognises"]),
    stance=opt(st.sampled_from(["allow", "require"])), action=names, objects=small(names), destinations=small(names),
    conditions=small(texts), unless=small(refs), object_word=st.sampled_from(["of", "on"]))
common = dict(status=st.sampled_from(["verified", "unverified"]), note=opt(texts))
# A quote may be marked as a translation; without a quote there is nothing to mark.
quotes = st.just({"quote": None, "translation": False}) | st.fixed_dictionaries({"quote": texts, "translation": st.booleans()})
# English beside the original: a translation (with or without its source) and/or a gloss.
englishes = st.fixed_dictionaries({}, optional={"translation_text": texts, "translation_source": texts, "gloss": texts})


def _with_quote(model, **fields):
    return st.builds(lambda q, e, **kw: model(**q, **e, **kw), quotes, englishes, **fields, **common)


provisions = _with_quote(Provision, ref=refs, topics=some(names), norm=norms, excludes=small(names),
                         in_force=opt(dates), until=opt(dates), replaced_by=opt(refs))
exceptions = _with_quote(Exception_, ref=refs, kind=names, applies_to=st.just(["all"]) | some(refs),
                         tests=small(names), excludes=small(names), in_force=opt(dates), until=opt(dates),
                         replaced_by=opt(refs))
definitions = _with_quote(Definition, term=names)


@st.composite
def articles(draw):
    a = Article(ref=draw(refs), title=draw(opt(texts)), note=draw(opt(texts)))
    for kind in draw(st.lists(st.sampled_from(["provision", "exception", "definition"]), max_size=4)):
        target = {"provision": a.provisions, "exception": a.exceptions, "definition": a.definitions}[kind]
        target.append(draw({"provision": provisions, "exception": exceptions, "definition": definitions}[kind]))
        a.order.append((kind, len(target) - 1))
    return a


regimes = st.builds(
    Regime, id=upper, title=texts, kind=st.sampled_from(["trade_agreement", "domestic_law"]),
    parties=small(st.builds(Party, country=countries, joined=opt(dates), left=opt(dates))),
    jurisdiction=small(countries), signed=opt(dates), in_force=opt(dates), until=opt(dates),
    source=opt(texts), note=opt(texts), language=st.sampled_from(["en", "zh", "es"]),
    authentic=small(st.sampled_from(["en", "zh", "es", "fr"])))
terms = st.builds(Term, kind=st.sampled_from(["action", "object", "role", "topic", "group"]), id=names, label=opt(texts),
                  broader=small(names), aliases=small(names), members=small(countries), note=opt(texts))
expectations = st.builds(Expectation, conflict=st.booleans(), kind=opt(names), a_regime=upper, a_ref=refs,
                         b_regime=upper, b_ref=refs, bound=opt(countries), as_of=opt(dates),
                         assume=small(st.tuples(upper, countries)))
disputes = st.builds(DisputeSettlement, applies=st.booleans(), excepted=small(refs), note=opt(texts),
                     deferrals=small(st.builds(Deferral, parties=some(countries), provisions=some(refs),
                                               until_date=dates, until_text=st.none())
                                     | st.builds(Deferral, parties=some(countries), provisions=some(refs),
                                                 until_date=st.none(), until_text=texts)))


@st.composite
def rule_files(draw):
    rf = RuleFile(path="<generated>")
    if draw(st.booleans()):
        rf.regime = draw(regimes)
        rf.order.append(("regime", 0))
    if draw(st.booleans()):
        rf.dispute_settlement = draw(disputes)
        rf.order.append(("dispute_settlement", 0))
    for a in draw(st.lists(articles(), max_size=3)):
        rf.order.append(("article", len(rf.articles)))
        rf.articles.append(a)
    block = draw(small(terms))
    if block:
        rf.vocabulary += block
        rf.order.append(("vocabulary", len(block)))
    for e in draw(small(expectations)):
        rf.order.append(("expectation", len(rf.expectations)))
        rf.expectations.append(e)
    return rf


@given(rule_files())
def test_printed_models_parse_back_to_the_same_models(rf):
    text = format_file(rf)
    parsed = parse_text(text, "<generated>").file
    assert semantic_equal(parsed, rf)


@given(rule_files())
def test_formatting_is_idempotent(rf):
    once = format_text(format_file(rf))
    assert format_text(once) == once


@given(rule_files(), st.data())
def test_comments_survive_formatting_wherever_they_are(rf, data):
    lines = format_file(rf).split("\n")
    n = data.draw(st.integers(min_value=1, max_value=4))
    for i in range(n):
        at = data.draw(st.integers(min_value=0, max_value=len(lines)))
        trailing = data.draw(st.booleans())
        comment = f"# c{i} " + data.draw(st.from_regex(r"[ -~]{0,12}", fullmatch=True))
        if trailing and at < len(lines) and lines[at].strip():
            lines[at] += "  " + comment
        else:
            lines.insert(at, comment)
    source = "\n".join(lines)
    original = parse_text(source, "<c>").file
    once = format_text(source)
    again = parse_text(once, "<c>").file
    assert semantic_equal(again, original)
    assert sorted(c.text for c in again.comments) == sorted(c.text.rstrip() for c in original.comments)
    assert format_text(once) == once


@given(st.text(max_size=300))
def test_random_text_raises_only_our_error(text):
    try:
        check_sources({"<random>": text})
        format_text(text)
    except DtrError:
        pass


@given(st.integers(min_value=0, max_value=10_000), st.binary(max_size=3))
def test_truncated_and_corrupted_files_raise_only_our_error(cut, junk):
    source = GOOD.read_text(encoding="utf-8")
    cut = min(cut, len(source))
    mangled = source[:cut] + junk.decode("latin-1") + source[cut:cut + 40]
    try:
        check_sources({"<truncated>": mangled})
        format_text(mangled)
    except DtrError:
        pass


@given(st.binary(max_size=200))
def test_random_bytes_raise_only_our_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "random.dtr"
    path.write_bytes(data)
    from comparator.validate import check_paths

    try:
        check_paths([path])
    except DtrError:
        pass
