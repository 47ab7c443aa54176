"""DEPA and USMCA say which of their articles the corpus could not encode.

Expected values come from the sources, not from the rule files: /work/shared/sources/depa.md
gives titles but no words for 3.4 (ICT Products that Use Cryptography), 5.1 (Cybersecurity
Cooperation), 6.3 (Online Consumer Protection), 9.5 (Open Government Data) and Modules 13
(transparency) and 14 (Dispute Settlement), all "not retrieved"; usmca-ch19.md gives titles
only for 19.5 (Domestic Electronic Transactions Framework), 19.7 (Online Consumer
Protection), 19.9 (Paperless Trading), 19.10 (Principles on Access to and Use of the Internet
for Digital Trade) and 19.13 (Unsolicited Commercial Electronic Communications).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from comparator.compare import compare
from comparator.validate import load_corpus

RULES = Path(__file__).resolve().parents[2] / "rules"

DEPA_MISSING = ["ict_products.cryptography", "cybersecurity.cooperation", "consumer_protection.online",
                "open_government_data", "transparency", "dispute_settlement"]
USMCA_MISSING = ["e_transactions.framework", "consumer_protection.online", "paperless_trading",
                 "internet.open_access", "spam.unsolicited_messages"]


@pytest.fixture(scope="module")
def rows():
    corpus = load_corpus([RULES])
    return {r.topic: r for r in compare(corpus, sorted(corpus.regimes), as_of="2026-11-23").rows}


@pytest.mark.parametrize("topic", DEPA_MISSING)
def test_depa_articles_without_words_are_not_encoded(rows, topic):
    assert rows[topic].cells["DEPA"].status == "not_encoded"
    assert f"{rows[topic].label.lower()} is not encoded for DEPA" in rows[topic].differences


@pytest.mark.parametrize("topic", USMCA_MISSING)
def test_usmca_articles_without_words_are_not_encoded(rows, topic):
    assert rows[topic].cells["USMCA"].status == "not_encoded"


@pytest.mark.parametrize(("regime", "topic"), [
    # depa.md, "What DEPA does not contain": no source-code and no interactive-computer-services article.
    ("DEPA", "source_code.disclosure"), ("DEPA", "intermediary_liability"),
    # Chapter 19 has no article on internet interconnection charges (CPTPP 14.14 has).
    ("USMCA", "internet.interconnection"),
])
def test_topics_the_agreement_does_not_address_stay_absent(rows, regime, topic):
    assert rows[topic].cells[regime].status == "absent"


def test_encoded_articles_keep_their_position(rows):
    assert rows["data_flows.cross_border_transfer"].cells["DEPA"].status == "binding"  # 4.3.2, VERBATIM
    assert rows["source_code.disclosure"].cells["USMCA"].status == "binding"  # 19.16.1, VERBATIM


def test_regimes_that_declare_nothing_are_unchanged(rows):
    for row in rows.values():
        for rid, cell in row.cells.items():
            if rid not in ("DEPA", "USMCA"):
                assert cell.status != "not_encoded", (rid, row.topic)
