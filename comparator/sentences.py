"""Sentence templates: a norm, a party or a list of terms in English, from vocabulary labels.

Sits beside the vocabulary, below the engine: the checks (``checks/``), the differences
(``compare.py``) and the reports use it so that text a person reads names things by
label, never by identifier (docs/language.md section 7 says how labels are written).

Label conventions these templates rely on:
  action  a bare-infinitive verb phrase; its objects follow it ("transfer across borders"
          + "personal information"). A trailing preposition ("impose customs duties on")
          is dropped when the norm names no object.
  object  a noun phrase used without an article ("personal information"); destinations
          get "a"/"an" ("to a third country").
  role    a singular noun phrase; shown with "a"/"an" ("a controller or processor"), or
          "the" for a proper name ("the European Commission").
``allow`` and ``require`` norms are about what a state lets or makes someone else do; the
treaties in the corpus say "a covered person", so the templates name that person.
"""
from __future__ import annotations

import re
from typing import Iterable

import pycountry

STANCE_ACTOR = "a covered person"
_PREPOSITIONS = {"on", "of", "to", "for", "about", "in", "with", "from"}
_TAIL = re.compile(r" (across borders|abroad|onward|(?:in|within|outside) (?:the|its) territory)$")
_THE_COUNTRIES = {"GB", "US", "NL", "PH", "AE", "CZ", "DO", "BS", "GM", "KM", "MV", "MH", "SB", "VA"}


def label(vocab, term: str) -> str:
    """A term's label; an undeclared id reads as words rather than as an identifier.

    ``vocab`` is a Vocabulary, or the ``labels`` map of a JSON result (id -> label), which is
    what the reports have.
    """
    if isinstance(vocab, dict):
        return vocab.get(term) or term.replace("_", " ")
    t = vocab.get(term) if vocab is not None else None
    if t is None and vocab is not None:
        t = vocab.get(vocab.canonical(term))
    return t.label if t is not None and t.label else term.replace("_", " ")


def labels_map(vocab, terms: Iterable[str]) -> dict[str, str]:
    """``{id: label}`` for the terms a result names (JSON ``labels``): ids stay, labels are added."""
    out: dict[str, str] = {}
    for t in terms:
        if t and t not in out and (vocab.get(t) is not None or vocab.get(vocab.canonical(t)) is not None):
            out[t] = label(vocab, t)
    return dict(sorted(out.items()))


def join(items: Iterable[str], word: str = "and") -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def article(phrase: str) -> str:
    if not phrase:
        return phrase
    if phrase[0].isupper() and phrase.split()[0] not in {"Party", "ICT"}:
        return "the " + phrase
    return ("an " if phrase[0].lower() in "aeiou" else "a ") + phrase


def country(code: str, vocab=None) -> str:
    """A country code as a name ("CN" -> "China", "GB" -> "the United Kingdom"); groups by label."""
    if isinstance(vocab, dict):
        named = vocab.get(code)
        if named:
            return named if named.startswith("the ") else "the " + named
        vocab = None
    t = vocab.get(code) if vocab is not None else None
    if t is not None and t.kind == "group":
        return "the " + t.label if t.label and not t.label.startswith("the ") else (t.label or code)
    c = pycountry.countries.get(alpha_2=code) if re.fullmatch(r"[A-Z]{2}", code or "") else None
    if c is None:
        return code
    name = getattr(c, "common_name", None) or c.name
    return ("the " + name) if code in _THE_COUNTRIES else name


def countries(codes: Iterable[str], vocab=None) -> str:
    return join([country(c, vocab) for c in codes])


def objects(vocab, terms: Iterable[str], word: str = "and") -> str:
    return join([label(vocab, t) for t in terms], word)


def bearers(vocab, terms: Iterable[str]) -> str:
    """Bearers as a subject: 'a controller or processor', 'a Party', 'the European Commission'."""
    labels = [label(vocab, t) for t in terms]
    if not labels:
        return "anyone"
    if all(not x[0].isupper() or x.startswith("Party") for x in labels):
        return article(join(labels, "or"))  # 'a controller or processor'
    return join([article(x) for x in labels], "or")  # 'a controller or the European Commission'


def gerund(verb_phrase: str) -> str:
    """'transfer across borders' -> 'transferring across borders' (for 'recognises the importance of')."""
    verb, _, rest = verb_phrase.partition(" ")
    doubled = {"transfer", "submit", "refer", "commit", "admit", "permit", "set", "get", "put", "stop", "plan"}
    if verb in doubled:
        ing = verb + verb[-1] + "ing"
    elif verb == "be":
        ing = "being"
    elif verb.endswith("ie"):
        ing = verb[:-2] + "ying"
    elif verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        ing = verb[:-1] + "ing"
    else:
        ing = verb + "ing"
    return f"{ing} {rest}".strip()


def verb_phrase(vocab, action: str, objs: Iterable[str] = (), dests: Iterable[str] = (), place: str | None = None) -> str:
    """The action with its objects and destinations: 'transfer personal information across borders to a third country'.

    Objects go after the verb phrase, or before a closing adverbial of place ("across borders",
    "in the territory") so that 'store in the territory' + 'personal information' reads
    'store personal information in the territory' ('... in China' when the country is known).
    """
    verb = label(vocab, action)
    shown = [o for o in (label(vocab, o) for o in objs) if o.lower() not in verb.lower()]
    words = verb.split()
    if not shown and len(words) > 1 and words[-1] in _PREPOSITIONS:
        verb = " ".join(words[:-1])
    tail = ""
    m = _TAIL.search(verb)
    if shown and m and m.start() > 0:
        verb, tail = verb[:m.start()], verb[m.start():]
    out = verb + (f" {join(shown)}" if shown else "") + tail
    if place:
        out = re.sub(r"\b(the|its) territory\b", place, out)
    dests = list(dests)
    if dests:
        out += " to " + join([article(label(vocab, d)) for d in dests], "or")
    return out


def escape_routes(regime: str, refs: Iterable[str]) -> str:
    refs = list(refs)
    if not refs:
        return ""
    return f" unless {regime} {join(refs, 'or')} {'applies' if len(refs) == 1 else 'apply'}"


def predicate(modality: str, stance: str | None, vp: str) -> str:
    """Modality x stance as an English predicate around a verb phrase."""
    if stance:
        inner = f"{stance} {STANCE_ACTOR} to {vp}"
        return {"must": f"must {inner}", "must not": f"must not {inner}", "may": f"may {inner}",
                "should": f"should endeavour to {inner}", "should not": f"should endeavour not to {inner}",
                "recognises": f"recognises the importance of {gerund(inner)}"}.get(modality, f"{modality} {inner}")
    return {"must": f"must {vp}", "must not": f"must not {vp}", "may": f"may {vp}",
            "should": f"should endeavour to {vp}", "should not": f"should endeavour not to {vp}",
            "recognises": f"recognises the importance of {gerund(vp)}"}.get(modality, f"{modality} {vp}")


def norm_sentence(vocab, regime: str, norm, subject: str | None = None, place: str | None = None) -> str:
    """A whole norm: 'a controller or processor must not transfer across borders personal information
    to a third country unless GDPR 45, 46 or 49 apply'. Conditions are quoted, never paraphrased."""
    vp = verb_phrase(vocab, norm.action, norm.objects, norm.destinations, place)
    when = (" when " + " and ".join(f'"{c}"' for c in norm.conditions)) if norm.conditions else ""
    who = subject or bearers(vocab, norm.bearers)
    return f"{who} {predicate(norm.modality, norm.stance, vp)}{when}{escape_routes(regime, norm.unless)}"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
