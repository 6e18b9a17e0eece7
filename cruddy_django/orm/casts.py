"""Type checks the database would otherwise make at run time: column casts, column references, value casts and
full-text configurations are validated before any SQL, and a cast whose success depends on the data never
fails.

    cast_column("title", "text", "integer", condition, connection)   # NULL where the text is no integer
    check_reference("text", "integer", condition)                    # MalformedValue: text vs integer
    check_value_cast("integer", condition)                           # MalformedValue: *datetime on an integer

A database error that depends on the data would answer 500 (or an error-vs-200 oracle on rows the request
may not see, since the database may evaluate a cast on rows before the scope removes them). So a cast from
text on PostgreSQL only applies to values shaped like its target (anything else reads as NULL), numbers are
cast to integers only within range, and casts no database can do (a date to an integer) are a 400.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Case, Q, When
from django.db.models.functions import Cast as DbCast

from cruddy_django.query import Condition, MalformedValue
from cruddy_django.query.errors import clip

__all__ = ["CAST_FIELDS", "FAMILIES", "cast_column", "check_reference", "check_text_search_config",
           "check_value_cast"]

# Column casts of the where dialect (``"pages:Text"``) -> the field the column is cast to.
CAST_FIELDS: dict[str, type[models.Field]] = {
    "text": models.TextField, "integer": models.IntegerField, "float": models.FloatField,
    "date": models.DateField, "datetime": models.DateTimeField,
}
# Query kinds that compare with each other (a column reference needs both sides in one family).
FAMILIES = {"text": "text", "json text": "text", "integer": "number", "number": "number", "float": "number",
            "date": "date", "datetime": "date", "time": "time", "duration": "duration", "uuid": "uuid",
            "boolean": "boolean"}
# Source family -> the casts every database can do on every value of it (text: below, with a guard).
CASTS_FROM = {"number": {"text", "integer", "float"}, "date": {"text", "date", "datetime"},
              "boolean": {"text", "integer"}, "text": set(CAST_FIELDS)}
INT4 = (-(2**31), 2**31 - 1)

# What PostgreSQL's cast from text accepts without an error, written so that every match casts.
_YEAR = r"(000[1-9]|00[1-9]\d|0[1-9]\d\d|[1-9]\d{3})"
_LEAP_YEAR = r"(\d\d(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)"
_DATE = (rf"({_YEAR}-((0[13578]|1[02])-(0[1-9]|[12]\d|3[01])|(0[469]|11)-(0[1-9]|[12]\d|30)|02-(0[1-9]|1\d|2[0-8]))"
         rf"|{_LEAP_YEAR}-02-29)")
_TIME = r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?"
_ZONE = r"(Z|[+-](0\d|1[0-5])(:?[0-5]\d)?)"
TEXT_SHAPES = {
    "integer": r"^\s*[-+]?\d{1,9}\s*$",
    "float": r"^\s*[-+]?(\d{1,30}(\.\d{0,30})?|\.\d{1,30})([eE][-+]?\d{1,2})?\s*$",
    "date": rf"^\s*{_DATE}\s*$",
    "datetime": rf"^\s*{_DATE}([ T]{_TIME}{_ZONE}?)?\s*$",
}


def family(kind: str) -> str:
    return FAMILIES.get(kind, kind)


def with_article(kind: str) -> str:
    """``a text``, ``an integer``."""
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"


def _bad(condition: Condition, message: str) -> MalformedValue:
    return MalformedValue(message, param=condition.param, path=condition.source)


def cast_column(lookup: str, kind: str, cast: str, condition: Condition, vendor: str) -> Any:
    """The column at ``lookup`` (of query kind ``kind``) cast to ``cast``, or a 400 when no database can cast
    that kind so. On PostgreSQL, text that is not shaped like the target and numbers beyond the range of an
    integer read as NULL instead of failing the whole query."""
    source = family(kind)
    if cast not in CASTS_FROM.get(source, {"text"}):
        allowed = ", ".join(sorted(name.capitalize() for name in CASTS_FROM.get(source, {"text"})))
        raise _bad(condition, f"'{clip(condition.source)}' cannot cast {with_article(kind)} column to "
                              f"{cast.capitalize()}; it can be cast to {allowed}.")
    expression = DbCast(lookup, CAST_FIELDS[cast]())
    if vendor != "postgresql":
        return expression  # SQLite's and MySQL's CAST never fail
    if source == "text" and cast != "text":
        guard = Q(**{f"{lookup}__regex": TEXT_SHAPES[cast]})
    elif (source, cast) == ("number", "integer"):
        guard = Q(**{f"{lookup}__gte": INT4[0], f"{lookup}__lte": INT4[1]})
    else:
        return expression  # to text, between dates, a float from a number, an integer from a boolean
    return Case(When(guard, then=expression), default=None, output_field=CAST_FIELDS[cast]())


def check_reference(left_kind: str, right_kind: str, condition: Condition) -> None:
    """A column reference (``.name=ne~$code``) compares two columns of one family, or it is a 400 (the
    database would refuse the comparison, or compare text with a number by accident)."""
    left, right = family(left_kind), family(right_kind)
    if left != right or left in {"json", "to-many relation"}:
        raise _bad(condition, f"'{clip(condition.source)}' compares {with_article(left_kind)} column with "
                              f"{with_article(right_kind)} column; a column reference needs two columns of the same "
                              "type.")


def check_value_cast(kind: str, condition: Condition) -> None:
    """A ``{"*datetime": ...}`` value compares with date and date-time columns only."""
    if family(kind) != "date":
        raise _bad(condition, f"'{clip(condition.source)}' compares {with_article(kind)} column with a date and time; "
                              "*datetime values suit date and datetime fields.")


def check_text_search_config(config: str, known: set[str], condition: Condition) -> None:
    """A full-text configuration must be one the database has (``english``, ``simple`` ...)."""
    if config.lower().removeprefix("pg_catalog.") not in known:
        raise _bad(condition, f"Unknown text search configuration '{clip(config)}' in '{clip(condition.source)}'; "
                              f"this database has {', '.join(sorted(known))}.")
