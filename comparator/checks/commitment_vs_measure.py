"""commitment_vs_measure: a treaty forbids a party to *require* p; that party's own law requires p.

The treaty norm is ``party must not require p`` (a localisation or source-code ban); the
measure is a domestic law of a country bound by the treaty on the as-of date (or assumed
to accede: ``--assume-party CPTPP=CN``) saying ``actor must p``. Actions and objects must
meet through the vocabulary. Whether the measure is saved by the treaty's exception is a
question of fact the engine cannot answer: it lists the exceptions and their tests.

Conflicting example::

    # file: a.dtr
    regime PACT "Trade pact" { kind: trade_agreement  parties: CN, SG  in_force: 2020-01-01 }
    article 13 "Location of computing facilities" {
      provision 13.2 {
        topic: localisation.computing_facilities
        party must not require locate_computing_facilities of computing_facilities
        quote: "No Party shall require a covered person to use or locate computing facilities in its territory."
      }
      exception 13.3 legitimate_public_policy applies_to 13.2 {
        tests: non_discrimination, proportionality
        quote: "Nothing shall prevent a Party from adopting measures to achieve a legitimate objective."
      }
    }
    # file: b.dtr
    regime CN_LAW "Localisation law" { kind: domestic_law  jurisdiction: CN }
    article 40 "Local facilities" {
      provision 40 {
        topic: localisation.computing_facilities
        controller must locate_computing_facilities of computing_facilities
        quote: "Operators shall use computing facilities located in the territory."
      }
    }
    # file: expect.dtr
    expect conflict commitment_vs_measure between PACT 13.2 and CN_LAW 40 for CN as_of 2024-01-01

Non-conflicting example (the law is not the law of a party)::

    # file: a.dtr
    regime PACT "Trade pact" { kind: trade_agreement  parties: SG, NZ  in_force: 2020-01-01 }
    article 13 "Location of computing facilities" {
      provision 13.2 {
        topic: localisation.computing_facilities
        party must not require locate_computing_facilities of computing_facilities
        quote: "No Party shall require a covered person to use or locate computing facilities in its territory."
      }
    }
    # file: b.dtr
    regime CN_LAW "Localisation law" { kind: domestic_law  jurisdiction: CN }
    article 40 "Local facilities" {
      provision 40 {
        topic: localisation.computing_facilities
        controller must locate_computing_facilities of computing_facilities
        quote: "Operators shall use computing facilities located in the territory."
      }
    }
    # file: expect.dtr
    expect no conflict between PACT 13.2 and CN_LAW 40 for CN as_of 2024-01-01
"""
from __future__ import annotations

from ..binding import is_treaty
from ..model import Conflict
from ..overlap import NormEntry, overlap_terms, relation
from .. import sentences as en
from ._common import Context, build, norm_text, outside_scope, words

KIND = "commitment_vs_measure"
TITLE = "a treaty ban on requiring something, and a law of a party that requires it"


def wants_a(e: NormEntry) -> bool:
    return is_treaty(e.regime) and e.norm.stance == "require" and e.norm.modality in ("must not", "should not")


def wants_b(e: NormEntry) -> bool:
    return e.regime.kind == "domestic_law" and e.norm.stance is None and e.norm.modality in ("must", "should")


def check(a: NormEntry, b: NormEntry, ctx: Context) -> Conflict | None:
    vocab = ctx.vocab
    action = relation(vocab, a.norm.action, b.norm.action)
    objects = overlap_terms(vocab, a.norm.objects, b.norm.objects)
    if not (action and objects) or outside_scope(ctx, a, b):
        return None
    bound = ctx.bound_by_both(a, b, need_country=True)
    if bound is None:
        return None
    B, place = ctx.bound_words(bound), ctx.place(bound)
    excluded = f" {a.cite} does not cover {words(vocab, a.provision.excludes, 'or')}." if a.provision.excludes else ""
    explanation = (f"Under {a.cite}, {norm_text(vocab, a, place, subject=B)}; "
                   f"{B}'s own {b.cite} says {norm_text(vocab, b, place)}. "
                   f"They meet on {words(vocab, objects.terms)} ({action}).{excluded}")
    duty = "must" if b.norm.modality == "must" else "is asked to"
    scenario = (f"A business covered by {a.regime_id} operating in {B} {duty}, under {b.regime_id}, "
                f"{en.verb_phrase(vocab, b.norm.action, b.norm.objects, b.norm.destinations, place)} as "
                f"{en.bearers(vocab, b.norm.bearers)}: the kind of requirement {a.regime_id} forbids {B} to impose.")
    return build(KIND, ctx, a, b, bound, objects, [action], explanation, scenario)
