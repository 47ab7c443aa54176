"""Regenerate the expected output of the golden tests: `make goldens` (python -m tests.goldens).

Review the result with `git diff tests/fixtures` before committing: a golden file is a
promise about what a lawyer sees.
"""
from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from comparator.cli import app
from comparator.errors import CODES, EXPLANATIONS

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path("tests/fixtures")


def check_output(path: Path) -> tuple[int, str]:
    """What `dtrc check PATH` prints (stdout and stderr together) and its exit code, run from the repo root."""
    result = CliRunner().invoke(app, ["check", str(path)])
    return result.exit_code, result.output


def format_output(path: Path) -> str:
    result = CliRunner().invoke(app, ["fmt", "-"], input=path.read_text(encoding="utf-8"))
    return result.stdout


def expected_check(path: Path) -> str:
    code, output = check_output(path)
    return f"exit {code}\n{output}"


ERRORS_DOC_HEAD = """# Error codes

Every problem `dtrc check` (and `fmt`, `load`) reports has a stable code. A message reads

```
path:line:column: error[E0xx]: what is wrong
  line | the source line
       |       ^^^^ the spot
  hint: what to do about it
```

`dtrc check --format json` gives the same findings as data
(`code`, `severity`, `message`, `path`, `line`, `column`, `hint`, `related`).
Exit status: 0 no errors, 1 errors found, 2 usage or internal error.
Codes starting with `W` are warnings (`warning[W0xx]`): shown, but they do not fail the check.

This page is generated from the test fixtures (`make goldens`), so each example below is
exactly what the tool prints for the file shown.
"""


def errors_doc() -> str:
    """docs/errors.md: each code with its meaning, a bad file from tests/fixtures/bad and the message."""
    parts = [ERRORS_DOC_HEAD]
    for code, title in CODES.items():
        parts.append(f"## {code}: {title}\n\n{EXPLANATIONS[code]}\n")
        for bad in sorted((FIXTURES / "bad").glob(f"{code}_*.dtr")):
            source = bad.read_bytes().decode("utf-8", errors="replace")
            # A fixture of an over-long line (E006) is shown shortened, as the message shows it.
            source = "\n".join(line if len(line) <= 200 else f"{line[:60]}… ({len(line):,} characters in all)"
                                for line in source.split("\n"))
            _, output = check_output(bad)
            parts.append(f"`{bad.name}`:\n\n```\n{source.rstrip()}\n```\n\n```\n{output.rstrip()}\n```\n")
    return "\n".join(parts)


def _help(args: list[str]) -> str:
    # A fixed width and no colour make the help text the same on every machine.
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"},
                                prog_name="dtrc")
    return "\n".join(line.rstrip() for line in result.output.strip("\n").split("\n"))


def command_names() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    names = []
    for name, cmd in sorted(group.commands.items()):
        sub = getattr(cmd, "commands", None)
        if sub:
            names += [f"{name} {s}" for s in sorted(sub)]
        else:
            names.append(name)
    return names


def cli_doc() -> str:
    """docs/cli.md: the `--help` of every command, so the reference cannot fall behind the code."""
    parts = ["# Command-line reference\n",
             "Generated from `dtrc --help` by `make goldens`; a test fails when a command is missing here.\n",
             f"```\n{_help([])}\n```\n"]
    for name in command_names():
        parts.append(f"## dtrc {name}\n\n```\n{_help(name.split())}\n```\n")
    return "\n".join(parts)


# The coverage table is pinned to a date so that it changes only when the rules do.
COVERAGE_AS_OF = "2026-11-23"
COVERAGE_MARK = {"binding": "**B**", "best_endeavour": "E", "recognition": "R", "absent": "·", "not_encoded": "n/e"}


def coverage_doc() -> str:
    """docs/coverage.md: regime × topic, each cell the position the engine computes for it."""
    from comparator.compare import compare
    from comparator.validate import load_corpus

    corpus = load_corpus(["rules"])
    rule_files = {f.regime.id: f for f in corpus.files if f.regime}
    ids = sorted(rule_files, key=lambda r: (rule_files[r].regime.kind, r))
    comparison = compare(corpus, ids, as_of=COVERAGE_AS_OF)
    status_of = {f"{rid} {p.ref}": p.status for rid, f in rule_files.items() for p in f.provisions()}
    lines = [
        "# Coverage of the bundled corpus",
        "",
        f"Generated from `rules/` by `make goldens` with the comparison engine, as of {COVERAGE_AS_OF}; "
        "a test fails when it is out of date.",
        "",
        "**B** binding · E best endeavour · R recognition only (or permissions) · `·` absent · "
        "n/e not encoded (the instrument addresses the topic, or may, but the corpus does not encode "
        "its words: the regime says so, or the only provisions are unverified drafts). "
        "A `*` marks a position that rests only on provisions encoded from a paraphrase "
        "(`status: unverified`): check the instrument before relying on it.",
        "",
        "| regime | kind | parties / jurisdiction | provisions | unverified |",
        "|---|---|---|---:|---:|",
    ]
    for rid in ids:
        f = rule_files[rid]
        bound = ", ".join(p.country for p in f.regime.parties) or ", ".join(f.regime.jurisdiction)
        provs = f.provisions()
        lines.append(f"| {rid} | {f.regime.kind.replace('_', ' ')} | {bound} | {len(provs)} | "
                     f"{sum(p.status == 'unverified' for p in provs)} |")
    lines += ["", "| topic | " + " | ".join(ids) + " |", "|---|" + "---|" * len(ids)]
    for row in comparison.rows:
        cells = []
        for rid in ids:
            cell = row.cells[rid]
            mark = COVERAGE_MARK[cell.status]
            if cell.provisions and all(status_of.get(c) == "unverified" for c in cell.provisions):
                mark += "*"
            cells.append(mark)
        lines.append(f"| {row.topic} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


ACCESSION_GOLDEN = FIXTURES / "accession" / "cn_cptpp.json"
ACCESSION_ARGS = ["accession", "CN", "CPTPP", "--as-of", "2026-06-01", "--format", "json"]


def accession_json() -> str:
    """`dtrc accession CN CPTPP --as-of 2026-06-01 --format json` on the bundled rules (docs/accession.md)."""
    result = CliRunner().invoke(app, ACCESSION_ARGS)
    assert result.exit_code == 0, result.output
    return result.stdout


def main() -> None:
    os.chdir(ROOT)
    for bad in sorted((FIXTURES / "bad").glob("*.dtr")):
        bad.with_suffix(".expected").write_text(expected_check(bad), encoding="utf-8")
    for good in sorted((FIXTURES / "good").glob("*.dtr")):
        good.with_suffix(".formatted").write_text(format_output(good), encoding="utf-8")
    Path("docs/errors.md").write_text(errors_doc(), encoding="utf-8")
    Path("docs/cli.md").write_text(cli_doc(), encoding="utf-8")
    Path("docs/coverage.md").write_text(coverage_doc(), encoding="utf-8")
    ACCESSION_GOLDEN.write_text(accession_json(), encoding="utf-8")
    from tests.report.goldens_report import regenerate_report_goldens
    regenerate_report_goldens()
    from tests.compare.sentence_goldens import regenerate as regenerate_sentences
    regenerate_sentences()
    print("goldens regenerated; review with: git diff tests/fixtures")


if __name__ == "__main__":
    main()
