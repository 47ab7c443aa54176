"""Digital Trade Rules Comparator.

Pipeline: rules/*.dtr -> parse -> validate -> store -> compare -> report -> cli / ui.
The public entry points for scripts are re-exported here, imported on first use so that
`dtrc --version` (and any import of one submodule) does not pay for pydantic.
"""
from __future__ import annotations

__all__ = ["Corpus", "Diagnostic", "DtrError", "RuleFile", "__version__"]
__version__ = "0.1.0"

_LAZY = {"Diagnostic": "errors", "DtrError": "errors", "Corpus": "model", "RuleFile": "model"}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
