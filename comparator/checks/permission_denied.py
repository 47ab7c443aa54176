"""permission_denied: one regime *permits* p, another *forbids* p, for the same bearer.

Both can be complied with by not acting, so a finding is always ``low``: it marks where
a permission granted by one regime is worth nothing to someone also bound by the other.
Bearers, actions, objects and destinations must meet as for ``direct``.

A permission that is an escape route of its own regime (named in an ``unless`` there, as
GDPR 46 is in GDPR 44) only lifts that regime's prohibition; it licenses nothing against
another regime, so it is not matched here.

Conflicting example::

    # file: a.dtr
    regime ORDERS "Disclosure law" { kind: domestic_law  jurisdiction: US }
    article 7 "Voluntary disclosure" {
      provision 7 {
        topic: government_access.foreign_requests
        provider may disclose of subscriber_records
        quote: "A provider may disclose records to a governmental entity."
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
    expect conflict permission_denied between ORDERS 7 and BLOCK 48

Non-conflicting example (different actors: a regulator's power is not a controller's)::

    # file: a.dtr
    regime ORDERS "Disclosure law" { kind: domestic_law  jurisdiction: US }
    article 7 "Disclosure" {
      provision 7 {
        topic: government_access.foreign_requests
        regulator may disclose of personal_data
        quote: "The regulator may disclose information to a foreign counterpart."
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
    expect no conflict between ORDERS 7 and BLOCK 48
"""
from __future__ import annotations

from ..model import Conflict
from ..overlap import NormEntry, overlap_terms, relation, roles_overlap
from .. import sentences as en
from ._common import Context, build, norm_text, words

KIND = "permission_denied"
TITLE = "a permission in one regime, a prohibition of the same conduct in another"


def wants_a(e: NormEntry) -> bool:
    return e.norm.modality == "may"


def wants_b(e: NormEntry) -> bool:
    return e.norm.modality in ("must not", "should not")


def check(a: NormEntry, b: NormEntry, ctx: Context) -> Conflict | None:
    if a.norm.stance != b.norm.stance or ctx.is_escape_route(a):
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
    explanation = (f"{a.cite} permits it: {norm_text(vocab, a)}; {b.cite} forbids it: {norm_text(vocab, b)}. "
                   f"Both reach {words(vocab, objects.terms)}; the bearers meet ({'; '.join(bearers.via)}). "
                   "Both can be obeyed by not acting, but the permission is of no use to someone bound by both.")
    who = en.capitalise(en.article(en.label(vocab, bearers.terms[0]))) if bearers.terms else "Someone"
    scenario = (f"{who} bound by both ({B}) relies on {a.cite} to "
                f"{en.verb_phrase(vocab, a.norm.action, objects.terms, place=ctx.place(bound))}; {b.cite} forbids it.")
    return build(KIND, ctx, a, b, bound, objects, list(bearers.via) + [action], explanation, scenario)
