"""The package's shape: no import cycles, the engine free of the validator, each third-party
library behind its one layer, and no module too long to read (STYLE.md, issue 10).

Read from the source with ``ast`` (nothing is imported), so a lazy import inside a function
counts as much as one at the top: it is still a dependency, only a later one.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "comparator"
MAX_LINES = 450
ENGINE = ("comparator.overlap", "comparator.binding", "comparator.perspective", "comparator.compare",
          "comparator.checks", "comparator.expectations", "comparator.accession")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: dict[str, Path]) -> list[tuple[str, int]]:
    """(imported module, line) for every import in ``path``, relative ones resolved. ``from
    pkg import name`` counts as importing ``pkg.name`` when that is a module, else ``pkg``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.append((sub if sub in known else target, node.lineno))
    return out


def _graph() -> dict[str, set[str]]:
    """Internal import graph. A module importing its own package (``from . import app`` in a
    command module that the package's ``__init__`` imports to register it) is not an edge:
    the package re-exports or registers its parts, and the parts use what it defines first.
    Every other edge counts, including into a package, whose ``__init__`` runs its parts."""
    known = _modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for target, _ in _imports(name, path, known):
            if target in known and target != name and not name.startswith(target + "."):
                graph[name].add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def _importers(prefix: str) -> set[str]:
    """Files (relative to the repository) that import ``prefix`` or a module under it."""
    known = _modules()
    return {str(path.relative_to(PACKAGE.parent)) for name, path in known.items()
            for target, _ in _imports(name, path, known) if target == prefix or target.startswith(prefix + ".")}


def test_graph_sees_the_known_edges():
    # The walker must see lazy imports and resolve relative ones, or the checks below prove nothing.
    graph = _graph()
    assert "comparator.store" in graph["comparator.cli.options"]  # lazy, inside load()
    assert "comparator.vocabulary" in graph["comparator.overlap"]
    assert "comparator.store.schema" in graph["comparator.store.write"]
    assert "comparator.report.views" in graph["comparator.report"]
    assert "comparator.cli" not in graph["comparator.cli.compare"]  # its own package: not an edge


def test_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycles():
    assert _cycle(_graph()) is None


def test_engine_does_not_import_the_validator():
    graph = _graph()
    offenders = {name: sorted(t for t in targets if t == "comparator.validate")
                 for name, targets in graph.items() if name.startswith(ENGINE)}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_command_module_imports_another():
    graph = _graph()
    commands = {n for n in graph if n.startswith("comparator.cli.") and n != "comparator.cli.options"}
    assert {n: sorted(graph[n] & commands) for n in commands if graph[n] & commands} == {}


def test_third_party_libraries_stay_behind_their_layer():
    # Alembic's migration scripts (migrations/versions, env.py) use SQLAlchemy too: they are storage.
    assert {p for p in _importers("sqlalchemy")
            if not p.startswith(("comparator/store/", "comparator/migrations/"))} == set()
    assert _importers("lark") <= {"comparator/parse.py"}
    assert _importers("streamlit") == set()


def test_no_module_is_too_long():
    long = {str(p.relative_to(PACKAGE.parent)): n for p in PACKAGE.rglob("*.py")
            if "versions" not in p.relative_to(PACKAGE).parts
            and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
