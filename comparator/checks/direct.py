"""direct: one norm says *must do p*, another *must not do p*, for the same bearer.

Nobody can comply with both. The bearers must overlap (the same role, one under the
other, or two capacities one person can hold: a provider is usually also a controller),
the actions must meet (the same, or one under the other), and so must the objects and
destinations. Both norms must have the same stance (plain duties, or both about what a
state allows or requires). Pairs within one regime are never conflicts: an instrument's
own exceptions and escape routes already arrange them.

Conflicting example::

    # file: a.dtr
    regime ORDERS "Production orders" { kind: domestic_law  jurisdiction: US }
    article 1 "Disclosure" {
      provision 1 {
        topic: government_access.foreign_requests
        provider must disclose of subscriber_records
        quote: "A provider shall disclose records wherever located."
      }
    }
    # file: b.dtr
    regime BLOCK "Blocking statute" { kind: domestic_law  jurisdiction: EU }
    article 48 "Foreign orders" {
      provision 48 {
        topic: government_access.foreign_requests
        controller must not disclose of personal_data to foreign_authority
        quote: "A foreign order shall not be recognised or enforceable."
      }
    }
    # file: expect.dtr
    expect conflict direct between ORDERS 1 and BLOCK 48

Non-conflicting example (a permission to transfer is not a duty not to disclose)::

    # file: a.dtr
    regime ORDERS "Production orders" { kind: domestic_law  jurisdiction: US }
    article 1 "Disclosure" {
      provision 1 {
        topic: government_access.foreign_requests
        provider must disclose of subscriber_records
        quote: "A provider shall disclose records wherever located."
      }
    }
    # file: b.dtr
    regime SAFE "Safeguards" { kind: domestic_law  jurisdiction: EU }
    article 46 "Safeguards" {
      provision 46 {
        topic: data_flows.cross_border_transfer
        controller may cross_border_transfer of personal_data to third_country
        quote: "A controller may transfer personal data subject to appropriate safeguards."
      }
    }
    # file: expect.dtr
    expect no conflict between ORDERS 1 and SAFE 46
"""
from __future__ import annotations

from ..model import Conflict
from ..overlap import NormEntry, overlap_terms, relation, roles_overlap
from .. import sentences as en
from ._common import Context, build, norm_text, words

KIND = "direct"
TITLE = "a duty and a prohibition on the same conduct"


def wants_a(e: NormEntry) -> bool:
    return e.norm.modality in ("must", "should")


def wants_b(e: NormEntry) -> bool:
    return e.norm.modality in ("must not", "should not")


def check(a: NormEntry, b: NormEntry, ctx: Context) -> Conflict | None:
    if a.norm.stance != b.norm.stance:
        return None
    vocab = ctx.vocab
    bearers = roles_overlap(vocab, a.norm.bearers, b.norm.bearers)
    action = relation(vocab, a.norm.action, b.norm.action)
    objects = overlap_terms(vocab, a.norm.objects, b.norm.objects)
    dests = overlap_terms(vocab, a.norm.destinations, b.norm.destinations)
    if not (bearers and action and objects and (dests or not (a.norm.destinations and b.norm.destinations))):
        return None
    bound = ctx.bound_by_both(a, b, need_country=False)
    if bound is None:
        return None
    vocab, B = ctx.vocab, ctx.bound_words(bound)
    explanation = (f"{a.cite} says {norm_text(vocab, a)}; {b.cite} says {norm_text(vocab, b)}. "
                   f"Both reach {words(vocab, objects.terms)}; the bearers meet ({'; '.join(bearers.via)}); "
                   f"the actions meet ({action}).")
    who = en.capitalise(en.article(en.label(vocab, bearers.terms[0]))) if bearers.terms else "Someone"
    scenario = (f"{who} bound by both ({B}) is required by {a.regime_id} to "
                f"{en.verb_phrase(vocab, a.norm.action, objects.terms, place=ctx.place(bound))} and forbidden to do so "
                f"by {b.regime_id}{en.escape_routes(b.regime_id, b.norm.unless)}.")
    return build(KIND, ctx, a, b, bound, objects, list(bearers.via) + [action], explanation, scenario)
