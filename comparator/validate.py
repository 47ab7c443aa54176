"""Checks that need more than one file: vocabulary, references, countries, dates.

Second stage of the pipeline (parse -> **validate** -> store/compare). Takes the
:class:`~comparator.parse.ParseResult` of every file of a corpus, resolves every name
use against the shared vocabulary, and returns all diagnostics sorted. ``load_corpus``
is the entry point the rest of the product uses: it parses, validates and either returns
a :class:`~comparator.model.Corpus` or raises one :class:`~comparator.errors.DtrError`.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .bilingual import language_name
from .errors import Diagnostic, DtrError
from .model import CONFLICT_KINDS, REGIME_KINDS, Corpus, RuleFile, Span, Term
from .collector import long_lived
from .parse import ParseResult, Use, parse_text, read_source
# Re-exported: Vocabulary lived here before it got its own low-floor module.
from .vocabulary import COUNTRY_CODE_SLIPS, Vocabulary, is_country_code, topic_matches  # noqa: F401

TERM_USE_KINDS = ("action", "object", "role", "test", "exception", "scope", "topic")


# What a label looks like for each kind of term (docs/language.md section 7), shown in W001's hint.
_LABEL_EXAMPLE = {"action": '"transfer across borders" (a verb phrase)', "object": '"personal information" (a noun phrase)',
                  "role": '"data handler" (a singular noun phrase)', "topic": '"Cross-border transfer of information" (a title)'}
_ANY_LABEL = '"..." (a noun phrase)'


def _did_you_mean(name: str, candidates: list[str]) -> str | None:
    close = difflib.get_close_matches(name, candidates, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(f"`{c}`" for c in close) + "?"
    return None


def _refs_of(rf: RuleFile) -> dict[str, Span | None]:
    """Every citation a file defines: articles, provisions, exceptions, definitions' articles."""
    refs: dict[str, Span | None] = {}
    for a in rf.articles:
        refs.setdefault(a.ref, a.span)
        for p in a.provisions:
            refs.setdefault(p.ref, p.span)
        for e in a.exceptions:
            refs.setdefault(e.ref, e.span)
    return refs


def validate(results: list[ParseResult], report_paths: set[str] | None = None) -> list[Diagnostic]:
    """All diagnostics of a corpus, sorted; ``report_paths`` limits which files are reported."""
    diags: list[Diagnostic] = [d for r in results for d in r.diagnostics]
    files = [r.file for r in results]

    # -- vocabulary: duplicates, broader links, cycles
    first: dict[str, Term] = {}
    for t in (t for f in files for t in f.vocabulary):
        for name in [t.id, *t.aliases]:
            if name in first:
                prev = first[name]
                diags.append(Diagnostic(
                    code="E020", message=f"`{name}` is declared twice in the vocabulary", span=t.span,
                    related=[("first declared here", prev.span)] if prev.span else [],
                    hint="declare each term once; add another name to its `aliases` instead"))
            else:
                first[name] = t
    vocab = Vocabulary.from_terms(t for f in files for t in f.vocabulary)
    for t in vocab.terms.values():
        for b in t.broader:
            bt = vocab.get(b)
            if bt is None:
                diags.append(Diagnostic(code="E010", message=f"`{b}` (broader term of `{t.id}`) is not in the vocabulary",
                                        span=t.span, hint=_did_you_mean(b, vocab.names(t.kind))))
            elif bt.kind != t.kind:
                diags.append(Diagnostic(code="E011", message=f"`{t.id}` is a {t.kind} but its broader term `{b}` is a {bt.kind}",
                                        span=t.span, hint="a broader term must be of the same kind"))
        if t.id in vocab.ancestors(t.id)[1:] or any(t.id in vocab.ancestors(b) for b in t.broader):
            diags.append(Diagnostic(code="E048", message=f"`{t.id}` is broader than itself (a cycle of `broader` links)",
                                    span=t.span, hint="a term's broader chain must end at a term with no `broader`"))
        if not t.label:
            diags.append(Diagnostic(code="W001", severity="warning", message=f"{t.kind} `{t.id}` has no label",
                                    span=t.span, hint=f"write its label after the id, ready for a sentence: "
                                                      f"{t.kind} {t.id} {_LABEL_EXAMPLE.get(t.kind, _ANY_LABEL)}"))

    # -- regimes: duplicates across files, and the citations each defines
    regimes: dict[str, RuleFile] = {}
    refs: dict[str, dict[str, Span | None]] = {}
    for f in files:
        if f.regime is None:
            continue
        rid = f.regime.id
        if rid in regimes:
            diags.append(Diagnostic(code="E020", message=f"regime {rid} is declared in two files", span=f.regime.span,
                                    related=[("first declared here", regimes[rid].regime.span)]))
            continue
        regimes[rid] = f
        refs[rid] = _refs_of(f)

    # A use other than a citation resolves or not whatever file it is in: each (kind, name)
    # that resolved once is not looked up again (a corpus names the same terms everywhere).
    resolved: set[tuple[str, str]] = set()
    for r in results:
        f = r.file
        diags += _check_file(f, vocab)
        local_refs = _refs_of(f)
        for use in r.uses:
            key = (use.kind, use.value)
            if key in resolved:
                continue
            d = _check_use(use, f, vocab, local_refs, regimes, refs)
            if d:
                diags.append(d)
            elif key[0] != "ref":
                resolved.add(key)

    if report_paths is not None:
        diags = [d for d in diags if d.span is None or d.span.path in report_paths]
    # One problem reported once, even when two routes find it.
    unique = {(d.code, d.message, d.sort_key()): d for d in diags}
    return sorted(unique.values(), key=Diagnostic.sort_key)


def _check_file(f: RuleFile, vocab: Vocabulary) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    rg = f.regime
    if rg is None and f.articles:
        diags.append(Diagnostic(code="E046", message="this file has articles but no `regime` block", span=f.articles[0].span,
                                hint="start the file with `regime ID \"title\" { kind: ... }`"))
    if rg is not None:
        if not rg.parties and not rg.jurisdiction:
            diags.append(Diagnostic(code="E040", message=f"regime {rg.id} has neither `parties` nor `jurisdiction`",
                                    span=rg.span, hint="a treaty lists its `parties`; a law or clauses give their `jurisdiction`"))
        if rg.signed and rg.in_force and rg.in_force < rg.signed:
            diags.append(Diagnostic(code="E031", message=f"regime {rg.id} enters into force ({rg.in_force}) before it is signed ({rg.signed})",
                                    span=rg.span))
        if rg.in_force and rg.until and rg.until < rg.in_force:
            diags.append(Diagnostic(code="E031", message=f"regime {rg.id} ends ({rg.until}) before it enters into force ({rg.in_force})",
                                    span=rg.span))
        for code in [rg.language, *rg.authentic]:
            if not _LANGUAGE.fullmatch(code):
                diags.append(Diagnostic(code="E014", message=f"`{code}` is not a language code", span=rg.span,
                                        hint="write the two-letter ISO 639-1 code in lower case, e.g. `language: zh`"))
        seen_party: dict[str, Span | None] = {}
        for p in rg.parties:
            if p.country in seen_party:
                diags.append(Diagnostic(code="E020", message=f"party {p.country} is listed twice", span=p.span,
                                        related=[("first listed here", seen_party[p.country])] if seen_party[p.country] else []))
            seen_party.setdefault(p.country, p.span)
            if p.joined and p.left and p.left < p.joined:
                diags.append(Diagnostic(code="E031", message=f"party {p.country} leaves before it joins", span=p.span))
    # Articles and the norms in them are separate namespaces: a one-paragraph article
    # (CPTPP 14.10) holds a provision cited like the article itself.
    seen_articles: dict[str, Span | None] = {}
    seen_norms: dict[str, Span | None] = {}
    for a in f.articles:
        for node, seen in [(a, seen_articles), *((n, seen_norms) for n in [*a.provisions, *a.exceptions])]:
            what = type(node).__name__.rstrip("_").lower()
            if node.ref in seen:
                diags.append(Diagnostic(code="E020", message=f"{what} {node.ref} is declared twice", span=node.span,
                                        related=[("first declared here", seen[node.ref])] if seen[node.ref] else [],
                                        hint="each citation names one article, provision or exception"))
            seen.setdefault(node.ref, node.span)
        for node in [*a.provisions, *a.exceptions]:
            if node.in_force and node.until and node.until < node.in_force:
                diags.append(Diagnostic(code="E031", message=f"{node.ref} ends ({node.until}) before it starts ({node.in_force})",
                                        span=node.span))
            if node.status == "verified" and node.quote is None:
                diags.append(Diagnostic(
                    code="E047", message=f"{node.ref} has no quote but is not marked unverified", span=node.span,
                    hint="copy the instrument's words from a VERBATIM source into `quote:`, or write "
                         "`status: unverified` and say in `note:` where the encoding comes from"))
            if (rg is not None and rg.language != "en" and node.status == "verified" and node.quote is not None
                    and not node.translation and node.translation_text is None and node.gloss is None):
                diags.append(Diagnostic(
                    code="E050", message=f"{node.ref} quotes the {language_name(rg.language)} original with no English beside it",
                    span=node.span,
                    hint="copy an English translation from a TRANSLATION source into `translation:` (and name it in "
                         "`translation_source:`), or write your own summary in `gloss:`"))
            if node.translation_source is not None and node.translation_text is None:
                diags.append(Diagnostic(
                    code="E050", message=f"{node.ref} names a `translation_source` but gives no `translation`",
                    span=node.span, hint="add the translation it names, or leave `translation_source:` out"))
        for p in a.provisions:
            if not p.topics and not (p.norm is None and p.status == "unverified"):
                diags.append(Diagnostic(code="E044", message=f"provision {p.ref} has no `topic`", span=p.span,
                                        hint="add e.g. `topic: data_flows.cross_border_transfer` (topics are in the vocabulary)"))
    return diags


_LANGUAGE = re.compile(r"[a-z]{2}")

_KIND_WORD = {"action": "an action", "object": "an object", "role": "a role", "test": "a test",
              "exception": "an exception kind", "scope": "a scope term", "topic": "a topic", "group": "a group"}


def _check_use(use: Use, f: RuleFile, vocab: Vocabulary, local_refs: dict, regimes: dict, refs: dict) -> Diagnostic | None:
    # The span is made only for a diagnostic: nearly every use resolves.
    kind, value = use.kind, use.value
    if kind in TERM_USE_KINDS or kind == "term":
        term = vocab.get(value)
        if term is None:
            code = "E012" if kind == "topic" else "E010"
            want = None if kind == "term" else kind
            where = f"{_KIND_WORD.get(kind, 'a term')}" if kind != "term" else "a term"
            return Diagnostic(code=code, message=f"unknown {'topic' if kind == 'topic' else 'term'} `{value}` (expected {where} from the vocabulary)",
                              span=use.span, hint=_did_you_mean(value, vocab.names(want)) or
                              "declare it in a `vocabulary { ... }` block (see docs/language.md, section 7)")
        if kind != "term" and term.kind != kind and not (kind == "object" and term.kind == "scope"):
            return Diagnostic(code="E011", message=f"`{value}` is {_KIND_WORD[term.kind]}, but {_KIND_WORD[kind]} is needed here",
                              span=use.span, hint=_did_you_mean(value, vocab.names(kind)))
        return None
    if kind == "topic_pattern":
        topics = vocab.names("topic")
        if any(topic_matches(t, value) for t in topics):
            return None
        families = sorted({t.split(".")[0] + ".*" for t in topics if "." in t})
        return Diagnostic(code="E012", message=f"`{value}` matches no topic of the vocabulary", span=use.span,
                          hint=_did_you_mean(value, topics + families)
                          or "write a topic id (data_flows.cross_border_transfer) or a pattern over topic ids (data_flows.*)")
    if kind == "bound":
        # Who is bound by both sides of an expectation: a country, a group, or an actor role.
        term = vocab.get(value)
        if is_country_code(value) or (term is not None and term.kind in ("group", "role")):
            return None
        return Diagnostic(code="E013", message=f"`{value}` is not a country, group or role", span=use.span,
                          hint=_did_you_mean(value, vocab.names("role") + vocab.names("group"))
                          or "write a country code (GB), a group (EU) or a role from the vocabulary (provider)")
    if kind == "country":
        if is_country_code(value) or (vocab.get(value) is not None and vocab.get(value).kind == "group"):
            return None
        hint = "countries are ISO 3166-1 alpha-2 codes in capitals (GB, CN, VN) or a group declared in the vocabulary (EU)"
        if len(value) == 2 and is_country_code(value.upper()):
            hint = f"write country codes in capitals: `{value.upper()}`"
        elif value in COUNTRY_CODE_SLIPS:
            hint = f"the ISO 3166-1 code is `{COUNTRY_CODE_SLIPS[value]}`"
        return Diagnostic(code="E013", message=f"`{value}` is not a country code or group", span=use.span, hint=hint)
    if kind == "ref":
        if use.regime is None:
            if f.regime is None:
                return None
            if value in local_refs:
                return None
            in_exception = any(value in e.applies_to and e.span and e.span.line <= use.line <= (e.span.end_line or e.span.line)
                               for e in f.exceptions())
            code = "E022" if in_exception else "E021"
            what = "this exception applies to nothing: " if in_exception else ""
            return Diagnostic(code=code, message=f"{what}{f.regime.id} has no article or provision {value}", span=use.span,
                              hint=_did_you_mean(value, sorted(local_refs)) or "cite an article or provision declared in this file")
        if use.regime not in regimes:
            return None  # reported once by the regime use
        if value in refs[use.regime]:
            return None
        return Diagnostic(code="E021", message=f"{use.regime} has no article or provision {value}", span=use.span,
                          hint=_did_you_mean(value, sorted(refs[use.regime])))
    if kind == "regime":
        if value in regimes:
            return None
        return Diagnostic(code="E023", message=f"no regime `{value}` in the rules checked", span=use.span,
                          hint=_did_you_mean(value, sorted(regimes)) or "check the regime id, or check the folder that holds it")
    if kind == "status" and value not in ("verified", "unverified"):
        return Diagnostic(code="E014", message=f"`{value}` is not a status", span=use.span,
                          hint="write `status: verified` or `status: unverified`")
    if kind == "regime_kind" and value not in REGIME_KINDS:
        return Diagnostic(code="E014", message=f"`{value}` is not a kind of regime", span=use.span,
                          hint=_did_you_mean(value, list(REGIME_KINDS)) or "one of: " + ", ".join(REGIME_KINDS))
    if kind == "conflict_kind" and value not in CONFLICT_KINDS:
        return Diagnostic(code="E014", message=f"`{value}` is not a kind of conflict", span=use.span,
                          hint=_did_you_mean(value, list(CONFLICT_KINDS)) or "one of: " + ", ".join(CONFLICT_KINDS))
    return None


# ---------------------------------------------------------------------------- file discovery

def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """The .dtr files named, and those under the folders named, in a stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(p.rglob("*.dtr"))
        else:
            out.append(p)
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def corpus_root(path: Path) -> Path | None:
    """The nearest folder above ``path`` that holds a ``vocabulary/`` folder: the corpus it belongs to."""
    for parent in [path if path.is_dir() else path.parent, *path.resolve().parents]:
        if (parent / "vocabulary").is_dir():
            return parent
    return None


@dataclass
class CheckResult:
    corpus: Corpus
    diagnostics: list[Diagnostic]
    files: list[Path]
    texts: dict[str, str]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def check_sources(sources: dict[str, str], context: dict[str, str] | None = None) -> CheckResult:
    """Check in-memory texts (path -> text), with ``context`` files (e.g. the vocabulary) read too.

    Diagnostics are reported for ``sources`` only; a context file that does not parse is
    skipped (its own check reports it).
    """
    results: list[ParseResult] = []
    diags: list[Diagnostic] = []
    parsed_paths: set[str] = set()
    with long_lived():
        return _check_sources(sources, context, results, diags, parsed_paths)


def _check_sources(sources, context, results, diags, parsed_paths) -> CheckResult:
    for path, text in sources.items():
        try:
            results.append(parse_text(text, path))
            parsed_paths.add(path)
        except DtrError as exc:
            diags += exc.diagnostics
    for path, text in (context or {}).items():
        if path in sources:
            continue
        try:
            results.append(parse_text(text, path))
        except DtrError:
            pass
    diags += validate(results, report_paths=set(sources))
    files = [r.file for r in results if r.file.path in parsed_paths]
    return CheckResult(corpus=Corpus(files=files), diagnostics=sorted(diags, key=Diagnostic.sort_key),
                       files=[Path(p) for p in sources], texts=dict(sources))


def check_paths(paths: Iterable[str | Path]) -> CheckResult:
    """Check files and folders as ``dtrc check`` does: the corpus each belongs to is read as context."""
    files = collect_files(paths)
    texts: dict[str, str] = {}
    diags: list[Diagnostic] = []
    for p in files:
        try:
            texts[str(p)] = read_source(p)
        except DtrError as exc:
            diags += exc.diagnostics
    # Context: a file is checked with the vocabulary of its corpus, and, when it holds
    # expectations (which cite other regimes), with the rest of its corpus too.
    context: dict[str, str] = {}
    wants_regimes = any("expect" in t for t in texts.values())
    given = {f.resolve() for f in files}
    roots = {r for r in (corpus_root(p) for p in files) if r is not None}
    for root in sorted(roots):
        pool = root.rglob("*.dtr") if wants_regimes else (root / "vocabulary").rglob("*.dtr")
        for p in sorted(pool):
            if p.resolve() not in given:
                try:
                    context[str(p)] = read_source(p)
                except DtrError:
                    pass
    result = check_sources(texts, context)
    result.diagnostics = sorted(diags + result.diagnostics, key=Diagnostic.sort_key)
    result.files = files
    return result


def load_corpus(paths: Iterable[str | Path]) -> Corpus:
    """Parse and validate; the corpus of every file named, or one DtrError with every problem."""
    result = check_paths(paths)
    if result.errors:
        raise DtrError(result.errors)
    return result.corpus
