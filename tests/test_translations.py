"""Every `translation:` in the bundled rules is copied from a TRANSLATION block of the sources.

The quote checker (../shared/tools/check_quotes.py) reads `quote:` fields only; this test holds
the English beside a non-English quote to the same standard. A `gloss:` is the encoder's own
summary and is not checked. Skipped when ../shared/sources is not beside the checkout (set
DTRC_SOURCES to point elsewhere), as the quote test is.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from comparator.parse import parse_file
from comparator.validate import check_sources

SOURCES = Path(os.environ.get("DTRC_SOURCES", "../shared/sources"))
STATUS = re.compile(r"\*\*Status:\s*([A-Z]+)")
BLOCK = re.compile(r"```text\n(.*?)```", re.S)


def _normalise(text: str) -> str:
    # Apostrophes and dashes vary between a site and its copy; the words may not.
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip()


def translation_blocks(sources: Path) -> list[str]:
    """The text of every ```text block whose nearest Status line above says TRANSLATION."""
    out = []
    for path in sorted(sources.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for m in BLOCK.finditer(text):
            statuses = STATUS.findall(text, 0, m.start())
            if statuses and statuses[-1] == "TRANSLATION":
                out.append(_normalise(m.group(1)))
    return out


def bundled_translations() -> list[tuple[str, str]]:
    out = []
    for path in sorted(Path("rules").glob("*.dtr")):
        for article in parse_file(path).articles:
            for node in [*article.provisions, *article.exceptions, *article.definitions]:
                if node.translation_text is not None:
                    out.append((f"{path.name} {getattr(node, 'ref', None) or node.term}", node.translation_text))
    return out


def test_the_bundled_rules_carry_translations():
    assert len(bundled_translations()) >= 10


@pytest.mark.skipif(not SOURCES.is_dir(), reason=f"{SOURCES} is not beside this checkout")
def test_every_translation_is_found_in_a_translation_block():
    blocks = translation_blocks(SOURCES)
    assert blocks, f"no TRANSLATION blocks under {SOURCES}"
    missing = [where for where, text in bundled_translations()
               if not any(_normalise(text) in block for block in blocks)]
    assert not missing, f"translations not found in any TRANSLATION block: {missing}"


BASE = '''regime T "T" {
  kind: domestic_law
  jurisdiction: CN
  language: zh
}
article 3 {
  provision 3.1 {
    topic: scope.territorial
    personal_information_handler must comply_with_instrument of personal_information
    quote: "第三条 在中华人民共和国境内处理自然人个人信息的活动，适用本法。"
    %s
  }
}
'''


@pytest.mark.parametrize("english, codes", [
    ("", ["E050"]),
    ('gloss: "This Law applies to handling personal information in the PRC."', []),
    ('translation: "This Law applies."\n    translation_source: "unofficial translation, example"', []),
    ('translation_source: "unofficial translation, example"', ["E050", "E050"]),
])
def test_a_chinese_quote_needs_english_beside_it(english, codes):
    vocabulary = {str(p): p.read_text(encoding="utf-8") for p in sorted(Path("rules/vocabulary").glob("*.dtr"))}
    result = check_sources({"t.dtr": BASE % english}, context=vocabulary)
    assert sorted(d.code for d in result.diagnostics) == codes, [d.message for d in result.diagnostics]


def test_an_english_quote_marked_translation_needs_nothing_beside_it():
    text = (BASE % "").replace('"第三条 在中华人民共和国境内处理自然人个人信息的活动，适用本法。"', '"This Law applies." (translation)')
    vocabulary = {str(p): p.read_text(encoding="utf-8") for p in sorted(Path("rules/vocabulary").glob("*.dtr"))}
    assert check_sources({"t.dtr": text}, context=vocabulary).diagnostics == []


def test_conflicts_carry_the_original_and_the_english_with_their_languages():
    import json

    from typer.testing import CliRunner

    from comparator.cli import app
    args = ["conflicts", "-c", "CN", "--assume-party", "CPTPP=CN", "--as-of", "2026-06-01"]
    data = json.loads(CliRunner().invoke(app, [*args, "--format", "json"]).output)
    sides = [s for c in data["conflicts"] for s in (c["a"], c["b"]) if s["regime"] == "CN_PIPL"]
    assert sides, "CN_PIPL is in no conflict"
    assert all(s["quote_language"] == "zh" and s["quote"] for s in sides)
    translated = [s for s in sides if s["translation"]]
    assert translated and all(s["translation_language"] == "en" and not s["translation_authentic"]
                              and s["translation_source"] for s in translated)
    text = CliRunner().invoke(app, args, env={"COLUMNS": "200"}).output
    assert "Original (Chinese)" in text and "Unofficial translation — " in text


def test_csv_reports_carry_the_english_beside_a_chinese_quote(tmp_path):
    import csv

    from typer.testing import CliRunner

    from comparator.cli import app
    runner = CliRunner()
    out = tmp_path / "cn.csv"
    args = ["conflicts", "-c", "CN", "--assume-party", "CPTPP=CN", "--as-of", "2026-06-01", "-f", "csv", "-o", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    pipl = [(r[f"{s}_quote_language"], r[f"{s}_english"], r[f"{s}_english_label"]) for r in rows for s in "ab"
            if r[f"{s}_regime"] == "CN_PIPL"]
    assert pipl and all(lang == "zh" for lang, _, _ in pipl)
    assert any(english and label.startswith("Unofficial translation") for _, english, label in pipl)
    english_sides = [r["a_english"] for r in rows if r["a_regime"] == "CPTPP"]
    assert english_sides and set(english_sides) == {""}  # an English quote needs nothing beside it
    out2 = tmp_path / "cmp.csv"
    assert runner.invoke(app, ["compare", "CN_PIPL", "CPTPP", "--as-of", "2026-06-01", "-f", "csv",
                               "-o", str(out2)]).exit_code == 0
    cells = [r for r in csv.DictReader(out2.open(encoding="utf-8")) if r["regime"] == "CN_PIPL" and r["quote"]]
    assert cells and {r["quote_language"] for r in cells} == {"zh"} and any(r["english"] for r in cells)
