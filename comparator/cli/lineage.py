"""`dtrc lineage`: where an article's text comes from (comparator.lineage).

Thin: loads the corpus like `dtrc compare` (``--rules`` folder or ``--db`` URL), calls
``lineage()`` and prints words (regime and article titles) or the JSON of ``to_dict()``.
"""
from __future__ import annotations

import json
from typing import Annotated

import typer

from . import EXIT_USAGE, app
from .options import DbOpt, FormatOpt, RulesOpt, check_text_or_json, load


@app.command()
def lineage(
    regime: Annotated[str, typer.Argument(help="Regime id, e.g. CPTPP.", show_default=False)],
    article: Annotated[str, typer.Argument(help="Article citation, e.g. 14.11.", show_default=False)],
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many similar articles to list.")] = 5,
    min_score: Annotated[float, typer.Option("--min-score", min=0.0, max=1.0,
                                             help="Least similarity (0-1) for an earlier article to count as the ancestor.")] = 0.2,
    format: FormatOpt = "text",
    rules: RulesOpt = None,
    db: DbOpt = None,
) -> None:
    """The articles of other regimes whose text is most like this one (word 3-grams), the earliest
    signed one among them, and a word diff against it. Uses the provisions' quotes."""
    from ..errors import UserError
    from ..lineage import diff_text, lineage as run_lineage

    check_text_or_json(format)
    corpus = load(rules, db)
    try:
        result = run_lineage(corpus, regime, article, top=top, min_score=min_score)
    except UserError as exc:
        typer.echo(exc.render(), err=True)
        raise typer.Exit(EXIT_USAGE) from None
    if format == "json":
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    a = result.article
    typer.echo(f"{a.regime_title}, Article {a.article}" + (f" \u201c{a.article_title}\u201d" if a.article_title else "")
               + (f" (signed {a.signed})" if a.signed else "") + f": {result.text_words} words quoted")
    if not result.matches:
        typer.echo("No article elsewhere in the corpus shares a run of three words with it.")
    else:
        typer.echo("Most similar articles elsewhere (share of word triples in common):")
        for m in result.matches:
            t = m.article
            typer.echo(f"  {m.score:6.1%}  {t.regime_title}, Article {t.article}"
                       + (f" \u201c{t.article_title}\u201d" if t.article_title else "")
                       + (f", signed {t.signed}" if t.signed else ", no signature date"))
    if result.ancestor is None:
        typer.echo(f"Earliest signed ancestor: none ({result.ancestor_note}).")
        return
    t = result.ancestor.article
    typer.echo(f"Earliest signed ancestor: {t.regime_title}, Article {t.article}"
               + (f" \u201c{t.article_title}\u201d" if t.article_title else "")
               + f", signed {t.signed} ({result.ancestor.score:.0%} alike).")
    if all(op.op == "equal" for op in result.diff):
        typer.echo("The words are the same as in that text.")
        return
    typer.echo("Changes from that text ([-removed-] {+added+}):")
    typer.echo("  " + diff_text(result.diff))
