"""Turn client values into the Python values of the field they are compared with, or a QueryError.

    convert(book_pages_field, "412", condition, "integer")   # -> 412
    convert(book_pages_field, "abc", condition, "integer")   # QueryError: ... is not a valid integer
    to_boolean("yes", condition)                              # -> True

Each field converts with its own ``to_python``, so values behave exactly as Django would store them; what
Django accepts but a database refuses (NaN, infinite decimals, integers beyond 64 bits) is refused here.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cruddy_django.query import Cast, Condition, MalformedValue
from cruddy_django.query.errors import clip
from cruddy_django.query.tree import Pattern

__all__ = ["ADDRESS_OPERATORS", "FALSE_WORDS", "LOOSE_FIELDS", "TRUE_WORDS", "cast_datetime", "convert",
    "convert_loose", "to_boolean", "to_column_value", "to_text"]


TRUE_WORDS = frozenset({"true", "t", "1", "yes", "on"})
FALSE_WORDS = frozenset({"false", "f", "0", "no", "off"})
# Operators that compare an IP address column with whole addresses (patterns compare its text).
ADDRESS_OPERATORS = frozenset({"eq", "ne", "gt", "ge", "lt", "le", "in", "nin", "between"})
LOOSE_FIELDS: dict[str, type[models.Field]] = {
    "integer": models.BigIntegerField, "number": models.FloatField, "date": models.DateField,
    "datetime": models.DateTimeField,
}


def _bad(condition: Condition, message: str) -> MalformedValue:
    return MalformedValue(message, param=condition.param, path=condition.source)


def to_column_value(model_field: Any, value: Any) -> Any:
    """The field's ``to_python``, refusing (``ValidationError``) what a database column cannot hold: NaN,
    infinite decimals, integers beyond 64 bits (SQLite raises OverflowError on them in any look-up)."""
    try:
        converted = model_field.to_python(value)
    except (TypeError, ValueError, OverflowError, ArithmeticError) as error:
        raise ValidationError(str(error)) from None
    if isinstance(converted, float) and converted != converted:  # NaN never compares equal
        raise ValidationError("NaN")
    if isinstance(converted, Decimal) and not converted.is_finite():
        raise ValidationError("not finite")
    if isinstance(model_field, models.IntegerField) and converted is not None and not -(2**63) <= converted < 2**63:
        raise ValidationError(f"{converted} is beyond the 64-bit range of an integer column.")
    return converted


def convert(model_field: Any, value: Any, condition: Condition, kind: str) -> Any:
    """Convert with the field's ``to_python``; datetimes become aware (UTC) when the site uses time zones."""
    if isinstance(value, dict | list | bool) and kind not in {"boolean", "json"}:
        raise _bad(condition, f"'{clip(condition.source)}' expects a {kind}, not {clip(repr(value))}.")
    try:
        converted = to_column_value(model_field, value)
        if isinstance(model_field, models.GenericIPAddressField) and condition.operator in ADDRESS_OPERATORS:
            model_field.run_validators(converted)  # PostgreSQL compares addresses (inet), not text
    except ValidationError:
        raise _bad(condition, f"The value '{clip(str(value))}' in '{clip(condition.source)}' is not a valid "
                              f"{kind}.") from None
    if isinstance(converted, datetime.datetime) and timezone.is_naive(converted) and settings.USE_TZ:
        converted = timezone.make_aware(converted, datetime.UTC)
    return converted


def convert_loose(value: Any, kind: str, condition: Condition) -> Any:
    """Values compared with JSON keys, casts and computed fields: text is converted by the kind, typed JSON
    values are kept as the client sent them."""
    if isinstance(value, str) and kind in LOOSE_FIELDS:
        return convert(LOOSE_FIELDS[kind](), value, condition, kind)
    if isinstance(value, Pattern):  # a wildcard outside like: the database would choke on it
        raise _bad(condition, f"'{clip(condition.source)}' uses a wildcard; only like and ilike take one.")
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
        raise _bad(condition, f"The number {clip(str(value))} in '{clip(condition.source)}' is beyond the 64-bit "
                              "range a database column holds.")
    if isinstance(value, float) and not math.isfinite(value):
        raise _bad(condition, f"The number in '{clip(condition.source)}' is not finite.")
    return value


def to_boolean(value: Any, condition: Condition) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in TRUE_WORDS | FALSE_WORDS:
        return value.lower() in TRUE_WORDS
    raise _bad(condition, f"'{clip(condition.source)}' expects true or false, not '{clip(str(value))}'.")


def to_text(value: Any, condition: Condition) -> str:
    if isinstance(value, bool | dict | list) or value is None:
        raise _bad(condition, f"'{clip(condition.source)}' compares a text field with {type(value).__name__} "
                              f"{clip(str(value))}.")
    return str(value)


def cast_datetime(value: Cast, condition: Condition) -> datetime.datetime:
    """``{"*datetime": ...}`` (aware, UTC when naive) or ``{"*datetime_naive": ...}``: ISO text or epoch."""
    result: datetime.datetime | None
    try:
        if isinstance(value.value, int | float) and not isinstance(value.value, bool):
            result = datetime.datetime.fromtimestamp(value.value, tz=datetime.UTC)
        else:
            result = parse_datetime(str(value.value))
    except (ValueError, OverflowError, OSError):
        result = None
    if result is None:
        raise _bad(condition,
                   f"'{clip(str(value.value))}' in '{clip(condition.source)}' is not a date and time.")
    if value.kind == "datetime" and timezone.is_naive(result):
        result = timezone.make_aware(result, datetime.UTC)
    if value.kind == "datetime_naive" and timezone.is_aware(result):
        result = timezone.make_naive(result, datetime.UTC)
    return result
