r"""Plateforme's dotted filter dialect: ``?.path=op~value`` in the query string, or ``{"filter": {...}}``.

    parse_dotted([(".astronauts*.id", "ge~1;le~15")])
    # Group(path=(PathStep("astronauts", True),),
    #       node=And((Condition((PathStep("id", False),), "ge", "1", ...), Condition(..., "le", "15", ...))))

Grammar of one parameter ``.<path>=<criterion>``:

- ``<path>``: names joined by ``.``; a trailing ``*`` marks a to-many hop (``astronauts*.id``); unmarked steps
  get ``to_many=False`` (Plateforme requires the mark; the compiler may accept its absence).
- ``<criterion>``: conditions joined by ``;``, all on the same path. When the path crosses a to-many hop, the
  conditions of ONE parameter must hold for the SAME related row: they become one ``Group``. Separate
  parameters (and a repeated key) are independent conditions ANDed together.
- a condition is ``op~value`` or just ``value`` (``eq``). Operators: ``eq ne gt ge lt le like nlike ilike
  nilike in nin null``, and for PostgreSQL columns ``contains contained_by overlap has_key match websearch``.
  Only the first ``~`` separates; an unknown name before it is an error, so a value holding ``~`` needs an
  explicit ``eq~`` or an escaped ``\~``.
- ``,`` separates the items of ``in``/``nin``/``contained_by``/``overlap`` (one item is fine) and of a
  ``contains`` with several; other operators take one value.
- in ``like``/``nlike``/``ilike``/``nilike``, ``*`` is the wildcard; ``%`` and ``_`` match themselves.
- a value starting with ``$`` names another column of the root resource (``.code=ne~$name``): ``FieldRef``.
  Allowed with ``eq ne gt ge lt le in nin``.
- ``null~true`` / ``null~false``: IS NULL / IS NOT NULL.
- escaping (Plateforme has none): a backslash makes the next character literal, so ``\,`` ``\;`` ``\*``
  ``\$`` ``\~`` ``\\`` write a comma, semicolon, star, leading dollar, tilde and backslash. A lone trailing
  backslash is an error. Values are otherwise verbatim (spaces included) and stay strings: the compiler
  converts them with the field's type.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .errors import MalformedValue, UnknownOperator, clip
from .limits import (
    DEFAULT_LIMITS,
    ClauseCounter,
    QueryLimits,
    check_items,
    check_length,
)
from .tree import (
    LIKE_OPERATORS,
    Condition,
    FieldRef,
    Group,
    Node,
    Path,
    Pattern,
    Wildcard,
    conjunction,
    parse_path,
)

__all__ = ["DOTTED_OPERATORS", "parse_dotted", "parse_dotted_body", "split_list"]


DOTTED_OPERATORS = (
    "eq",
    "ne",
    "gt",
    "ge",
    "lt",
    "le",
    "like",
    "nlike",
    "ilike",
    "nilike",
    "in",
    "nin",
    "null",
    # ours, for PostgreSQL columns: arrays and ranges (items joined by ','), hstore, full-text search
    "contains",
    "contained_by",
    "overlap",
    "has_key",
    "match",
    "websearch",
)
_LIST_OPERATORS = frozenset({"in", "nin", "contained_by", "overlap"})
# A list when the value has several items (an array or a range), else one value (text, JSON).
_MAYBE_LIST_OPERATORS = frozenset({"contains"})
_REFERENCE_OPERATORS = frozenset({"eq", "ne", "gt", "ge", "lt", "le", "in", "nin"})
_OPERATOR_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")

# A value is scanned into (character, escaped) pairs so that splitting and wildcards see only unescaped marks.
Chars = list[tuple[str, bool]]


def parse_dotted(params: Iterable[tuple[str, str]], limits: QueryLimits = DEFAULT_LIMITS) -> Node:
    """Parse query-string pairs whose key starts with ``.``; repeated keys are ANDed."""
    counter = ClauseCounter(limits)
    nodes = []
    for key, value in params:
        check_length(key, limits, param=key, what="name")
        if not key.startswith("."):
            raise MalformedValue(
                f"'{clip(key)}' is not a dotted filter: its name must start with '.', as in '.code=like~*2'.",
                param=key,
            )
        nodes.append(_parse_criterion(key[1:], value, limits, counter, param=key, where=key))
    return conjunction(nodes)


def parse_dotted_body(filters: object, limits: QueryLimits = DEFAULT_LIMITS, param: str = "filter") -> Node:
    """Parse the GET body's ``{"filter": {"crew.lead.id": "in~1,2,3"}}`` (pass the inner dict).

    Values are criterion strings (numbers are taken as their text); a list of them acts like a repeated key.
    """
    if not isinstance(filters, Mapping):
        raise MalformedValue(
            f"'{param}' must be an object mapping paths to criteria, like "
            '{"crew.lead.id": "in~1,2,3", "id": "ge~1;le~30"}.',
            param=param,
            path=param,
        )
    counter = ClauseCounter(limits)
    nodes = []
    for key, value in filters.items():
        where = f"{param}.{clip(str(key))}"
        if not isinstance(key, str):
            raise MalformedValue(f"The keys of '{param}' must be strings.", param=param, path=param)
        check_length(key, limits, param=param, path=where, what="name")
        path_text = key.removeprefix(".")
        values = value if isinstance(value, list) else [value]
        check_items(len(values), limits, param=param, path=where)
        for index, item in enumerate(values):
            at = f"{where}[{index}]" if isinstance(value, list) else where
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                raise MalformedValue(
                    f"The criterion at '{at}' must be a string such as \"ge~1;le~30\" (or a list of them).",
                    param=param,
                    path=at,
                )
            nodes.append(_parse_criterion(path_text, str(item), limits, counter, param=param, where=at))
    return conjunction(nodes)


def _parse_criterion(
    path_text: str, value: str, limits: QueryLimits, counter: ClauseCounter, *, param: str, where: str
) -> Node:
    check_length(value, limits, param=param, path=where, what="value")
    path = parse_path(path_text, limits, param=param, path=where, markers=True, unmarked=False)
    pieces = _split(_scan(value, param=param, where=where), ";")
    if len(pieces) > 1 and not all(pieces):
        raise MalformedValue(
            f"Empty condition in '{clip(where)}={clip(value)}': "
            "';' must join conditions such as 'ge~1;le~15'.",
            param=param,
            path=where,
        )
    conditions = []
    for index, chars in enumerate(pieces):
        source = f"{where}[{index}]" if len(pieces) > 1 else where
        counter.add(param=param, path=source)
        operator, rest = _operator(chars, param=param, where=source)
        value_object = _value(operator, rest, limits, param=param, where=source)
        conditions.append(Condition(path, operator, value_object, param=param, source=source))
    return _group(path, conditions)


def _group(path: Path, conditions: list[Condition]) -> Node:
    """Conditions of one criterion beyond a ``*`` hop share one related row: wrap them in a ``Group``."""
    hops = [index for index, step in enumerate(path[:-1]) if step.to_many]
    if len(conditions) < 2 or not hops:
        return conjunction(conditions)
    split = hops[-1] + 1
    inner = tuple(
        Condition(path[split:], c.operator, c.value, param=c.param, source=c.source) for c in conditions
    )
    return Group(path[:split], conjunction(inner))


def _scan(text: str, *, param: str, where: str) -> Chars:
    chars: Chars = []
    escaped = False
    for char in text:
        if escaped:
            chars.append((char, True))
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            chars.append((char, False))
    if escaped:
        raise MalformedValue(
            f"The value of '{clip(where)}' ends with a lone '\\': write '\\\\' for a backslash.",
            param=param,
            path=where,
        )
    return chars


def _split(chars: Chars, mark: str) -> list[Chars]:
    pieces: list[Chars] = [[]]
    for char, escaped in chars:
        if char == mark and not escaped:
            pieces.append([])
        else:
            pieces[-1].append((char, escaped))
    return pieces


def _text(chars: Chars) -> str:
    return "".join(char for char, _ in chars)


def _operator(chars: Chars, *, param: str, where: str) -> tuple[str, Chars]:
    """Split ``op~rest``; without an unescaped ``~`` after a name-like prefix the operator is ``eq``."""
    for index, (char, escaped) in enumerate(chars):
        if char == "~" and not escaped:
            head = chars[:index]
            if any(flag for _, flag in head) or not _OPERATOR_NAME.fullmatch(_text(head)):
                return "eq", chars
            name = _text(head)
            if name not in DOTTED_OPERATORS:
                hint = " (operators are lowercase)" if name.lower() in DOTTED_OPERATORS else ""
                raise UnknownOperator(
                    f"Unknown operator '{clip(name)}' in '{clip(where)}'{hint}: use one of "
                    f"{', '.join(DOTTED_OPERATORS)}; write 'eq~' before a value that contains '~', "
                    "or escape it as '\\~'.",
                    param=param,
                    path=where,
                )
            return name, chars[index + 1 :]
    return "eq", chars


def _value(operator: str, chars: Chars, limits: QueryLimits, *, param: str, where: str) -> object:
    items = _split(chars, ",")
    if operator in _LIST_OPERATORS or (operator in _MAYBE_LIST_OPERATORS and len(items) > 1):
        check_items(len(items), limits, param=param, path=where)
        return tuple(
            _item(operator, item, limits, param=param, where=f"{where}[{i}]") for i, item in enumerate(items)
        )
    if len(items) > 1:
        raise MalformedValue(
            f"'{operator}' takes one value but '{clip(where)}' has a ',' list: use 'in~' for a list, "
            "or escape the comma as '\\,'.",
            param=param,
            path=where,
        )
    if operator == "null":
        text = _text(chars).lower()
        if text not in ("true", "false"):
            raise MalformedValue(
                f"'null' takes 'true' or 'false' in '{clip(where)}', not '{clip(_text(chars))}'.",
                param=param,
                path=where,
            )
        return text == "true"
    if operator in LIKE_OPERATORS:
        if chars[:1] == [("$", False)]:
            raise MalformedValue(
                f"'{operator}' cannot compare with a column ('$…') in '{clip(where)}'; "
                "escape a literal leading '$' as '\\$'.",
                param=param,
                path=where,
            )
        return Pattern.build(Wildcard.ANY if char == "*" and not escaped else char for char, escaped in chars)
    return _item(operator, chars, limits, param=param, where=where)


def _item(operator: str, chars: Chars, limits: QueryLimits, *, param: str, where: str) -> object:
    if chars[:1] != [("$", False)]:
        return _text(chars)
    if operator not in _REFERENCE_OPERATORS:  # pragma: no cover - guarded by the callers
        raise MalformedValue(f"'{operator}' cannot compare with a column.", param=param, path=where)
    reference = _text(chars[1:])
    if not reference:
        raise MalformedValue(
            f"'$' in '{clip(where)}' must be followed by a column name (or escaped as '\\$' for a literal).",
            param=param,
            path=where,
        )
    return FieldRef(parse_path(reference, limits, param=param, path=where, markers=False, unmarked=False))


def split_list(text: str, *, param: str, where: str) -> list[str]:
    """Split ``text`` on unescaped ``,`` and drop the escapes: ``a\\,b,c`` gives ``["a,b", "c"]``."""
    return [_text(item) for item in _split(_scan(text, param=param, where=where), ",")]
