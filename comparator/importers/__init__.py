"""Importers: texts published by others -> draft rule files for a lawyer to finish.

Beside parse in the pipeline: an importer reads a foreign format (ToTA XML), builds the
same models parse builds (comparator.model) and prints them with comparator.fmt, so a
draft is canonical text that ``dtrc check`` and ``dtrc fmt --check`` accept as it is.
"""
