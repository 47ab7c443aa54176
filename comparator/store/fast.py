"""Building many pydantic models fast, for the storage stage's bulk read.

Part of the storage stage (parse -> validate -> **store** -> compare -> report/ui): used by
:mod:`comparator.store.assemble`, which turns the rows of the 10k-provision corpus into
about 50,000 models. Measured on a Provision: ``model_construct`` 4.4 us, the validated
``__init__`` 3.5 us, :func:`trusted` under 1 us. With the collector left on, the read of the
10k corpus took 0.92 s of CPU instead of 0.23 s under :func:`comparator.collector.long_lived` (another corpus
alive in the process, as in the app: each full collection walks both).
"""
from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
_set = object.__setattr__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
_FIELDS: dict[type, frozenset[str]] = {}  # a class's field names, once a call gave them all


def trusted(cls: type[M], values: dict) -> M:
    """A model of ``cls`` holding ``values`` as they are, without validation.

    Only for values this program wrote itself into typed columns (the store's own rows):
    the result equals ``cls(**values)`` (tests/store/test_assemble.py) at a fraction of the
    cost of validating or of ``model_construct`` (which walks every field and its default
    on every call). ``values`` becomes the model's ``__dict__``: hand over a fresh dict.
    Fields left out get their defaults, copied as pydantic copies them; a name that is not
    a field is refused. Once a call has named every field of a class, a dict of as many
    keys is taken to name them all (the bulk read names every field in every call).
    """
    fields = _FIELDS.get(cls)
    if fields is None or len(values) != len(fields):
        values, fields = _complete(cls, values)
    obj = _new(cls)
    _set(obj, "__dict__", values)
    _set_fields_set(obj, set(fields))
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


def _complete(cls: type[BaseModel], values: dict) -> tuple[dict, frozenset[str]]:
    fields = cls.model_fields
    unknown = set(values) - set(fields)
    if unknown:
        raise TypeError(f"{cls.__name__} has no field(s) {', '.join(sorted(unknown))}")
    missing = [name for name in fields if name not in values]
    required = [name for name in missing if fields[name].is_required()]
    if required:
        raise TypeError(f"{cls.__name__} needs {', '.join(required)}")
    if not missing:
        _FIELDS[cls] = frozenset(fields)
        return values, _FIELDS[cls]
    return {**values, **{name: fields[name].get_default(call_default_factory=True) for name in missing}}, frozenset(values)


