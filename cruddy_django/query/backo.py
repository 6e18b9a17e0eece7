r"""backo's query-string filters: ``?age.$lt=12``, ``?name.$re=do``, ``?address.city=Paris``.

    if is_backo_param(key): pairs.append((key, value))
    parse_backo(pairs)
    # Condition((PathStep("age"),), "lt", "12", param="age.$lt", source="age.$lt")

Rules:

- A key is ``path[.$op]``; ``path`` is dotted (``address.city``) and may start with backo's ``$.`` (needed for
  names starting with ``_``: ``$._id``). Without ``.$op`` the operator is ``$eq``.
- Operators: ``$eq $ne $lt $lte $gt $gte $in $nin $re $reg``. ``$re`` (backo's README) and ``$reg`` (backo's
  code) are the same: an UNANCHORED, case-sensitive regular-expression search, as on PostgreSQL and MongoDB
  (``name.$re=do`` finds "ado" too; write ``^do`` to anchor). ``$in``/``$nin`` are our extension (backo has
  none): items are separated by ``,``, and ``\,`` writes a comma inside an item (``\\`` a backslash).
- Other values are taken verbatim and stay strings (backo guesses int/float; the compiler uses the field's
  type).
- A repeated key means AND, as in backo.

Which keys are backo's: see ``is_backo_param``. A plain single-name key (``name=x``) is NOT: it is ambiguous
with django-filter's ``name=x``, which owns it; write ``name.$eq=x`` for backo's reading.
"""

from __future__ import annotations

from collections.abc import Iterable

from .dotted import split_list
from .errors import MalformedValue, UnknownOperator, clip
from .limits import (
    DEFAULT_LIMITS,
    ClauseCounter,
    QueryLimits,
    check_items,
    check_length,
)
from .tree import Condition, Node, check_regex, conjunction, parse_path

__all__ = ["BACKO_OPERATORS", "is_backo_param", "parse_backo"]


BACKO_OPERATORS = {
    "$eq": "eq",
    "$ne": "ne",
    "$lt": "lt",
    "$lte": "le",
    "$gt": "gt",
    "$gte": "ge",
    "$in": "in",
    "$nin": "nin",
    "$re": "regex",
    "$reg": "regex",
}


def is_backo_param(key: str) -> bool:
    """True for keys this dialect owns: ``$.``-prefixed keys and dotted keys (``age.$lt``, ``address.city``).

    Keys starting with ``.`` are Plateforme's, keys starting with ``_`` are control parameters (``_page``,
    ``_skip``, ``_sort``), and keys without a ``.`` belong to django-filter or to named parameters.
    """
    return key.startswith("$.") or ("." in key and not key.startswith((".", "_")))


def parse_backo(params: Iterable[tuple[str, str]], limits: QueryLimits = DEFAULT_LIMITS) -> Node:
    """Parse ``(key, value)`` pairs that ``is_backo_param`` accepted; all conditions are ANDed."""
    counter = ClauseCounter(limits)
    nodes = []
    for key, value in params:
        check_length(key, limits, param=key, path=key, what="name")
        check_length(value, limits, param=key, path=key, what="value")
        if not is_backo_param(key):
            raise MalformedValue(
                f"'{clip(key)}' is not a backo filter: write 'path.$op=value' (such as 'age.$lt=12') "
                "or a dotted path such as 'address.city=Paris'.",
                param=key,
                path=key,
            )
        path_text = key.removeprefix("$.")
        head, dot, last = path_text.rpartition(".")
        spelling = "$eq"
        if dot and last.startswith("$"):
            path_text, spelling = head, last
        if spelling not in BACKO_OPERATORS:
            raise UnknownOperator(
                f"Unknown operator '{clip(spelling)}' in '{clip(key)}': "
                f"use one of {', '.join(BACKO_OPERATORS)}.",
                param=key,
                path=key,
            )
        path = parse_path(path_text, limits, param=key, path=key, markers=False, unmarked=None)
        operator = BACKO_OPERATORS[spelling]
        counter.add(param=key, path=key)
        operand: object = value
        if operator in ("in", "nin"):
            items = split_list(value, param=key, where=key)
            check_items(len(items), limits, param=key, path=key)
            operand = tuple(items)
        elif operator == "regex":
            check_regex(value, param=key, path=key)
        nodes.append(Condition(path, operator, operand, param=key, source=key))
    return conjunction(nodes)
