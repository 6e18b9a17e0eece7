"""Pure parsers for the query dialects cruddy_django accepts, into one tree of frozen dataclasses.

    from cruddy_django.query import parse_dotted, parse_where, parse_sort
    node = parse_dotted([(".astronauts*.id", "ge~1;le~15")])   # a Group: one astronaut with 1 <= id <= 15
    keys = parse_sort(["-launch_date,name:nl"])                 # (SortKey(...), SortKey(...))

Dialects: Plateforme's dotted filters (``dotted``), fastapi-cruddy-framework's JSON ``where`` (``where``),
backo's ``path.$op`` keys (``backo``) and sort specifications (``sorting``). Nothing here imports Django: the
compiler checks every path against the resource and turns the tree into a ``Q``. Any bad input raises a
``QueryError`` (never anything else) that names the parameter and the bad part; see ``tree`` for the
canonical operators and how each dialect spells them.
"""

from __future__ import annotations

from .backo import BACKO_OPERATORS, is_backo_param, parse_backo
from .dotted import DOTTED_OPERATORS, parse_dotted, parse_dotted_body
from .errors import MalformedValue, QueryError, TooComplex, UnknownOperator
from .limits import DEFAULT_LIMITS, QueryLimits, check_json_depth, load_json
from .sorting import parse_sort
from .tree import (
    OPERATORS,
    And,
    Cast,
    Condition,
    FieldRef,
    Group,
    Node,
    Not,
    Or,
    Path,
    PathStep,
    Pattern,
    SortKey,
    Wildcard,
    conjunction,
    format_path,
)
from .where import COLUMN_CASTS, WHERE_OPERATORS, parse_where

__all__ = [
    "BACKO_OPERATORS",
    "COLUMN_CASTS",
    "DEFAULT_LIMITS",
    "DOTTED_OPERATORS",
    "OPERATORS",
    "WHERE_OPERATORS",
    "And",
    "Cast",
    "Condition",
    "FieldRef",
    "Group",
    "MalformedValue",
    "Node",
    "Not",
    "Or",
    "Path",
    "PathStep",
    "Pattern",
    "QueryError",
    "QueryLimits",
    "SortKey",
    "TooComplex",
    "UnknownOperator",
    "Wildcard",
    "check_json_depth",
    "conjunction",
    "format_path",
    "is_backo_param",
    "load_json",
    "parse_backo",
    "parse_dotted",
    "parse_dotted_body",
    "parse_sort",
    "parse_where",
]
