"""The original words and the English beside them, labelled for a reader.

Sits beside the model (it reads only model objects): report, the CLI and the UI call it so that
every output labels a translation and a gloss the same way. A translation is "Unofficial
translation — SOURCE" unless English is an authentic language of the instrument; a gloss is
always "English summary by the encoder (not a translation)", never called a translation.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Literal

from .model import english_beside

GLOSS_LABEL = "English summary by the encoder (not a translation)"

# Language names for labels; a code not listed is shown as the code itself.
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese", "es": "Spanish", "fr": "French", "pt": "Portuguese",
                  "de": "German", "ja": "Japanese", "ko": "Korean", "vi": "Vietnamese", "id": "Indonesian",
                  "ms": "Malay", "th": "Thai", "ar": "Arabic", "ru": "Russian"}


def language_name(code: str) -> str:
    """``zh`` -> ``Chinese``; a code not listed is shown as itself."""
    return LANGUAGE_NAMES.get(code, code)


@dataclass(frozen=True)
class Quoted:
    """A quote and, when it is not in English, the English beside it."""

    original: str
    language: str                # ISO 639-1 code of ``original``
    english: str | None = None   # the translation or the gloss
    kind: Literal["translation", "gloss"] | None = None
    label: str | None = None     # what the English is, for the reader

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def original_label(self) -> str:
        return f"Original ({self.language_name})"


def translation_label(source: str | None, authentic: bool) -> str:
    if authentic:
        return "Authentic English text" + (f" — {source}" if source else "")
    if not source:
        return "Unofficial translation"
    # Sources are written "unofficial translation, SITE"; the label says "unofficial" once.
    lowered = source.lower()
    for prefix in ("unofficial translation, ", "unofficial translation — ", "unofficial translation: ", "unofficial, "):
        if lowered.startswith(prefix):
            source = source[len(prefix):]
            break
    return f"Unofficial translation — {source}"


def quoted(result) -> Quoted | None:
    """From a Cell or ConflictSide, or their JSON dict (``quote``, ``quote_language``, ``translation``, ...)."""
    get = result.get if isinstance(result, dict) else lambda name: getattr(result, name, None)
    quote = get("quote")
    if not quote:
        return None
    language = get("quote_language") or "en"
    if get("translation"):
        return Quoted(quote, language, get("translation"), "translation",
                      translation_label(get("translation_source"), bool(get("translation_authentic"))))
    if get("gloss"):
        return Quoted(quote, language, get("gloss"), "gloss", GLOSS_LABEL)
    return Quoted(quote, language)


def quoted_node(node, regime) -> Quoted | None:
    """From a Provision, Exception or Definition of ``regime``."""
    fields = english_beside(node, regime)
    # The same shape as a Cell, so both routes label alike.
    return quoted(SimpleNamespace(quote=node.quote, **fields)) if fields else None

