"""restriction: a treaty obliges a party to *allow* p; that party's own law forbids p (unless C).

The treaty norm is ``party must allow p`` (a free-flow commitment); the measure is a
domestic law of a country bound by the treaty saying ``actor must not p [unless C]``.
The ``unless`` routes make it a restriction rather than a ban; it is still a measure
inconsistent with the commitment unless one of the treaty's exceptions saves it.

Conflicting example::

    # file: a.dtr
    regime PACT "Trade pact" { kind: trade_agreement  parties: GB, SG  in_force: 2020-01-01 }
    article 11 "Cross-border transfer" {
      provision 11.2 {
        topic: data_flows.cross_border_transfer
        party must allow cross_border_transfer of information, personal_information
        quote: "Each Party shall allow the cross-border transfer of information."
      }
      exception 11.3 legitimate_public_policy applies_to 11.2 {
        tests: non_discrimination, no_disguised_restriction, proportionality
        quote: "Nothing shall prevent a Party from adopting measures to achieve a legitimate objective."
      }
    }
    # file: b.dtr
    regime GB_LAW "Data protection law" { kind: domestic_law  jurisdiction: GB }
    article 44 "Transfers" {
      provision 44 {
        topic: data_flows.cross_border_transfer
        controller, processor must not cross_border_transfer of personal_data to third_country unless 46
        quote: "A transfer may take place only if the conditions are met."
      }
      provision 46 {
        topic: data_flows.cross_border_transfer
        controller may cross_border_transfer of personal_data to third_country
        quote: "A controller may transfer subject to appropriate safeguards."
      }
    }
    # file: expect.dtr
    expect conflict restriction between PACT 11.2 and GB_LAW 44 for GB as_of 2024-01-01

Non-conflicting example (disjoint objects: source code is not information in this vocabulary)::

    # file: a.dtr
    regime PACT "Trade pact" { kind: trade_agreement  parties: GB, SG  in_force: 2020-01-01 }
    article 11 "Cross-border transfer" {
      provision 11.2 {
        topic: data_flows.cross_border_transfer
        party must allow cross_border_transfer of personal_information
        quote: "Each Party shall allow the cross-border transfer of personal information."
      }
    }
    # file: b.dtr
    regime GB_LAW "Export law" { kind: domestic_law  jurisdiction: GB }
    article 5 "Export of code" {
      provision 5 {
        topic: source_code.disclosure
        controller must not cross_border_transfer of source_code
        quote: "No person shall export the source code."
      }
    }
    # file: expect.dtr
    expect no conflict between PACT 11.2 and GB_LAW 5 for GB as_of 2024-01-01
"""
from __future__ import annotations

from ..binding import is_treaty
from ..model import Conflict
from ..overlap import NormEntry, overlap_terms, relation
from .. import sentences as en
from ._common import Context, build, norm_text, outside_scope, words

KIND = "restriction"
TITLE = "a treaty duty to allow something, and a law of a party that forbids or restricts it"


def wants_a(e: NormEntry) -> bool:
    return is_treaty(e.regime) and e.norm.stance == "allow" and e.norm.modality in ("must", "should")


def wants_b(e: NormEntry) -> bool:
    return e.regime.kind == "domestic_law" and e.norm.stance is None and e.norm.modality in ("must not", "should not")


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
    # Conditions are the instrument's words; shown, never evaluated (docs/comparison.md section 6).
    when = bool(b.norm.conditions)
    excluded = f" {a.cite} does not cover {words(vocab, a.provision.excludes, 'or')}." if a.provision.excludes else ""
    explanation = (f"Under {a.cite}, {norm_text(vocab, a, place, subject=B)}; "
                   f"{B}'s own {b.cite} says {norm_text(vocab, b, place)}"
                   + ("" if b.norm.unless else ", with no escape route")
                   + f". They meet on {words(vocab, objects.terms)} ({'; '.join(objects.via + [action])}).{excluded}")
    allow = "must allow it" if a.norm.modality == "must" else "should endeavour to allow it"
    scenario = (f"A business in {B} covered by {a.regime_id} wants to "
                f"{en.verb_phrase(vocab, b.norm.action, objects.terms, b.norm.destinations, place)}: "
                f"{a.regime_id} says {B} {allow}; "
                + (f"{b.regime_id} permits it only through {b.regime_id} {en.join(b.norm.unless, 'or')}." if b.norm.unless
                   else f"{b.regime_id} forbids it" + (" in the conditions it states." if when else " outright.")))
    return build(KIND, ctx, a, b, bound, objects, [action], explanation, scenario)
