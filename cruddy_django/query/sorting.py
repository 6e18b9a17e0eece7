"""Sort specifications: ``?sort=-launch_date,+name``, ``?ordering=-id``, backo's ``?_sort=-$.age``.

    parse_sort(["-launch_date,name:nl", "crew.name desc"])
    # (SortKey((PathStep("launch_date"),), descending=True), SortKey((PathStep("name"),), nulls="last"),
    #  SortKey((PathStep("crew"), PathStep("name")), descending=True))

Each value holds keys separated by ``,`` (Plateforme only allowed repeating ``sort=``; both work here).
A key is:

- ``[+|-]path[:asc|:desc][:nf|:nl]``: at most one direction and one nulls suffix, in either order;
  ``:nf``/``:nl`` put NULLs first/last. A sign together with ``:asc``/``:desc`` is refused (Plateforme
  multiplies them, so ``-x:desc`` sorted ascending). An unencoded ``+`` arrives as a space and is ignored.
- or cruddy's ``path asc`` / ``path desc``.
- ``path`` is dotted (``crew.name``), may mark to-many hops with ``*`` (``parts*.quantity``; unmarked steps
  have ``to_many=None``) and may start with backo's ``$.``. Django's ``__`` is refused: write ``crew.name``.

Duplicate paths, empty keys and unknown suffixes are errors; ``max_sort_keys`` bounds the count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from .errors import MalformedValue, TooComplex, clip
from .limits import DEFAULT_LIMITS, QueryLimits, check_length
from .tree import SortKey, parse_path

__all__ = ["parse_sort"]


_SPACED = re.compile(r"(\S+)\s+(asc|desc)", re.IGNORECASE)
_DIRECTIONS = {"asc": False, "desc": True}
_NULLS: dict[str, Literal["first", "last"]] = {"nf": "first", "nl": "last"}


def parse_sort(
    values: Iterable[str], limits: QueryLimits = DEFAULT_LIMITS, param: str = "sort"
) -> tuple[SortKey, ...]:
    """Parse every value of a sort parameter, in order, into sort keys."""
    keys: list[SortKey] = []
    seen: dict[tuple[str, ...], str] = {}
    for value in values:
        check_length(value, limits, param=param, path=param, what="value")
        for item in value.split(","):
            source = f"{param}[{len(keys)}]"
            if len(keys) >= limits.max_sort_keys:
                raise TooComplex(
                    f"'{param}' has more than {limits.max_sort_keys} keys (max_sort_keys).", param=param, path=source
                )
            key = _parse_key(item, limits, param=param, source=source)
            names = tuple(step.name for step in key.path)
            if names in seen:
                raise MalformedValue(
                    f"'{param}' names '{'.'.join(names)}' twice ({seen[names]} and {source}); keep one.",
                    param=param,
                    path=source,
                )
            seen[names] = source
            keys.append(key)
    return tuple(keys)


def _parse_key(item: str, limits: QueryLimits, *, param: str, source: str) -> SortKey:
    text = item.strip()
    if not text:
        raise MalformedValue(
            f"Empty sort key at {source}: write names separated by ',', such as '-launch_date,name'.",
            param=param,
            path=source,
        )
    descending: bool | None = None
    nulls: Literal["first", "last"] | None = None
    spaced = _SPACED.fullmatch(text)
    if spaced:
        text, descending = spaced.group(1), _DIRECTIONS[spaced.group(2).lower()]
    sign = text[0] if text[0] in "+-" else ""
    if spaced and sign:
        raise MalformedValue(
            f"Invalid sort key '{clip(item.strip())}' at {source}: give the direction once, "
            f"either '{sign}' or '{spaced.group(2)}'.",
            param=param,
            path=source,
        )
    text, *suffixes = text[len(sign) :].split(":")
    for suffix in suffixes:
        if suffix in _DIRECTIONS and descending is None and not sign:
            descending = _DIRECTIONS[suffix]
        elif suffix in _NULLS and nulls is None:
            nulls = _NULLS[suffix]
        else:
            raise MalformedValue(
                f"Invalid sort key '{clip(item.strip())}' at {source}: "
                f"{_suffix_problem(suffix, sign, descending, nulls)}",
                param=param,
                path=source,
            )
    text = text.removeprefix("$.")
    path = parse_path(text, limits, param=param, path=source, markers=True, unmarked=None)
    return SortKey(path, bool(descending) or sign == "-", nulls, param=param, source=source)


def _suffix_problem(suffix: str, sign: str, descending: bool | None, nulls: str | None) -> str:
    if suffix in _DIRECTIONS and sign:
        return f"give the direction once, either '{sign}' or ':{suffix}'."
    if (suffix in _DIRECTIONS and descending is not None) or (suffix in _NULLS and nulls is not None):
        return f"':{suffix}' repeats a direction or nulls suffix."
    return f"unknown suffix ':{clip(suffix)}'; use :asc, :desc, :nf (nulls first) or :nl (nulls last)."
