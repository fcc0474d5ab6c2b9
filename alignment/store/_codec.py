"""The frozen dataclasses of :mod:`alignment.schema` to JSON and back, for the store's text columns.

:func:`dump` turns a dataclass (nested dataclasses, tuples, ``X | None``) into compact JSON;
:func:`load` rebuilds it from the class's type hints, so a field added later with a default still
loads from rows written before it existed, and an unknown key (a field since removed) is ignored.
"""
from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import lru_cache
from typing import Any, TypeVar

T = TypeVar("T")


def to_plain(value: Any) -> Any:
    """``value`` as JSON-ready data: dataclasses become dicts, tuples lists, numpy scalars numbers."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalar
        return value.item()
    return value


def dump(value: Any) -> str:
    """Compact JSON of a dataclass (or plain data), Chinese kept as-is."""
    return json.dumps(to_plain(value), ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_plain(tp: Any, data: Any) -> Any:
    """Rebuild a value of type ``tp`` (a dataclass, tuple type, optional, literal or scalar) from ``data``."""
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return from_plain(options[0], data) if len(options) == 1 else data
    if origin is typing.Literal:
        return data
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_plain(args[0], v) for v in data)
        return tuple(from_plain(a, v) for a, v in zip(args, data))
    if origin in (list, dict):
        return data
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {f.name: from_plain(hints[f.name], data[f.name]) for f in dataclasses.fields(tp) if f.name in data}
        return tp(**kwargs)
    if tp is float:
        return float(data)
    return data


def load(cls: type[T], text: str) -> T:
    """The ``cls`` instance :func:`dump` wrote as ``text``."""
    return typing.cast(T, from_plain(cls, json.loads(text)))
