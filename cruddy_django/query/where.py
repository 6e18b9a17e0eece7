r"""fastapi-cruddy-framework's JSON ``where``: ``?where={"*or": {"name": {"*contains": "a"}, "code": "1"}}``.

    parse_where('{"age": {"*gte": 1, "*lt": 9}}')
    # And((Condition((PathStep("age"),), "ge", 1, ...), Condition((PathStep("age"),), "lt", 9, ...)))

Rules, and where they differ from cruddy (which drops what it does not understand; we refuse it):

- The top level is a JSON object or array; both mean AND; ``{}`` and ``[]`` are the empty filter.
- ``*and``/``*or``/``*not`` take an object (one alternative per key) or an array (one alternative per element,
  each element being the AND of its keys; cruddy flattens the elements' keys instead). ``*not`` negates the
  AND of everything under it (cruddy fails on two keys). Empty ones are refused.
- A bare value means equality (``null``: IS NULL). cruddy turns a bare string into LIKE; here ``%`` in a bare
  value is literal, use ``*like``. A bare array is refused as ambiguous: write ``*in`` or ``*eq``.
- ``{"*op": v, "*op2": w}``: every operator applies (ANDed); cruddy drops the whole field.
- Patterns of ``*like``/``*ilike``/``*notlike``/``*notilike``: ``%`` any run, ``_`` one character, ``\`` makes
  the next character literal.
- Keys: dotted paths (``crew.lead.name``, ``data.genre``): the compiler decides which steps are relations and
  which are JSON keys; a trailing ``.`` (``"favorites."``) means the same as none. An optional column cast
  follows ``:`` (``data:Text``, ``body:tsvector:english``); see ``COLUMN_CASTS``.
- Values: ``{"*datetime": ...}``/``{"*datetime_naive": ...}`` become ``Cast``; arrays and objects given to
  ``*eq``/``*neq``/``*contains``/``*contained_by`` are JSON documents, kept as decoded.
- ``*is``/``*isnot`` take ``null``, ``true`` or ``false``; ``*isnot true`` is ``Not(eq True)`` so NULLs match.
"""

from __future__ import annotations

import math
import re
from typing import Literal

from .errors import MalformedValue, QueryError, TooComplex, UnknownOperator, clip
from .limits import (
    DEFAULT_LIMITS,
    ClauseCounter,
    QueryLimits,
    check_items,
    check_json_depth,
    check_length,
    load_json,
)
from .tree import (
    Cast,
    Condition,
    Node,
    Not,
    Or,
    Path,
    Pattern,
    Wildcard,
    check_regex,
    conjunction,
    parse_path,
)

__all__ = ["COLUMN_CASTS", "VALUE_CASTS", "WHERE_OPERATORS", "parse_where"]


# fmt: off
WHERE_OPERATORS = {
    "*eq": "eq", "*neq": "ne", "*gt": "gt", "*gte": "ge", "*lt": "lt", "*lte": "le",
    "*in": "in", "*in_": "in", "*not_in": "nin", "*notin_": "nin",
    "*like": "like", "*ilike": "ilike", "*notlike": "nlike", "*not_like": "nlike",
    "*notilike": "nilike", "*not_ilike": "nilike",
    "*contains": "contains", "*icontains": "icontains", "*startswith": "startswith",
    "*istartswith": "istartswith", "*endswith": "endswith", "*iendswith": "iendswith",
    "*is": "is", "*is_": "is", "*isnot": "isnot", "*is_not": "isnot", "*between": "between",
    "*regexp_match": "regex", "*contained_by": "contained_by", "*has_key": "has_key",
    "*has_any": "has_any", "*has_all": "has_all", "*match": "match", "*websearch_to_tsquery": "websearch",
    "*overlap": "overlap", "*websearch": "websearch",
}
# fmt: on
COLUMN_CASTS = {name.lower(): name.lower() for name in ("Text", "Integer", "Float", "Date", "DateTime")}
_ALIASES = frozenset({"*in_", "*notin_", "*not_like", "*not_ilike", "*is_", "*is_not"})
VALUE_CASTS: dict[str, Literal["datetime", "datetime_naive"]] = {
    "*datetime": "datetime", "*datetime_naive": "datetime_naive"
}
_BOOLEANS = ("*and", "*or", "*not")
_REGCONFIG = re.compile(r"[a-z_]+")
_SCALAR = (str, int, float)
_TEXT_ONLY = frozenset({"like", "ilike", "nlike", "nilike", "regex", "has_key", "match", "websearch"})
_ORDERED = frozenset({"eq", "ne", "gt", "ge", "lt", "le"})


def parse_where(
    source: str | bytes | object, limits: QueryLimits = DEFAULT_LIMITS, param: str = "where"
) -> Node:
    """Parse ``where`` given as JSON text (query string) or as an already decoded object (GET body)."""
    if isinstance(source, bytes | bytearray):
        try:
            source = bytes(source).decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedValue(f"'{param}' is not UTF-8 text.", param=param, path=param) from None
    if isinstance(source, str):
        source = load_json(source, limits, param=param)
    else:
        check_json_depth(source, limits, param=param)
    return _Parser(limits, param).top(source)


def _too_deep(param: str, path: str | None = None) -> TooComplex:
    return TooComplex(f"'{param}' is nested too deeply (max_depth).", param=param, path=path or param)


class _Parser:
    def __init__(self, limits: QueryLimits, param: str) -> None:
        self.limits = limits
        self.param = param
        self.counter = ClauseCounter(limits)

    def error(self, message: str, at: str, kind: type[QueryError] = MalformedValue) -> QueryError:
        return kind(message, param=self.param, path=at)

    def top(self, data: object) -> Node:
        if isinstance(data, dict | list) and not data:
            return conjunction(())
        if not isinstance(data, dict | list):
            raise self.error(
                f'\'{self.param}\' must be a JSON object or array, like {{"name": "x"}}.', self.param
            )
        return conjunction(self.alternatives(data, 0, self.param))

    def alternatives(self, data: object, depth: int, at: str) -> list[Node]:
        """The nodes an object (one per key) or an array (one per element) stands for."""
        if depth > self.limits.max_depth:
            raise _too_deep(self.param, at)
        if isinstance(data, dict) and data:
            return [self.key(key, value, depth, at) for key, value in data.items()]
        if isinstance(data, list | tuple) and data:
            check_items(len(data), self.limits, param=self.param, path=at)
            return [self.element(item, depth, f"{at}[{i}]") for i, item in enumerate(data)]
        raise self.error(f"'{clip(at)}' must be a non-empty object or array of conditions.", at)

    def element(self, item: object, depth: int, at: str) -> Node:
        if not isinstance(item, dict | list | tuple):
            raise self.error(f"'{clip(at)}' must be an object or array of conditions, not {_kind(item)}.", at)
        return conjunction(self.alternatives(item, depth + 1, at))

    def key(self, key: object, value: object, depth: int, at: str) -> Node:
        if not isinstance(key, str):
            raise self.error(f"The keys under '{clip(at)}' must be strings.", at)
        here = f"{at}.{clip(key)}"
        if key in _BOOLEANS:
            children = self.alternatives(value, depth + 1, here)
            if key == "*or":
                return children[0] if len(children) == 1 else Or(tuple(children))
            node = conjunction(children)
            return Not(node) if key == "*not" else node
        if key.startswith("*"):
            raise self.error(
                f"Unknown key '{clip(key)}' at '{clip(at)}': use a field name or one of "
                f"{', '.join(_BOOLEANS)} (field operators such as '*eq' go inside a field: "
                '{"age": {"*gt": 3}}).',
                here,
                UnknownOperator,
            )
        return self.field(key, value, depth, here)

    def field(self, key: str, value: object, depth: int, at: str) -> Node:
        check_length(key, self.limits, param=self.param, path=at, what="key")
        path_text, _, cast_text = key.partition(":")
        if path_text.endswith(".") and len(path_text) > 1:
            path_text = path_text[:-1]
        path = parse_path(path_text, self.limits, param=self.param, path=at, markers=False, unmarked=None)
        cast, cast_args = self.column_cast(cast_text, at) if cast_text or ":" in key else (None, ())
        if isinstance(value, dict):
            if not value:
                raise self.error(f"'{clip(at)}' needs at least one operator, like {{\"*eq\": 1}}.", at)
            nodes = [
                self.operator(path, name, operand, cast, cast_args, depth, at)
                for name, operand in value.items()
            ]
            return conjunction(nodes)
        if isinstance(value, list | tuple):
            raise self.error(
                f"A bare array at '{clip(at)}' is ambiguous: write {{\"*in\": [...]}} for any of these "
                'values or {"*eq": [...]} to compare a JSON document.',
                at,
            )
        return self.operator(path, "*eq", value, cast, cast_args, depth, at, bare=True)

    def column_cast(self, text: str, at: str) -> tuple[str, tuple[str, ...]]:
        name, _, args = text.partition(":")
        if name.lower() == "tsvector":
            if args and not _REGCONFIG.fullmatch(args):
                raise self.error(
                    f"Invalid text search configuration '{clip(args)}' at '{clip(at)}': "
                    "use lowercase letters and '_', as in 'body:tsvector:english'.",
                    at,
                )
            return "tsvector", (args,) if args else ()
        if name.lower() not in COLUMN_CASTS or args:
            raise self.error(
                f"Unknown column cast '{clip(text)}' at '{clip(at)}': use one of Text, Integer, Float, Date, "
                "DateTime, or tsvector[:<config>].",
                at,
            )
        return COLUMN_CASTS[name.lower()], ()

    def operator(
        self, path: Path, name: object, operand: object, cast: str | None, cast_args: tuple[str, ...],
        depth: int, at: str, *, bare: bool = False,
    ) -> Node:  # fmt: skip
        here = at if bare else f"{at}.{clip(str(name))}"
        if not isinstance(name, str) or name not in WHERE_OPERATORS:
            hint = (
                ""
                if str(name).startswith("*")
                else " (operators start with '*'; compare a JSON object with *eq)"
            )
            raise self.error(
                f"Unknown operator '{clip(str(name))}' at '{clip(at)}'{hint}: use one of "
                f"{', '.join(name for name in WHERE_OPERATORS if name not in _ALIASES)}.",
                here,
                UnknownOperator,
            )
        operator = WHERE_OPERATORS[name]
        if cast == "tsvector" and operator not in ("match", "websearch"):
            raise self.error(
                f"A tsvector key at '{clip(at)}' takes only *match or *websearch_to_tsquery.", here
            )
        self.counter.add(param=self.param, path=here)
        negate = False
        if operator in ("is", "isnot"):
            if operand is not None and not isinstance(operand, bool):
                raise self.error(
                    f"'{name}' at '{clip(at)}' takes null, true or false, not {_kind(operand)}.", here
                )
            negate = operator == "isnot" and operand is not None
            operator = "eq" if operator == "is" or negate else "ne"
        if operand is None and operator in ("eq", "ne"):
            operator, operand = "null", operator == "eq"
        else:
            operand = self.value(operator, name, operand, depth, here)
        node = Condition(
            path, operator, operand, param=self.param, source=here, cast=cast, cast_args=cast_args
        )
        return Not(node) if negate else node

    def value(self, operator: str, name: str, operand: object, depth: int, at: str) -> object:
        if operand is None:
            raise self.error(f"'{name}' at '{clip(at)}' takes a value, not null.", at)
        if isinstance(operand, float) and not math.isfinite(operand):
            raise self.error(f"The number at '{clip(at)}' must be finite.", at)
        if operator in ("in", "nin", "between", "has_any", "has_all"):
            if not isinstance(operand, list | tuple):
                raise self.error(f"'{name}' at '{clip(at)}' takes an array, not {_kind(operand)}.", at)
            check_items(len(operand), self.limits, param=self.param, path=at)
            if operator == "between" and len(operand) != 2:
                raise self.error(
                    f"'*between' at '{clip(at)}' takes [low, high], not {len(operand)} items.", at
                )
            item_operator = "has_key" if operator.startswith("has_") else "ge"
            return tuple(
                self.value(item_operator, name, item, depth, f"{at}[{i}]") for i, item in enumerate(operand)
            )
        if isinstance(operand, dict) and len(operand) == 1 and next(iter(operand)) in VALUE_CASTS:
            if operator not in _ORDERED:
                raise self.error(f"'{name}' at '{clip(at)}' cannot take a *datetime value.", at)
            ((cast_name, raw),) = operand.items()
            if isinstance(raw, bool) or not isinstance(raw, _SCALAR):
                raise self.error(
                    f"'{cast_name}' at '{clip(at)}' takes an ISO date-time text or an epoch number.", at
                )
            return Cast(VALUE_CASTS[cast_name], raw)
        if operator in ("eq", "ne", "contains", "contained_by", "overlap"):
            return self.document(operand, depth, at)
        if operator in _TEXT_ONLY and not isinstance(operand, str):
            raise self.error(f"'{name}' at '{clip(at)}' takes a string, not {_kind(operand)}.", at)
        if isinstance(operand, bool) or not isinstance(operand, _SCALAR):
            raise self.error(
                f"'{name}' at '{clip(at)}' takes a string or a number, not {_kind(operand)}.", at
            )
        if isinstance(operand, str):  # always, for the text-only operators below (checked above)
            if operator == "regex":
                return check_regex(operand, param=self.param, path=at)
            if operator in ("like", "ilike", "nlike", "nilike"):
                return self.pattern(operand, at)
        return operand

    def document(self, operand: object, depth: int, at: str) -> object:
        """A JSON value compared as a whole; lists stay lists, objects stay dicts."""
        if isinstance(operand, dict):
            if len(operand) == 1 and str(next(iter(operand))).startswith("*"):
                raise self.error(
                    f"Unknown value cast '{clip(str(next(iter(operand))))}' at '{clip(at)}': use "
                    f"{' or '.join(VALUE_CASTS)}.",
                    at,
                    UnknownOperator,
                )
            if not all(isinstance(key, str) for key in operand):
                raise self.error(f"The keys of the object at '{clip(at)}' must be strings.", at)
        if depth > self.limits.max_depth:
            raise _too_deep(self.param, at)
        if isinstance(operand, dict):
            return {key: self.document(item, depth + 1, at) for key, item in operand.items()}
        if isinstance(operand, list | tuple):
            return [self.document(item, depth + 1, at) for item in operand]
        if isinstance(operand, float) and not math.isfinite(operand):
            raise self.error(f"The number at '{clip(at)}' must be finite.", at)
        if operand is not None and not isinstance(operand, str | int | float | bool):
            raise self.error(f"The value at '{clip(at)}' is not JSON.", at)
        return operand

    def pattern(self, text: str, at: str) -> Pattern:
        parts: list[str | Wildcard] = []
        escaped = False
        for char in text:
            if escaped:
                parts.append(char)
                escaped = False
            elif char == "\\":
                escaped = True
            else:
                parts.append(Wildcard.ANY if char == "%" else Wildcard.ONE if char == "_" else char)
        if escaped:
            raise self.error(
                f"The pattern at '{clip(at)}' ends with a lone '\\\\': double it for a backslash.", at
            )
        return Pattern.build(parts)


def _kind(value: object) -> str:
    names = {dict: "an object", list: "an array", tuple: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number" if isinstance(value, int | float) else type(value).__name__)
