"""Digital Trade Rules Comparator.

Pipeline: rules/*.dtr -> parse -> validate -> store -> compare -> report -> cli / ui.
The public entry points for scripts are re-exported here.
"""
from .errors import Diagnostic, DtrError
from .model import Corpus, RuleFile

__all__ = ["Corpus", "Diagnostic", "DtrError", "RuleFile", "__version__"]
__version__ = "0.1.0"
