"""ToTA XML (Texts of Trade Agreements) -> a draft ``.dtr`` rule file.

Place in the pipeline: foreign text -> **importer** -> models (comparator.model) ->
comparator.fmt -> rule text, re-parsed by comparator.parse before it is written.
The draft holds what the XML states as fact (title, parties, dates, article numbers,
titles and texts) and nothing a lawyer must decide: every provision is a skeleton with
the article's own words as ``quote``, ``status: unverified`` and a note naming the
modality the words suggest. ToTA is CC BY-NC 4.0 (Alschner, Seiermann, Skougarevskiy);
the note in the regime block credits it.
"""
from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..model import Article, Party, Provision, Regime, RuleFile

DEFAULT_CHAPTER = r"electronic|e-commerce|digital|comercio electr"
CREDIT = ("Draft imported from ToTA (Texts of Trade Agreements, github.com/mappingtreaties/tota, "
          "CC BY-NC 4.0; Alschner, Seiermann and Skougarevskiy). Article texts are the ToTA XML "
          "text with whitespace joined; OCR errors in ToTA are kept.")

# The words that suggest a modality (docs/language.md, "Modalities"), longest first so that
# "shall not" is not also counted as "shall". English and Spanish, the languages of ToTA.
_MODALITY_WORDS: list[tuple[str, str]] = [
    (r"no party shall|shall not|shall neither", "must not"),
    (r"shall endeavou?r|shall strive|should|shall encourage|encourage|to the extent possible", "should"),
    (r"recogni[sz]e|affirm", "recognises"),
    (r"shall", "must"),
    (r"may", "may"),
    # Spanish treaties say "shall" with the future tense: "Cada Parte adoptará", "Ninguna Parte impondrá".
    (r"ninguna parte \w+rán?|no podrán?|no deberán?", "must not"),
    (r"cada parte (?:procurará|se esforzará|alentará|fomentará)", "should"),
    (r"cada parte podrá", "may"),
    (r"cada parte \w+rá", "must"),
    (r"procurará|procurarán|se esforzará|se esforzarán|alentará|alentarán|fomentarán?", "should"),
    (r"reconocen?|reconoce", "recognises"),
    (r"deberá|deberán|adoptará|adoptarán|mantendrá|mantendrán", "must"),
    (r"podrá|podrán", "may"),
]
_MODALITY_RE = re.compile(r"\b(" + "|".join(f"(?:{w})" for w, _ in _MODALITY_WORDS) + r")\b", re.IGNORECASE)
_MODALITY_OF = [(re.compile(rf"^(?:{w})$", re.IGNORECASE), m) for w, m in _MODALITY_WORDS]

# Topic suggested from the article's title; a lawyer confirms it. Left out when none fits
# (a skeleton without a norm may wait for its topic: docs/language.md).
_TOPIC_WORDS: list[tuple[str, str]] = [
    (r"customs dut|derechos aduaner", "customs_duties.electronic_transmissions"),
    (r"non-?discriminat|digital products|productos digitales", "nondiscrimination.digital_products"),
    (r"authentica|signature|certificat|firma|autenticaci", "e_authentication.signatures"),
    (r"consumer|consumidor", "consumer_protection.online"),
    (r"personal|data protection|privacy|protección de (?:la información|datos)", "personal_information.protection_framework"),
    (r"paperless|sin papel", "paperless_trading"),
    (r"cross-border (?:transfer|information|flow)|transfronteriz", "data_flows.cross_border_transfer"),
    (r"location of computing|computing facilities|instalaciones informáticas", "localisation.computing_facilities"),
    (r"unsolicited|spam|no solicitad", "spam.unsolicited_messages"),
    (r"source code|código fuente", "source_code.disclosure"),
    (r"cyber|ciberseguridad", "cybersecurity.cooperation"),
    (r"access to and use of the internet|internet access|acceso a(?:l)? internet", "internet.open_access"),
    (r"interconnection|interconexión", "internet.interconnection"),
    (r"transparen", "transparency"),
    (r"dispute|controversias", "dispute_settlement"),
    (r"exception|excepcion", "exceptions.general"),
    (r"electronic transactions|domestic (?:legal|regulatory)|regulatory framework|marco (?:jurídico|regulatorio)",
     "e_transactions.framework"),
    (r"cooperat|cooperación", "cooperation.general"),
]

_ARTICLE_WORD = re.compile(r"^\s*(?:article|artículo|articulo|art\.)\s*", re.IGNORECASE)
_REF_RE = re.compile(r"^\d[A-Za-z0-9_]*(\.[A-Za-z0-9_][A-Za-z0-9_-]*)*$")


class ImportProblem(UserError):
    """The XML cannot be turned into a draft: unreadable, no such chapter, unknown country."""


@dataclass
class Draft:
    rule_file: RuleFile
    chapter: str  # "CHAPTER 12 Electronic Commerce", for messages
    text: str = ""


def join_ws(text: str | None) -> str:
    """The text on one line: the language's strings cannot hold line breaks."""
    return " ".join((text or "").split())


def suggest_modalities(text: str) -> list[tuple[str, str, int]]:
    """(modality, word as written, count) for each modality word, in order of first use."""
    found: dict[tuple[str, str], int] = {}
    for m in _MODALITY_RE.finditer(text):
        word = m.group(1).lower()
        modality = next(mod for rx, mod in _MODALITY_OF if rx.match(word))
        found[(modality, word)] = found.get((modality, word), 0) + 1
    return [(mod, word, n) for (mod, word), n in found.items()]


def suggest_topic(title: str) -> str | None:
    for words, topic in _TOPIC_WORDS:
        if re.search(words, title, re.IGNORECASE):
            return topic
    return None


def _date(meta: ET.Element, tag: str) -> dt.date | None:
    value = (meta.findtext(tag) or "").strip()
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def regime_id_for(name: str | None, treaty_identifier: str) -> str:
    """An upper-case regime id from an output file name (chafta.dtr -> CHAFTA), else TOTA_<n>."""
    if name:
        rid = re.sub(r"[^A-Za-z0-9_]+", "_", Path(name).stem).strip("_").upper()
        if rid and rid[0].isalpha():
            return rid
    return f"TOTA_{treaty_identifier or 'UNKNOWN'}"


def _parties(meta: ET.Element, path: str) -> list[Party]:
    import pycountry

    codes = [(p.text or "").strip() for p in meta.findall("parties/partyisocode")]
    parties, unknown = [], []
    for code in codes:
        country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
        if country is None:
            unknown.append(code or "(empty)")
        elif country.alpha_2 not in {p.country for p in parties}:
            parties.append(Party(country=country.alpha_2))
    if unknown:
        raise ImportProblem(f"{path}: <meta><parties> holds code(s) that are not ISO 3166-1 alpha-3: "
                            f"{', '.join(unknown)}",
                            "correct the <partyisocode> in a copy of the file, or encode the regime by hand")
    if not parties:
        raise ImportProblem(f"{path}: <meta><parties> lists no party",
                            "a trade agreement needs its parties; add <partyisocode> elements or encode by hand")
    return parties


def _chapter(body: ET.Element, pattern: str, path: str) -> ET.Element:
    try:
        rx = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ImportProblem(f"--chapter `{pattern}` is not a valid pattern: {exc}",
                            "give a regular expression, e.g. --chapter 'electronic commerce'") from None
    chapters = body.findall("chapter")
    for ch in chapters:
        if rx.search(ch.get("name", "")) or rx.search(ch.get("number", "")):
            return ch
    names = "; ".join(f"{ch.get('number', '')} {ch.get('name', '')}".strip() for ch in chapters[:25])
    raise ImportProblem(f"{path}: no chapter whose number or name matches `{pattern}`",
                        f"the chapters are: {names or '(none)'}; pass --chapter PATTERN")


def _article_ref(number: str | None, position: int, used: set[str]) -> tuple[str, str | None]:
    """The citation for a ToTA article number, and a note when it had to be adapted."""
    raw = _ARTICLE_WORD.sub("", number or "").strip().rstrip(".")
    ref, note = raw, None
    if not _REF_RE.match(ref):
        ref = re.sub(r"[^A-Za-z0-9_.]+", ".", raw).strip(".")
        if not _REF_RE.match(ref):
            ref = str(position)
        note = (f"ToTA numbers this article `{number}`; cited here as {ref}." if number
                else f"ToTA gives this article no number; cited here by its position ({ref}).")
    if ref in used:
        base, i = ref, 2
        while f"{base}_{i}" in used:
            i += 1
        ref = f"{base}_{i}"
        note = f"ToTA numbers this article `{number}` like an earlier one; cited here as {ref}."
    used.add(ref)
    return ref, note


def _provision_note(text: str, topic: str | None, ref_note: str | None) -> str:
    found = suggest_modalities(text)
    if found:
        words = "; ".join(f"{mod} (\u201c{word}\u201d \u00d7{n})" for mod, word, n in found)
        suggestion = f"Suggested from the words, in order: {words}."
    else:
        suggestion = "No modality word (shall, may, recognise, ...) was found in the text."
    topic_note = ("No topic could be suggested from the title: choose one." if topic is None
                  else f"Topic suggested from the title: {topic}.")
    parts = ["Imported draft: modality, action and object must be encoded by a lawyer, and the article "
             "split into one provision per norm.", suggestion, topic_note]
    if ref_note:
        parts.append(ref_note)
    return " ".join(parts)


def build(root: ET.Element, path: str, *, chapter: str = DEFAULT_CHAPTER, regime_id: str) -> Draft:
    meta, body = root.find("meta"), root.find("body")
    if meta is None or body is None:
        raise ImportProblem(f"{path}: not a ToTA treaty file (no <meta> and <body> under <{root.tag}>)",
                            "give one of the xml/pta_N.xml files of the ToTA corpus")
    ident = (meta.findtext("treaty_identifier") or "").strip()
    notes = [CREDIT]
    signed, in_force = _date(meta, "date_signed"), _date(meta, "date_into_force")
    if signed and in_force and in_force < signed:
        notes.append(f"ToTA gives entry into force {in_force} before signature {signed}; in_force left "
                     "out until checked against the official text.")
        in_force = None
    if signed is None:
        notes.append("ToTA gives no date of signature.")
    if in_force is None and not (meta.findtext("date_into_force") or "").strip():
        notes.append("ToTA gives no date of entry into force.")
    official = [join_ws(s.text) for s in meta.findall("source") if join_ws(s.text)]
    if official:
        notes.append("Official text per ToTA: " + " ; ".join(official))
    # ToTA's <language> is the language of the text it holds (some agreements only in Spanish):
    # the draft says so, so that E050 asks for English beside each quote once it is verified.
    language = (meta.findtext("language") or "").strip().lower()
    if not re.fullmatch(r"[a-z]{2}", language):
        language = "en"
    regime = Regime(id=regime_id, title=join_ws(meta.findtext("name")) or f"ToTA treaty {ident}",
                    kind="trade_agreement", parties=_parties(meta, path), signed=signed, in_force=in_force,
                    language=language,
                    source=f"ToTA xml/{Path(path).name} (treaty_identifier {ident}, WTO RTA id "
                           f"{join_ws(meta.findtext('wto_rta_id')) or 'unknown'})",
                    note=" ".join(notes))
    ch = _chapter(body, chapter, path)
    articles, used = [], set()
    for i, el in enumerate(ch.findall("article"), start=1):
        text = join_ws("".join(el.itertext()))
        ref, ref_note = _article_ref(el.get("number"), i, used)
        title = join_ws(el.get("name")) or None
        topic = suggest_topic(title or "")
        prov = Provision(ref=ref, topics=[topic] if topic else [], quote=text or None, status="unverified",
                         note=_provision_note(text, topic, ref_note))
        articles.append(Article(ref=ref, title=title, provisions=[prov]))
    if not articles:
        raise ImportProblem(f"{path}: chapter `{ch.get('number', '')} {ch.get('name', '')}` holds no <article>",
                            "pick another chapter with --chapter PATTERN")
    rf = RuleFile(path=path, regime=regime, articles=articles)
    return Draft(rule_file=rf, chapter=join_ws(f"{ch.get('number', '')} {ch.get('name', '')}"))


def _excerpt(path: Path, line: int, col: int) -> str:
    """The offending source line with a caret under the column (expat counts columns from 0)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            text = next((t for i, t in enumerate(fh, start=1) if i == line), "")
    except OSError:
        return ""
    text = text.rstrip("\n").expandtabs(1)
    if not text.strip() or len(text) > 300:
        return ""
    return f"\n  {line:>5} | {text}\n        | {' ' * col}^"


def import_file(path: str | Path, *, chapter: str = DEFAULT_CHAPTER, regime_id: str | None = None,
                output_name: str | None = None) -> Draft:
    """Read a ToTA XML file and return the draft, its text formatted and re-parsed."""
    from ..fmt import format_file
    from ..parse import parse_text

    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError:
        raise ImportProblem(f"{path}: no such file", "give the path of a ToTA xml/pta_N.xml file") from None
    except ET.ParseError as exc:
        line, col = exc.position
        reason = re.sub(r": line \d+, column \d+$", "", str(exc))
        raise ImportProblem(f"{path}:{line}:{col + 1}: not well-formed XML ({reason})" + _excerpt(path, line, col),
                            "the file must be a ToTA XML file as published; was it truncated or edited?") from None
    except OSError as exc:
        raise ImportProblem(f"{path}: cannot be read ({exc.strerror})") from None
    if regime_id is not None and not re.fullmatch(r"[A-Z][A-Z0-9_]*", regime_id):
        raise ImportProblem(f"--id `{regime_id}` is not a regime id",
                            "regime ids are upper case letters, digits and _, starting with a letter (CHAFTA)")
    ident = (root.findtext("meta/treaty_identifier") or "").strip()
    rid = regime_id or regime_id_for(output_name, ident)
    draft = build(root, str(path), chapter=chapter, regime_id=rid)
    text = format_file(draft.rule_file)
    parse_text(text, output_name or "<draft>")  # a draft that does not parse is a bug here, not the user's
    draft.text = text
    return draft
