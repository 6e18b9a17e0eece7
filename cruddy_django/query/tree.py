"""The one tree every query dialect parses into; the compiler turns it into a Django ``Q``.

    node = parse_dotted([(".crew.lead.id", "in~1,2,3")])
    # Condition(path=(PathStep("crew", False), PathStep("lead", False), PathStep("id", False)),
    #           operator="in", value=("1", "2", "3"), param=".crew.lead.id", source=".crew.lead.id")

Canonical operators, and each dialect's spellings (dotted = Plateforme, where = fastapi-cruddy-framework):

=============  ===================  ===================================================  ==============
canonical      dotted               where                                                backo
=============  ===================  ===================================================  ==============
eq             ``eq``, no operator  bare value, ``*eq``, ``*is``/``*is_`` true|false     ``$eq``, none
ne             ``ne``               ``*neq``                                             ``$ne``
gt ge lt le    ``gt ge lt le``      ``*gt *gte *lt *lte``                                ``$gt $gte $lt $lte``
like nlike     ``like nlike``       ``*like``, ``*notlike``/``*not_like``                -
ilike nilike   ``ilike nilike``     ``*ilike``, ``*notilike``/``*not_ilike``             -
in nin         ``in nin``           ``*in``/``*in_``, ``*not_in``/``*notin_``            ``$in $nin``
null           ``null~true|false``  ``*is``/``*isnot`` null, ``*eq``/``*neq`` null, bare null  -
contains       -                    ``*contains``                                        -
icontains      -                    ``*icontains``                                       -
(i)startswith  -                    ``*startswith *istartswith``                         -
(i)endswith    -                    ``*endswith *iendswith``                             -
between        -                    ``*between`` [low, high]                             -
regex          -                    ``*regexp_match``                                    ``$re``, ``$reg``
has_key        -                    ``*has_key``                                         -
has_any        -                    ``*has_any``                                         -
has_all        -                    ``*has_all``                                         -
contained_by   -                    ``*contained_by``                                    -
match          -                    ``*match``                                           -
websearch      -                    ``*websearch_to_tsquery``                            -
=============  ===================  ===================================================  ==============

Values by operator: the ``like`` family takes a ``Pattern``; ``in``, ``nin``, ``between``, ``has_any`` and
``has_all`` take tuples; ``null`` takes a bool (True: IS NULL); a ``FieldRef`` value compares with another
column; a ``Cast`` asks the compiler to convert a value (``*datetime``). Text from query strings stays
``str``: the compiler converts it with the field's type. ``contains`` is a substring test on text fields and
containment on JSON and array fields, exactly like Django's ``contains`` lookup.
"""

from __future__ import annotations

import enum
import re
import warnings
from collections.abc import Iterable
from dataclasses import KW_ONLY, dataclass
from typing import Literal, TypeAlias

from .errors import MalformedValue, TooComplex, clip
from .limits import QueryLimits

__all__ = ["LIKE_OPERATORS", "OPERATORS", "And", "Cast", "Condition", "FieldRef", "Group", "Not", "Or", "PathStep",
    "Pattern", "SortKey", "Wildcard", "check_regex", "conjunction", "format_path", "parse_path"]


OPERATORS = frozenset(
    {
        *("eq", "ne", "gt", "ge", "lt", "le", "like", "nlike", "ilike", "nilike", "in", "nin", "null"),
        *("contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "between", "regex"),
        *("has_key", "has_any", "has_all", "contained_by", "overlap", "match", "websearch"),
    }
)
LIKE_OPERATORS = frozenset({"like", "nlike", "ilike", "nilike"})


@dataclass(frozen=True, slots=True)
class PathStep:
    """One name in a dotted path.

    ``to_many`` is True when the client marked the step with ``*`` (a to-many hop), False when the dialect
    says "not to-many" by leaving the mark out (Plateforme), and None when the dialect has no mark at all
    (``where``, backo, sort without ``*``): then the compiler decides from the model.
    """

    name: str
    to_many: bool | None = None


Path: TypeAlias = tuple[PathStep, ...]


@dataclass(frozen=True, slots=True)
class FieldRef:
    """A value that is another column of the root row (Plateforme's ``$name``), compiled to an ``F()``."""

    path: Path


class Wildcard(enum.Enum):
    ANY = "%"  # any run of characters, possibly empty
    ONE = "_"  # exactly one character


@dataclass(frozen=True, slots=True)
class Pattern:
    """A LIKE pattern: literal text and wildcards, never a raw SQL string.

    A ``%`` or ``_`` the dialect means literally is plain text in ``parts``, so it matches itself. Build one
    with ``Pattern.build`` so that ``parts`` is canonical (adjacent texts merged, runs of ANY folded).
    """

    parts: tuple[str | Wildcard, ...]

    @classmethod
    def build(cls, parts: Iterable[str | Wildcard]) -> Pattern:
        merged: list[str | Wildcard] = []
        for part in parts:
            if part == "":
                continue
            if merged and isinstance(part, str) and isinstance(merged[-1], str):
                merged[-1] += part
            elif part is Wildcard.ANY and merged and merged[-1] is Wildcard.ANY:
                continue
            else:
                merged.append(part)
        return cls(tuple(merged))

    def simple(self) -> tuple[str, str] | None:
        """``(lookup, text)`` when a plain Django lookup expresses the pattern, else None.

        ``lookup`` is ``exact``, ``startswith``, ``endswith`` or ``contains`` (prefix ``i`` for ``ilike``).
        """
        parts = self.parts
        if Wildcard.ONE in parts:
            return None
        texts = [part for part in parts if isinstance(part, str)]
        if len(texts) > 1:
            return None
        text = texts[0] if texts else ""
        starts, ends = parts[:1] == (Wildcard.ANY,), parts[-1:] == (Wildcard.ANY,)
        if starts and ends:
            return ("contains", text)
        if starts:
            return ("endswith", text)
        if ends:
            return ("startswith", text)
        return ("exact", text)

    def to_regex(self) -> str:
        r"""An anchored regex (``\A…\Z``) that both Python's ``re`` and PostgreSQL accept."""
        pieces = []
        for part in self.parts:
            if part is Wildcard.ANY:
                pieces.append(r"[\s\S]*")
            elif part is Wildcard.ONE:
                pieces.append(r"[\s\S]")
            else:
                pieces.append(re.escape(part))
        return r"\A" + "".join(pieces) + r"\Z"

    def to_like(self, escape: str = "\\") -> str:
        """SQL LIKE text, with literal ``%``, ``_`` and the escape character escaped by ``escape``."""
        out = []
        for part in self.parts:
            if isinstance(part, Wildcard):
                out.append(part.value)
            else:
                out.append("".join(escape + c if c in ("%", "_", escape) else c for c in part))
        return "".join(out)


@dataclass(frozen=True, slots=True)
class Cast:
    """A value the compiler must convert before comparing: ``kind`` is ``datetime`` (made timezone-aware,
    UTC when naive) or ``datetime_naive`` (parsed as is); ``value`` is the client's str or epoch number."""

    kind: Literal["datetime", "datetime_naive"]
    value: str | int | float


@dataclass(frozen=True, slots=True)
class Condition:
    """One comparison: ``path`` ``operator`` ``value``.

    ``param`` and ``source`` are what a compiler error should carry as ``QueryError.param``/``.path``.
    ``cast`` (``text integer float date datetime tsvector``) wraps the column before comparing, with
    ``cast_args`` (the regconfig of ``tsvector``, or empty for the database default).
    """

    path: Path
    operator: str
    value: object
    _: KW_ONLY
    param: str
    source: str
    cast: str | None = None
    cast_args: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class And:
    """All children hold. ``And(())`` is the empty filter: every row matches."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """At least one child holds (never empty: the parsers refuse an empty ``*or``)."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class Group:
    """``node`` must hold for ONE row reached through ``path`` (Plateforme's ``;`` across a ``*`` hop).

    The conditions inside have paths relative to that row; ``path`` ends with a to-many step. The compiler
    emits one ``Exists`` subquery over the related model filtered by the compiled ``node``.
    """

    path: Path
    node: Node


Node: TypeAlias = Condition | And | Or | Not | Group


@dataclass(frozen=True, slots=True)
class SortKey:
    """One ORDER BY key; ``nulls`` is ``"first"``, ``"last"`` or None for the database default."""

    path: Path
    descending: bool = False
    nulls: Literal["first", "last"] | None = None
    _: KW_ONLY
    param: str
    source: str


def conjunction(nodes: Iterable[Node]) -> Node:
    """AND several nodes, flattening nested ``And``; one node is returned as is, none gives ``And(())``."""
    flat: list[Node] = []
    for node in nodes:
        flat.extend(node.children if isinstance(node, And) else (node,))
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def format_path(path: Path) -> str:
    """``crew.astronauts*.name``: the path as a client would write it in the dotted dialect."""
    return ".".join(step.name + ("*" if step.to_many else "") for step in path)


_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


def parse_path(
    text: str,
    limits: QueryLimits,
    *,
    param: str,
    path: str | None,
    markers: bool,
    unmarked: bool | None,
) -> Path:
    """Split a dotted path into steps, checking each name.

    With ``markers`` a trailing ``*`` on a name sets ``to_many=True``; names without one get ``unmarked``.
    Names holding ``__`` are refused so that no client text can smuggle a Django lookup into a path.
    """
    segments = text.split(".")
    if len(segments) > limits.max_path_length:
        raise TooComplex(
            f"The path '{clip(text)}' has {len(segments)} parts; "
            f"at most {limits.max_path_length} are allowed (max_path_length).",
            param=param,
            path=path,
        )
    steps = []
    for segment in segments:
        marked = markers and segment.endswith("*")
        name = segment[:-1] if marked else segment
        if "__" in name:
            raise MalformedValue(
                f"Invalid name '{clip(name)}' in the path '{clip(text)}': use '.' between names, not '__'.",
                param=param,
                path=path,
            )
        if not _SEGMENT.fullmatch(name):
            allowed = "letters, digits, '_' and '-'" + (", with an optional trailing '*'" if markers else "")
            shown = f"'{clip(segment)}'" if segment else "an empty name"
            raise MalformedValue(
                f"Invalid path '{clip(text)}': {shown} is not a name. A path is names joined by '.', "
                f"each made of {allowed}.",
                param=param,
                path=path,
            )
        steps.append(PathStep(name, True if marked else unmarked))
    return tuple(steps)


def check_regex(text: str, *, param: str, path: str | None) -> str:
    """Refuse a regular expression Python cannot compile, before a database raises on it.

    PostgreSQL's dialect differs in corners (``(?P<name>…)``), so the compiler should still expect a
    database error for exotic patterns.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(text)
    except (re.error, RecursionError, OverflowError, ValueError) as error:
        raise MalformedValue(
            f"Invalid regular expression at '{clip(path or param)}': {clip(str(error))}.",
            param=param,
            path=path,
        ) from None
    return text
