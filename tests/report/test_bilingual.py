"""A non-English quote and the English beside it, in every report format.

Uses the bundled rules: CN_PIPL quotes the Chinese original with unofficial English
translations and encoder's glosses beside it (rules/cn_pipl.dtr).
"""
from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from comparator.checks import conflict_report
from comparator.compare import compare
from comparator.model import Perspective
from comparator.report import ReportOptions, render
from comparator.validate import load_corpus

from .conftest import ROOT

ORIGINAL = "第三十八条 个人信息处理者因业务等需要，确需向中华人民共和国境外提供个人信息的，应当具备下列条件之一："
ENGLISH = "Where a personal information processor needs to provide personal information outside the territory"
LABEL = "Unofficial translation — personalinformationprotectionlaw.com"
GLOSS_LABEL = "English summary by the encoder (not a translation)"
OPTIONS = ReportOptions(generated_at="2026-06-01", corpus_hash="0" * 64)


@pytest.fixture(scope="module")
def rules():
    return load_corpus([ROOT / "rules"])


@pytest.fixture(scope="module")
def cn_conflicts(rules):
    return conflict_report(rules, Perspective(kind="country", country="CN", as_of=dt.date(2026, 6, 1),
                                              assume_party=[("CPTPP", "CN")]))


@pytest.fixture(scope="module")
def cn_comparison(rules):
    return compare(rules, ["CN_PIPL", "CN_DSL"], as_of=dt.date(2026, 6, 1))


def test_json_carries_both_with_their_languages(cn_conflicts):
    data = json.loads(render(cn_conflicts, "json", OPTIONS))
    side = next(s for c in data["conflicts"] for s in (c["a"], c["b"]) if s["quote"] == ORIGINAL)
    assert side["quote_language"] == "zh" and side["translation_language"] == "en"
    assert side["translation"].startswith(ENGLISH) and side["translation_authentic"] is False


def test_html_sets_original_and_translation_in_two_labelled_columns(cn_conflicts):
    html = render(cn_conflicts, "html", OPTIONS)
    at = html.index(f'<blockquote class="quote" lang="zh">{ORIGINAL}</blockquote>')
    pair = html[html.rindex('<div class="bilingual">', 0, at):html.index("</div>", at)]
    assert "<figcaption>Original (Chinese)</figcaption>" in pair
    assert f"<figcaption>{LABEL}</figcaption>" in pair
    assert f'<blockquote class="quote translation" lang="en">{ENGLISH}' in pair
    assert '"Noto Sans CJK SC"' in html and '"Noto Serif CJK SC"' in html


def test_html_labels_a_gloss_as_the_encoders_summary(cn_comparison):
    html = render(cn_comparison, "html", OPTIONS)
    assert f"<figcaption>{GLOSS_LABEL}</figcaption>" in html
    assert '<blockquote class="quote gloss" lang="en">' in html
    assert "Unofficial translation — " in html  # CN_PIPL cells carry translations


def test_markdown_puts_the_english_under_the_original(cn_conflicts, cn_comparison):
    md = render(cn_conflicts, "md", OPTIONS)
    assert md.index(ORIGINAL) < md.index(f"*{LABEL}:* {ENGLISH}")
    assert f"*{GLOSS_LABEL}:*" in render(cn_comparison, "md", OPTIONS)


def test_xlsx_cell_holds_the_original_then_the_english(cn_conflicts):
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(render(cn_conflicts, "xlsx", OPTIONS))).active
    says = next(v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str) and ORIGINAL in v)
    assert says.index(ORIGINAL) < says.index(f"{LABEL}: \u201c{ENGLISH}")


def test_docx_sets_an_east_asian_font_on_chinese_runs_only(cn_conflicts):
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(render(cn_conflicts, "docx", OPTIONS)))
    runs = [r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]

    def east_asian(run):
        fonts = run._element.rPr.rFonts if run._element.rPr is not None else None
        return fonts.get(qn("w:eastAsia")) if fonts is not None else None

    chinese = [r for r in runs if ORIGINAL in r.text]
    assert chinese and all(east_asian(r) == "Noto Serif CJK SC" and not r.italic for r in chinese)
    english = [r for r in runs if r.text.startswith(ENGLISH)]
    assert english and all(east_asian(r) is None for r in english)
    assert any(r.text == LABEL and r.bold for r in runs)
