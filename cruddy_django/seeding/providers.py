"""Fake values for model fields: one provider per field kind (``introspection.kinds`` names it), refined by
the field's name.

    from cruddy_django.seeding.providers import value_generator
    generate = value_generator(model_graph(Station).fields["coordinates"])
    generate()  # -> "('33.7207', '-116.21677')"

A generator is a plain ``() -> value`` callable whose values pass the field's ``full_clean()``: they fit
``max_length``, ``max_digits``/``decimal_places``, ``choices`` and the bounds of min/max/greater/less-than
validators. Uniqueness is layered on top by ``unique.py``. Every random draw goes through ``rng()``, the
generator that ``factory.random.reseed_random()`` seeds, so ``--seed`` makes the data repeatable.
"""

from __future__ import annotations

import datetime
import decimal
import random
import string
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import validators as django_validators
from django.db import models
from faker import Faker

from cruddy_django.introspection import FieldInfo
from cruddy_django.introspection.kinds import ClassTable, kind_of
from cruddy_django.validators import GreaterThanValidator, LessThanValidator

__all__ = ["BOUND_VALIDATORS", "DATE_DAYS", "DATE_START", "DEFAULT_NUMBER_RANGE", "FAKE", "INTEGER_RANGES",
    "NUMBER_RANGES", "PROVIDERS", "SIZED_TEXT_BY_NAME", "TEXT_BY_NAME", "UTC", "name_entry", "realistic_range",
    "rng", "valid_range", "validator_bounds", "value_generator"]


Generator = Callable[[], Any]

# Frequency weighting makes `name()` ten times slower; uniform draws look just as real in a demo.
FAKE = Faker(use_weighting=False)

# Fixed windows (not "this decade") so that `--seed` gives the same dates on any day.
DATE_START = datetime.date(2020, 1, 1)
DATE_DAYS = 3652
UTC = datetime.UTC


def rng() -> random.Random:
    """The random generator shared by Faker and factory-boy (reseeded by ``factory.random.reseed_random``)."""
    return FAKE.random


def _words(count: int) -> str:
    return " ".join(FAKE.words(count))


# -- text, by field name (exact name first, then the last `_` segment: `home_phone` -> `phone`) ---------
TEXT_BY_NAME: dict[str, Generator] = {
    "name": FAKE.name,
    "full_name": FAKE.name,
    "first_name": FAKE.first_name,
    "last_name": FAKE.last_name,
    "username": FAKE.user_name,
    "email": FAKE.email,
    "city": FAKE.city,
    "country": FAKE.country,
    "address": FAKE.street_address,
    "street": FAKE.street_address,
    "zip": FAKE.postcode,
    "postcode": FAKE.postcode,
    "company": FAKE.company,
    "job": FAKE.job,
    "title": lambda: FAKE.sentence(nb_words=4).rstrip("."),
    "description": FAKE.sentence,
    "summary": FAKE.sentence,
    "bio": FAKE.paragraph,
    "body": FAKE.paragraph,
    "content": FAKE.paragraph,
    "text": FAKE.paragraph,
    "comment": FAKE.paragraph,
    "coordinates": lambda: str(FAKE.local_latlng(coords_only=True)),
    "latlng": lambda: str(FAKE.local_latlng(coords_only=True)),
    "url": FAKE.url,
    "website": FAKE.url,
    "homepage": FAKE.url,
    "phone": FAKE.phone_number,
    "phone_number": FAKE.phone_number,
    "mobile": FAKE.phone_number,
    "color": FAKE.color_name,
    "isbn": lambda: FAKE.isbn13(separator=""),
    "word": FAKE.word,
    "password": lambda: FAKE.password(length=12),
}


def _code(max_length: int) -> Generator:
    """Digits, like the missions seed script's ``str(random.randint(1, 9999999999))``."""
    top = 10 ** min(max_length, 18) - 1
    return lambda: str(rng().randint(1, top))


# Names whose generator depends on the field's max_length.
SIZED_TEXT_BY_NAME: dict[str, Callable[[int], Generator]] = {"code": _code, "sku": _code, "reference": _code}

# -- numbers, by field name: a realistic range, narrowed by validators and the column's own range ------
NUMBER_RANGES: dict[str, tuple[float, float]] = {
    "price": (1, 10_000),
    "cost": (1, 10_000),
    "amount": (1, 10_000),
    "quantity": (1, 10),
    "count": (0, 100),
    "age": (18, 80),
    "year": (1950, 2030),
    "rating": (0, 5),
    "stars": (1, 5),
    "score": (0, 100),
    "latitude": (-90, 90),
    "longitude": (-180, 180),
    "lat": (-90, 90),
    "lng": (-180, 180),
    "percent": (0, 100),
    "pages": (20, 1_000),
}
DEFAULT_NUMBER_RANGE = (0, 1_000)

INTEGER_RANGES = ClassTable({
    models.PositiveSmallIntegerField: (0, 32_767),
    models.PositiveIntegerField: (0, 2_147_483_647),
    models.PositiveBigIntegerField: (0, 9_223_372_036_854_775_807),
    models.SmallIntegerField: (-32_768, 32_767),
    models.BigIntegerField: (-9_223_372_036_854_775_808, 9_223_372_036_854_775_807),
    models.IntegerField: (-2_147_483_648, 2_147_483_647),
})

# Validator class -> (which bound, exclusive?)
BOUND_VALIDATORS = ClassTable({
    django_validators.MinValueValidator: ("low", False),
    django_validators.MaxValueValidator: ("high", False),
    GreaterThanValidator: ("low", True),
    LessThanValidator: ("high", True),
})


def name_entry(table: dict[str, Any], name: str) -> Any:
    if name in table:
        return table[name]
    return table.get(name.rsplit("_", 1)[-1]) if "_" in name else None


def validator_bounds(info: FieldInfo) -> tuple[float | None, bool, float | None, bool]:
    """``(low, low_exclusive, high, high_exclusive)`` from the field's validators."""
    low = high = None
    low_exclusive = high_exclusive = False
    for validator in info.validators:
        kind = BOUND_VALIDATORS.get(validator)
        if kind is None:
            continue
        limit = validator.limit_value() if callable(validator.limit_value) else validator.limit_value
        bound, exclusive = kind
        if bound == "low" and (low is None or limit >= low):
            low, low_exclusive = limit, exclusive
        elif bound == "high" and (high is None or limit <= high):
            high, high_exclusive = limit, exclusive
    return low, low_exclusive, high, high_exclusive


Interval = tuple[float, float]


def valid_range(info: FieldInfo, step: float, column: Interval | None = None) -> Interval:
    """Every value the field accepts, as a closed interval on a grid of ``step``."""
    low, low_exclusive, high, high_exclusive = validator_bounds(info)
    column_low, column_high = column or (-(10**15), 10**15)
    low = column_low if low is None else max(column_low, low + (step if low_exclusive else 0))
    high = column_high if high is None else min(column_high, high - (step if high_exclusive else 0))
    return low, high


def realistic_range(info: FieldInfo, step: float, column: Interval | None = None) -> Interval:
    """The name table's range for this field, moved inside what its validators and column accept."""
    valid_low, valid_high = valid_range(info, step, column)
    low, high = name_entry(NUMBER_RANGES, info.name) or DEFAULT_NUMBER_RANGE
    width = high - low
    low, high = max(low, valid_low), min(high, valid_high)
    if low > high:  # the realistic window lies outside the valid one: keep its width, inside
        low, high = (valid_low, min(valid_high, valid_low + width)) if low > valid_high else (
            max(valid_low, valid_high - width), valid_high)
    return low, high


# -- one builder per field class: FieldInfo -> generator, or None to leave the field to Django ---------
def _text(info: FieldInfo) -> Generator:
    max_length = info.max_length or 10_000
    sized = name_entry(SIZED_TEXT_BY_NAME, info.name)
    generate = sized(max_length) if sized else name_entry(TEXT_BY_NAME, info.name)
    if generate is None:
        if max_length < 5:
            alphabet = string.ascii_uppercase + string.digits
            return lambda: "".join(rng().choices(alphabet, k=max_length))
        generate = (
            (lambda: FAKE.word().capitalize()) if max_length <= 30
            else (lambda: _words(rng().randint(2, 6)).capitalize()) if max_length <= 100
            else FAKE.sentence if info.internal_type != "TextField"
            else FAKE.paragraph
        )
    return _fitted(generate, max_length)


def _fitted(generate: Generator, max_length: int) -> Generator:
    def fitted() -> str:
        value = str(generate())
        return value if len(value) <= max_length else value[:max_length].rstrip() or value[:max_length]

    return fitted


def _email(info: FieldInfo) -> Generator:
    return _fitted(FAKE.email, info.max_length or 254)


def _url(info: FieldInfo) -> Generator:
    return _fitted(FAKE.url, info.max_length or 200)


def _slug(info: FieldInfo) -> Generator:
    max_length = info.max_length or 50
    return lambda: FAKE.slug()[:max_length].strip("-") or "slug"


def _integer(info: FieldInfo) -> Generator:
    column = INTEGER_RANGES.get(info.model_field)
    low, high = realistic_range(info, 1, column)
    low, high = int(low), int(high)
    return lambda: rng().randint(low, high)


def _float(info: FieldInfo) -> Generator:
    low, high = realistic_range(info, 0.01)
    return lambda: round(rng().uniform(low, high), 2)


def _decimal(info: FieldInfo) -> Generator:
    places = info.model_field.decimal_places or 0
    digits = info.model_field.max_digits or 12
    step = 10.0**-places
    top = 10.0 ** (digits - places) - step
    low, high = realistic_range(info, step, (-top, top))
    quantum = decimal.Decimal(1).scaleb(-places)
    return lambda: decimal.Decimal(repr(rng().uniform(low, high))).quantize(quantum, decimal.ROUND_DOWN)


def _date(info: FieldInfo) -> Generator:
    return lambda: DATE_START + datetime.timedelta(days=rng().randrange(DATE_DAYS))


def _datetime(info: FieldInfo) -> Generator:
    start = datetime.datetime(DATE_START.year, 1, 1, tzinfo=UTC if settings.USE_TZ else None)
    return lambda: start + datetime.timedelta(seconds=rng().randrange(DATE_DAYS * 86_400))


def _time(info: FieldInfo) -> Generator:
    return lambda: datetime.time(*divmod(rng().randrange(1_440), 60))


def _duration(info: FieldInfo) -> Generator:
    return lambda: datetime.timedelta(minutes=rng().randint(1, 600))


def _json(info: FieldInfo) -> Generator:
    return lambda: {word: rng().randint(0, 100) for word in FAKE.words(rng().randint(1, 4), unique=True)}


def _ip(info: FieldInfo) -> Generator:
    return FAKE.ipv6 if getattr(info.model_field, "protocol", "both").lower() == "ipv6" else FAKE.ipv4


def _base(info: FieldInfo) -> Generator | None:
    """Values of the base field of an array or a range column (``ArrayField(models.IntegerField())``)."""
    base = info.model_field.base_field
    return value_generator(FieldInfo(name=info.name, model_field=base, internal_type=base.get_internal_type(),
                                     max_length=getattr(base, "max_length", None),
                                     validators=tuple(getattr(base, "validators", ()))))


def _array(info: FieldInfo) -> Generator | None:
    item = _base(info)
    size = getattr(info.model_field, "size", None) or 4
    return (lambda: [item() for _ in range(rng().randint(0, size))]) if item is not None else None


def _range(info: FieldInfo) -> Generator | None:
    bound = _base(info)
    if bound is None:
        return None

    def generate() -> Any:
        low, high = sorted([bound(), bound()])
        return info.model_field.range_type(low, high, "[]")

    return generate


def _hstore(info: FieldInfo) -> Generator:
    return lambda: {word: FAKE.word() for word in FAKE.words(rng().randint(1, 3), unique=True)}


# The field kind's provider name (``cruddy_django.introspection.kinds``) -> FieldInfo -> generator.
PROVIDERS: dict[str, Callable[[FieldInfo], Generator | None]] = {
    "boolean": lambda info: lambda: rng().random() < 0.5,
    "text": _text,
    "email": _email,
    "url": _url,
    "slug": _slug,
    "ip": _ip,
    "integer": _integer,
    "float": _float,
    "decimal": _decimal,
    "datetime": _datetime,
    "date": _date,
    "time": _time,
    "duration": _duration,
    "uuid": lambda info: lambda: FAKE.uuid4(cast_to=None),
    "json": _json,
    "binary": lambda info: lambda: FAKE.binary(length=16),
    "array": _array,
    "range": _range,
    "hstore": _hstore,
}


def value_generator(info: FieldInfo) -> Generator | None:
    """A generator of valid values for one concrete, non-relation field; None for types we cannot fake
    (the field keeps its Django default)."""
    if info.choices:
        values = [value for value, _label in info.choices if value not in ("", None)]
        return (lambda: rng().choice(values)) if values else None
    kind = kind_of(info)
    builder = PROVIDERS.get(kind.fake) if kind is not None and kind.fake else None
    return builder(info) if builder else None
