"""Size limits every query parser enforces, so a client cannot make the server work without bound.

    limits = QueryLimits(max_clauses=20)
    parse_where(text, limits)                            # TooComplex beyond 20 conditions
    parse_sort(["a,b,c"], QueryLimits(max_sort_keys=2))  # TooComplex

Each parser takes ``limits`` (default ``DEFAULT_LIMITS``); a breach raises ``TooComplex``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import TooComplex, clip


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


DEFAULT_LIMITS = QueryLimits()


def check_length(text: str, limits: QueryLimits, *, param: str, path: str | None = None, what: str) -> None:
    """Refuse a key or value longer than ``max_param_length`` before any parsing work."""
    if len(text) > limits.max_param_length:
        raise TooComplex(
            f"The {what} of '{clip(param)}' is {len(text)} characters long; "
            f"at most {limits.max_param_length} are allowed.",
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
                f"The query has more than {self.limits.max_clauses} conditions.", param=param, path=path
            )


def check_items(count: int, limits: QueryLimits, *, param: str, path: str | None) -> None:
    """Refuse a list value with more than ``max_in_items`` items."""
    if count > limits.max_in_items:
        raise TooComplex(
            f"The list at '{clip(path or param)}' has {count} items; "
            f"at most {limits.max_in_items} are allowed.",
            param=param,
            path=path,
        )
