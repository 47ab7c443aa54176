"""Parsing, checking and formatting a large synthetic corpus, against bare lark and bare printing."""
from __future__ import annotations

from pathlib import Path

from .harness import benchmark

PROVISIONS_PER_FILE = 400
FILES = 10


def synthetic_corpus() -> dict[str, str]:
    """FILES regimes of PROVISIONS_PER_FILE provisions each, using the bundled vocabulary's terms."""
    texts = {}
    for f in range(FILES):
        parts = [f'regime BENCH{f} "Synthetic agreement {f}" {{\n  kind: trade_agreement\n  parties: SG, GB, AU\n}}\n']
        for a in range(PROVISIONS_PER_FILE // 4):
            parts.append(f'article {a + 1} "Article {a + 1}" {{\n')
            for p in range(4):
                parts.append(
                    f"  provision {a + 1}.{p + 1} {{\n"
                    "    topic: data_flows.cross_border_transfer\n"
                    "    party must allow cross_border_transfer of information, personal_information\n"
                    '      when "for the conduct of the business of a covered person"\n'
                    f'    quote: "Each Party shall allow the cross-border transfer of information {a}.{p}"\n'
                    "  }\n")
            parts.append("}\n")
        texts[f"bench/bench{f}.dtr"] = "".join(parts)
    vocab_dir = Path(__file__).resolve().parent.parent / "rules" / "vocabulary"
    for path in sorted(vocab_dir.glob("*.dtr")):
        texts[str(path)] = path.read_text(encoding="utf-8")
    return texts


@benchmark("parse_to_models", "parse + build models vs lark building its bare tree", ceiling=4.0)
def _parse():
    from comparator.parse import _parser, parse_text

    def floor(texts):
        parser = _parser()
        for t in texts.values():
            parser.parse(t)

    def subject(texts):
        for path, t in texts.items():
            parse_text(t, path)

    return synthetic_corpus, floor, subject


@benchmark("check_corpus", "parse + validate the whole corpus vs parse alone", ceiling=2.0)
def _check():
    from comparator.parse import parse_text
    from comparator.validate import check_sources

    def floor(texts):
        for path, t in texts.items():
            parse_text(t, path)

    def subject(texts):
        result = check_sources(texts)
        assert not result.errors, result.errors[:3]

    return synthetic_corpus, floor, subject


@benchmark("format_corpus", "parse + format vs parse alone", ceiling=2.0)
def _fmt():
    from comparator.fmt import format_text
    from comparator.parse import parse_text

    def floor(texts):
        for path, t in texts.items():
            parse_text(t, path)

    def subject(texts):
        for path, t in texts.items():
            format_text(t, path)

    return synthetic_corpus, floor, subject
