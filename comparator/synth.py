"""A synthetic corpus for measuring the pipeline at scale (`dtrc synth`, benchmarks/).

Pipeline position: beside the rule files, before parse: it writes ``.dtr`` text that
``dtrc check`` accepts. It imports nothing of the pipeline but the bundled rules folder.

How a corpus is made: the bundled regimes are cloned, whole, under new ids
(``CPTPP_S0003``), in *batches*: one batch is one copy of every bundled regime. Each
batch maps every country and country group the bundled regimes name onto real ISO 3166
codes (pycountry), drawn at random for that batch, so the treaty/domestic-law shapes that
make the real corpus conflict (CPTPP and a party's data-protection law, the CLOUD Act
and GDPR) recur inside each batch, and batches that drew the same country meet too.
Provisions, quotes, vocabulary and structure are the bundled ones, so the share of
overlapping and conflicting provisions is the real corpus's. The vocabulary is copied
as is. Expectations are left out (they name the real regimes).

Density (``regimes_per_country``): by default every batch draws its countries from all
~250 codes, so a bigger corpus binds each country by more regimes (about 6 at 10k
provisions, 64 at 100k) and the conflicts found grow as the square of the corpus. Given
a density, the corpus draws from a pool of ``batches x bindings per batch / density``
codes instead (drawn once per corpus), so each country is bound by about that many
regimes at every size, and the conflicts per provision stay the same. Below 26 codes a
batch cannot give each of its 26 names a code of its own; it then colours them: two names
share a code only when no regime of the batch names both (one country plays, say, both
"MN" and "PA"), so no regime ever names one country twice.

Deterministic: the same ``n``, ``seed`` and density give byte-identical files.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

BUNDLED = Path(__file__).resolve().parent.parent / "rules"

_REGIME_RE = re.compile(r'^regime (\w+) "((?:[^"\\]|\\.)*)"', re.MULTILINE)
# A parties: or jurisdiction: field runs to the next field or the closing brace.
_PLACES_RE = re.compile(r"^(  (?:parties|jurisdiction):)(.*?)(?=^  \w+:|^\})", re.MULTILINE | re.DOTALL)
_PLACE_RE = re.compile(r"\b[A-Z][A-Z0-9_]*\b")
_PROVISION_RE = re.compile(r"^\s*provision\s", re.MULTILINE)


@dataclass(frozen=True)
class Template:
    name: str          # file stem, e.g. "cptpp"
    regime: str        # regime id, e.g. "CPTPP"
    text: str
    provisions: int
    places: tuple[str, ...]   # country codes and group names its parties/jurisdiction name


def templates(rules: Path = BUNDLED) -> list[Template]:
    """The bundled regime files, in a stable order."""
    out = []
    for path in sorted(rules.glob("*.dtr")):
        text = path.read_text(encoding="utf-8")
        m = _REGIME_RE.search(text)
        if not m:
            continue
        places = sorted({p for block in _PLACES_RE.finditer(text) for p in _PLACE_RE.findall(block.group(2))})
        out.append(Template(path.stem, m.group(1), text, len(_PROVISION_RE.findall(text)), tuple(places)))
    return out


def country_codes() -> list[str]:
    import pycountry

    return sorted(c.alpha_2 for c in pycountry.countries)


def _neighbours(temps: list[Template]) -> dict[str, set[str]]:
    """Name -> the names a regime names beside it (they must get different codes in a batch)."""
    out: dict[str, set[str]] = {p: set() for t in temps for p in t.places}
    for t in temps:
        for p in t.places:
            out[p].update(q for q in t.places if q != p)
    return out


def pool_size(n: int, regimes_per_country: float, temps: list[Template] | None = None) -> int:
    """How many country codes a corpus of ``n`` provisions draws from to hold the density.

    Each batch binds ``sum(len(t.places))`` (regime, name) pairs; over ``n / provisions per
    batch`` batches and a pool of P codes, a country is bound by ``batches x bindings / P``
    regimes on average. Clamped: at least one more code than any name has neighbours (so
    the colouring always succeeds), at most every real code.
    """
    temps = [t for t in (temps if temps is not None else templates()) if t.provisions]
    batches = n / sum(t.provisions for t in temps)
    bindings = sum(len(t.places) for t in temps)
    least = 1 + max(len(v) for v in _neighbours(temps).values())
    return max(least, min(len(country_codes()), round(batches * bindings / regimes_per_country)))


def _colour(names: list[str], neighbours: dict[str, set[str]], pool: list[str], rng: random.Random) -> dict[str, str]:
    """A code per name from ``pool``, different from its neighbours' codes (greedy, random order)."""
    order = list(names)
    rng.shuffle(order)
    places: dict[str, str] = {}
    for name in order:
        taken = {places[m] for m in neighbours[name] if m in places}
        places[name] = rng.choice([c for c in pool if c not in taken])
    return places


def _clone(t: Template, batch: int, places: dict[str, str], seed: int) -> tuple[str, str]:
    new_id = f"{t.regime}_S{batch:04d}"
    text = _REGIME_RE.sub(lambda m: f'regime {new_id} "{m.group(2)} (synthetic copy {batch})"', t.text, count=1)
    text = _PLACES_RE.sub(lambda m: m.group(1) + _PLACE_RE.sub(lambda p: places[p.group(0)], m.group(2)), text)
    header = (f"# Synthetic copy {batch} of rules/{t.name}.dtr, made by `dtrc synth` (seed {seed}) for\n"
              f"# benchmarks: its parties are drawn at random and it is no real instrument.\n")
    return new_id, header + text


def synthesize(n: int, seed: int = 0, rules: Path = BUNDLED,
               regimes_per_country: float | None = None) -> dict[str, str]:
    """Relative path -> text of a corpus of about ``n`` provisions (never more than one file over).

    ``regimes_per_country``: hold the density (see the module docstring); None draws every
    batch from all real codes.
    """
    temps = [t for t in templates(rules) if t.provisions]
    codes = country_codes()
    names = sorted({p for t in temps for p in t.places})
    rng = random.Random(seed)
    if regimes_per_country is not None:
        neighbours = _neighbours(temps)
        pool = sorted(rng.sample(codes, pool_size(n, regimes_per_country, temps)))
    files: dict[str, str] = {}
    for vocab in sorted((rules / "vocabulary").glob("*.dtr")):
        files[f"vocabulary/{vocab.name}"] = vocab.read_text(encoding="utf-8")
    total, batch = 0, 0
    while total < n:
        batch += 1
        # One country per name for the whole batch: a batch keeps the bundled corpus's shape.
        if regimes_per_country is None:
            places = dict(zip(names, rng.sample(codes, len(names))))
        else:
            places = _colour(names, neighbours, pool, rng)
        added = 0
        for t in temps:
            if total >= n:
                break
            # Stop where the corpus is nearest to n: a big file past n is left out.
            if total + t.provisions - n > n - total:
                continue
            new_id, text = _clone(t, batch, places, seed)
            files[f"regimes/b{batch:04d}/{new_id.lower()}.dtr"] = text
            total += t.provisions
            added += 1
        if not added:
            break
    return files


def write_corpus(n: int, outdir: str | Path, seed: int = 0,
                 regimes_per_country: float | None = None) -> tuple[int, int]:
    """Write the corpus under ``outdir``; (files, provisions) written."""
    outdir = Path(outdir)
    files = synthesize(n, seed, regimes_per_country=regimes_per_country)
    for rel, text in files.items():
        path = outdir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(files), sum(len(_PROVISION_RE.findall(t)) for rel, t in files.items() if rel.startswith("regimes/"))
