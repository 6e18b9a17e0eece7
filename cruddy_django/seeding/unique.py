"""Unique values that never collide, even for two-character codes: Faker first, then an enumeration.

    from cruddy_django.seeding.unique import UniqueValue
    code = UniqueValue(info, generate)      # a factory-boy declaration
    code.draw()  # -> "4821993012", or "K7" once short codes run out of random luck

A unique field draws from its Faker generator a few times; on repeated collisions it walks an enumeration
of the field's value space (fixed-width base-36 tokens for short strings, integers inside the validators'
range, ...) in a shuffled order, so it always finds a free value until the space is really full, and then
says so. ``capacity(info)`` tells how many distinct values the field can hold, for up-front checks, and
``UniqueGuard`` keeps a model's unique and unique-together values while the seeder builds its rows.
"""

from __future__ import annotations

import datetime
import decimal
import math
import string
from collections.abc import Callable
from typing import Any

from django.db import models
from factory import enums
from factory.declarations import BaseDeclaration

from cruddy_django.introspection import FieldInfo, model_graph
from cruddy_django.introspection.kinds import ClassTable
from cruddy_django.seeding.errors import SeedingError
from cruddy_django.seeding.providers import DATE_START, INTEGER_RANGES, Generator, rng, valid_range

__all__ = ["TOKEN_ALPHABET", "UNIQUE_SPACES", "WHOLE_TOKEN_LENGTH", "UniqueGuard", "UniqueValue", "capacity",
    "column_rows", "token", "unique_space"]


TOKEN_ALPHABET = string.digits + string.ascii_uppercase
# Strings up to this length are enumerated as whole fixed-width tokens; longer ones keep their fake value
# and get a token suffix.
WHOLE_TOKEN_LENGTH = 12

# (capacity, or None for "more than any seeding needs"; the index-th value, or None to draw again)
Space = tuple[int | None, Callable[[Any, int], Any] | None]


def token(index: int, width: int = 0) -> str:
    digits = ""
    while index or not digits:
        index, remainder = divmod(index, len(TOKEN_ALPHABET))
        digits = TOKEN_ALPHABET[remainder] + digits
    return digits.rjust(width, TOKEN_ALPHABET[0])


def _suffixed(base: str, suffix: str, max_length: int, separator: str = "-") -> str:
    return f"{base[: max(0, max_length - len(suffix) - len(separator))]}{separator}{suffix}"


def _text_space(info: FieldInfo) -> tuple[int | None, Callable[[Any, int], Any]]:  # a Space that enumerates
    max_length = info.max_length or 255
    if max_length <= WHOLE_TOKEN_LENGTH:
        return len(TOKEN_ALPHABET) ** max_length, lambda base, index: token(index, max_length)
    return None, lambda base, index: _suffixed(str(base), token(index), max_length)


def _slug_space(info: FieldInfo) -> Space:
    capacity, nth = _text_space(info)
    return capacity, lambda base, index: nth(base, index).lower()


def _email_space(info: FieldInfo) -> Space:
    def nth(base: str, index: int) -> str:
        local, _, domain = str(base).partition("@")
        return f"{local[: 60]}.{token(index).lower()}@{domain or 'example.com'}"

    return None, nth


def _url_space(info: FieldInfo) -> Space:
    return None, lambda base, index: f"{str(base).rstrip('/')}/{token(index).lower()}"


def _integer_space(info: FieldInfo) -> Space:
    low, high = valid_range(info, 1, INTEGER_RANGES.get(info.model_field))
    return int(high) - int(low) + 1, lambda base, index: int(low) + index


def _decimal_space(info: FieldInfo) -> Space:
    places = info.model_field.decimal_places or 0
    digits = info.model_field.max_digits or 12
    quantum = decimal.Decimal(1).scaleb(-places)
    top = float(10 ** (digits - places) - quantum)
    low, high = valid_range(info, float(quantum), (-top, top))
    start = decimal.Decimal(repr(low)).quantize(quantum, decimal.ROUND_UP)
    return int((high - low) / float(quantum)), lambda base, index: start + index * quantum


def _float_space(info: FieldInfo) -> Space:
    low, _high = valid_range(info, 0.01)
    start = max(low, 0.0) if low > -(10**15) else 0.0
    return None, lambda base, index: round(start + index * 0.01, 2)


UNIQUE_SPACES = ClassTable({
    models.CharField: _text_space,
    models.TextField: _text_space,
    models.SlugField: _slug_space,
    models.EmailField: _email_space,
    models.URLField: _url_space,
    models.IntegerField: _integer_space,
    models.DecimalField: _decimal_space,
    models.FloatField: _float_space,
    models.BooleanField: lambda info: (2, lambda base, index: bool(index)),
    models.DateTimeField: lambda info: (None, lambda base, index: datetime.datetime(
        DATE_START.year, 1, 1, tzinfo=getattr(base, "tzinfo", None)) + datetime.timedelta(seconds=index)),
    models.DateField: lambda info: (None, lambda base, index: DATE_START + datetime.timedelta(days=index)),
    models.TimeField: lambda info: (86_400, lambda base, index: datetime.time(
        index // 3600, index // 60 % 60, index % 60)),
    models.DurationField: lambda info: (None, lambda base, index: datetime.timedelta(seconds=index)),
})


def unique_space(info: FieldInfo) -> Space:
    if info.choices:
        values = [value for value, _label in info.choices]
        return len(values), lambda base, index: values[index]
    space = UNIQUE_SPACES.get(info.model_field)
    return space(info) if space else (None, None)  # no enumeration: draw again (UUIDs, JSON)


def capacity(info: FieldInfo) -> int | None:
    """How many distinct values the field can take, or None when that is more than any seeding needs."""
    return unique_space(info)[0]


def _field_label(info: FieldInfo) -> str:
    model = getattr(info.model_field, "model", None)
    return f"{model.__name__}.{info.name}" if model else info.name


class UniqueValue(BaseDeclaration):
    """A factory-boy declaration drawing values never drawn before (nor, when creating, stored already)."""

    TRIES = 5

    def __init__(self, info: FieldInfo, generate: Generator) -> None:
        super().__init__()
        self.info = info
        self.generate = generate
        self.capacity, self._nth = unique_space(info)
        self.reset()

    def reset(self) -> None:
        """Forget every value drawn (the seeder calls this at the start of each run, for ``--seed``)."""
        self.used: set[Any] = set()
        self._cursor = 0
        self._shuffle: tuple[int, int] | None = None

    def reserve(self, values: Any) -> None:
        """Mark values as taken, e.g. the ones already in the table."""
        self.used.update(values)

    def evaluate(self, instance: Any, step: Any, extra: Any) -> Any:
        value = self.draw()
        if step.builder.strategy == enums.CREATE_STRATEGY:
            manager = column_rows(step.builder.factory_meta.model, (self.info.name,))
            database = getattr(step.builder.factory_meta, "database", "default")
            while manager.using(database).filter(**{self.info.name: value}).exists():
                value = self.draw()
        return value

    def draw(self) -> Any:
        for _ in range(self.TRIES):
            value = self.generate()
            if value not in self.used:
                break
        else:
            value = self._enumerate(value, self._nth) if self._nth else self._redraw()
        self.used.add(value)
        return value

    def _enumerate(self, base: Any, nth: Callable[[Any, int], Any]) -> Any:
        """The next free value of the shuffled value space (``nth`` is its index-th value)."""
        while self.capacity is None or self._cursor < self.capacity:
            value = nth(base, self._position(self._cursor))
            self._cursor += 1
            if value not in self.used:
                return value
        raise SeedingError(
            f"{_field_label(self.info)} is unique and holds at most {self.capacity:,} distinct values; "
            f"they are all taken. Ask for fewer rows, or widen the field."
        )

    def _redraw(self) -> Any:
        """Types with no enumeration (UUIDs, JSON) only collide by bad luck: draw until free."""
        for _ in range(1_000):
            value = self.generate()
            if value not in self.used:
                return value
        raise SeedingError(f"{_field_label(self.info)} keeps drawing values that are already taken.")

    def _position(self, cursor: int) -> int:
        """An affine permutation of the value space, so that enumerated codes look random."""
        if self.capacity is None:
            return cursor
        if self._shuffle is None:
            stride = rng().randrange(1, max(2, self.capacity))
            while math.gcd(stride, self.capacity) != 1:
                stride += 1
            self._shuffle = (stride, rng().randrange(self.capacity))
        stride, offset = self._shuffle
        return (stride * cursor + offset) % self.capacity


def column_rows(model: type[models.Model], names: tuple[str, ...]) -> Any:
    """Every row of the table that holds the columns ``names`` of ``model``: the parent's table for the fields
    a multi-table child inherits, the concrete model's for a proxy, and never a default manager's filter (a
    soft-deleted row still holds its unique value)."""
    owner: Any = getattr(model_graph(model).fields[names[0]].model_field, "model", None) or model
    return owner._meta.concrete_model._base_manager


class UniqueGuard:
    """The values of a model's unique fields and unique-together groups, stored and drawn in this run."""

    def __init__(self, model: type[models.Model], database: str) -> None:
        graph = model_graph(model)
        # A conditional unique constraint is kept as if it always held: stricter, and never a collision.
        names = [(name,) for name in graph.unique_fields] + list(graph.unique_together) + list(graph.unique_when)
        pk = graph.fields[graph.pk_name]
        if not pk.auto_created and not (pk.relation and pk.relation.parent_link):  # a natural key
            names.insert(0, (graph.pk_name,))
        self.keys = [tuple(graph.fields[name].attname or name for name in group) for group in names]
        self.taken = {key: set(column_rows(model, group).using(database).values_list(*key))
                      for key, group in zip(self.keys, names, strict=True)}

    def admit(self, instance: models.Model) -> bool:
        """Take the row's values if none is taken yet (NULLs never collide)."""
        values = [(key, tuple(getattr(instance, attname) for attname in key)) for key in self.keys]
        values = [(key, value) for key, value in values if None not in value]
        if any(value in self.taken[key] for key, value in values):
            return False
        for key, value in values:
            self.taken[key].add(value)
        return True
