"""Size limits every query parser enforces, so a client cannot make the server work without bound.

    limits = QueryLimits(max_clauses=20)
    parse_where(text, limits)                            # TooComplex beyond 20 conditions
    parse_sort(["a,b,c"], QueryLimits(max_sort_keys=2))  # TooComplex

Each parser takes ``limits`` (default ``DEFAULT_LIMITS``); a breach raises ``TooComplex``.
``load_json`` decodes client JSON (a ``where`` text, or a GET body) without ever raising ``RecursionError``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import MalformedValue, TooComplex, clip

__all__ = ["DEFAULT_LIMITS", "ClauseCounter", "QueryLimits", "check_items", "check_json_depth", "check_length",
    "first_nul", "load_json"]



@dataclass(frozen=True, slots=True)
class QueryLimits:
    """Bounds on one request's query; the defaults suit a public API."""

    #: nesting of ``*and``/``*or``/``*not`` (and of JSON documents used as values) in ``where``
    max_depth: int = 10
    #: conditions (leaves) in one parsed tree
    max_clauses: int = 100
    #: items in one ``in``/``nin``/``has_any``/``has_all`` list
    max_in_items: int = 500
    #: keys in one sort specification
    max_sort_keys: int = 8
    #: segments in one dotted path (``crew.lead.name`` has 3)
    max_path_length: int = 8
    #: characters in one parameter key or value (the whole JSON text for ``where``)
    max_param_length: int = 8192

    @property
    def max_json_depth(self) -> int:
        """Bracket nesting allowed in JSON input: room for ``max_depth`` levels of ``*and``/``*or`` (each an
        object and an array), a field's operator object and a JSON document value."""
        return 4 * self.max_depth + 4


DEFAULT_LIMITS = QueryLimits()


def check_length(text: str, limits: QueryLimits, *, param: str, path: str | None = None, what: str) -> None:
    """Refuse a key or value longer than ``max_param_length`` before any parsing work."""
    if len(text) > limits.max_param_length:
        raise TooComplex(
            f"The {what} of '{clip(param)}' is {len(text)} characters long; "
            f"at most {limits.max_param_length} are allowed (max_param_length).",
            param=param,
            path=path,
        )


class ClauseCounter:
    """Counts conditions as a parser emits them and stops at ``max_clauses``."""

    __slots__ = ("count", "limits")

    def __init__(self, limits: QueryLimits) -> None:
        self.limits = limits
        self.count = 0

    def add(self, *, param: str, path: str | None) -> None:
        self.count += 1
        if self.count > self.limits.max_clauses:
            raise TooComplex(
                f"The query has more than {self.limits.max_clauses} conditions (max_clauses).", param=param, path=path
            )


def check_items(count: int, limits: QueryLimits, *, param: str, path: str | None) -> None:
    """Refuse a list value with more than ``max_in_items`` items."""
    if count > limits.max_in_items:
        raise TooComplex(
            f"The list at '{clip(path or param)}' has {count} items; "
            f"at most {limits.max_in_items} are allowed (max_in_items).",
            param=param,
            path=path,
        )


def load_json(text: str, limits: QueryLimits, *, param: str) -> Any:
    """Decode client JSON: too deep (``max_json_depth``) or too long input, invalid JSON, NaN/Infinity and
    repeated keys raise a ``QueryError`` (json.loads would recurse without bound and keep the last key)."""
    check_length(text, limits, param=param, path=param, what="value")
    depth = 0
    in_string = escaped = False
    for char in text:  # count brackets outside strings before json.loads recurses into them
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limits.max_json_depth:
                raise _too_deep(param)
        elif char in "]}":
            depth -= 1
    try:
        value = json.loads(text, object_pairs_hook=_unique_pairs, parse_constant=_reject_constant)
    except _Duplicate as duplicate:
        message = f"'{param}' repeats the key '{clip(str(duplicate))}'; each key may appear once."
        raise MalformedValue(message, param=param, path=param) from None
    except RecursionError:
        raise _too_deep(param) from None
    except ValueError as error:  # JSONDecodeError, and ints beyond Python's digit limit
        message = f"'{param}' is not valid JSON: {clip(str(error), 120)}."
        raise MalformedValue(message, param=param, path=param) from None
    where = first_nul(value) if "\\u0000" in text.lower() else None
    if where is not None:
        at = f" at '{clip(where)}'" if where else ""
        message = f"'{param}' contains a NUL character (\\u0000){at}, which no field can hold."
        raise MalformedValue(message, param=param, path=param)
    return value


def first_nul(value: Any, path: str = "") -> str | None:
    """The path (``payload[2].name``) of the first string or key holding a NUL character in decoded JSON, else
    None: no database column holds one, so every reader of client JSON refuses it."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return where
        elif isinstance(item, Mapping):
            for key, child in item.items():
                key_path = f"{where}.{key}" if where else str(key)
                if isinstance(key, str) and "\x00" in key:
                    return key_path
                stack.append((child, key_path))
        elif isinstance(item, list | tuple):
            stack.extend((child, f"{where}[{index}]") for index, child in reversed(list(enumerate(item))))
    return None


def check_json_depth(value: object, limits: QueryLimits, *, param: str) -> None:
    """Refuse an already decoded object nested beyond ``max_json_depth``, without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list | tuple):
            if depth > limits.max_json_depth:
                raise _too_deep(param)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))


def _too_deep(param: str) -> TooComplex:
    return TooComplex(f"'{param}' is nested too deeply (max_depth).", param=param, path=param)


class _Duplicate(Exception):
    pass


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Duplicate(key)
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
