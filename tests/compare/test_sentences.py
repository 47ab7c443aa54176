"""Explanations, scenarios and differences read as English built from labels (issue 10)."""
from __future__ import annotations

import re

from comparator import sentences as en
from comparator.model import Norm
from comparator.vocabulary import Vocabulary
from tests.compare.sentence_goldens import GOLDEN, sentences_doc

SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def test_sentences_match_the_golden():
    assert sentences_doc() == GOLDEN.read_text(encoding="utf-8"), "run `make goldens` and review git diff"


def test_golden_sentences_name_no_identifier():
    text = re.sub(r"`[^`]*`", "", GOLDEN.read_text(encoding="utf-8"))
    assert SNAKE.findall(text) == []


def test_each_modality_and_stance_reads(fixture_corpus):
    v = Vocabulary.from_terms(t for f in fixture_corpus.files for t in f.vocabulary)

    def say(modality, stance=None, action="cross_border_transfer", **kw):
        return en.norm_sentence(v, "PACT", Norm(bearers=kw.pop("bearers", ["party"]), modality=modality, stance=stance,
                                                action=action, **kw), place=kw.pop("place", None))

    assert say("must", "allow", objects=["personal_information"]) == \
        "a Party must allow a covered person to transfer personal information across borders"
    assert say("must not", "require", action="locate_computing_facilities", objects=["computing_facilities"]) == \
        "a Party must not require a covered person to use or locate computing facilities in the territory"
    assert say("should not", bearers=["controller", "processor"], objects=["personal_data"]) == \
        "a controller or processor should endeavour not to transfer personal information across borders"
    assert say("recognises", objects=["information"]).startswith("a Party recognises the importance of transferring")
    assert say("must not", bearers=["controller"], objects=["personal_information"], destinations=["third_country"],
               unless=["45", "46"]) == ("a controller must not transfer personal information across borders to a third "
                                         "country unless PACT 45 or 46 apply")


def test_countries_are_named():
    assert en.country("CN") == "China"
    assert en.country("GB") == "the United Kingdom"
    assert en.countries(["SG", "US"]) == "Singapore and the United States"
    assert en.country("XX") == "XX"
