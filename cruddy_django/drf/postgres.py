"""Serializer fields for PostgreSQL columns DRF does not map: ranges, as ``{"lower", "upper", "bounds"}``, and
search vectors (read-only text).

    RangeSerializerField(model_field=Event._meta.get_field("ages"))
    # reads NumericRange(1, 10) as {"lower": 1, "upper": 10, "bounds": "[)"}; writes that, or [1, 10], or null

Arrays (DRF's ``ListField``) and hstore (DRF's ``HStoreField``) are mapped by DRF itself.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

__all__ = ["RANGE_SCHEMA", "RangeSerializerField", "SearchVectorSerializerField", "serializer_field_mapping"]

RANGE_SCHEMA: dict[str, Any] = {
    "type": "object", "nullable": True,
    "properties": {"lower": {"nullable": True}, "upper": {"nullable": True},
                   "bounds": {"type": "string", "enum": ["[)", "(]", "()", "[]"]}},
    "description": 'A range: {"lower": low, "upper": high, "bounds": "[)"}; a null bound is unbounded.',
}
BOUNDS = ("[)", "(]", "()", "[]")
# The type of a bound -> the DRF field that writes it as the rest of the API does.
_BOUND_FIELDS: list[tuple[type, serializers.Field]] = [
    (datetime.datetime, serializers.DateTimeField()),
    (datetime.date, serializers.DateField()),
    (decimal.Decimal, serializers.DecimalField(max_digits=None, decimal_places=None)),
]


def _bound(value: Any) -> Any:
    for klass, field in _BOUND_FIELDS:
        if isinstance(value, klass):
            return field.to_representation(value)
    return value


class RangeSerializerField(serializers.Field):
    """A range column; an empty range reads as ``{"lower": null, "upper": null, "bounds": "empty"}``."""

    default_error_messages = {
        "invalid": 'Expected a range: {{"lower": low, "upper": high, "bounds": "[)"}} or [low, high], not '
                   "{given}.",
        "bound": "The {end} bound {value} is not valid: {reason}",
    }

    def __init__(self, *, model_field: Any, **kwargs: Any) -> None:
        self.model_field = model_field
        super().__init__(**kwargs)
        self._spectacular_annotation = {"field": RANGE_SCHEMA, "field_component_name": None}

    def to_representation(self, value: Any) -> Any:
        if getattr(value, "isempty", False):
            return {"lower": None, "upper": None, "bounds": "empty"}
        return {"lower": _bound(value.lower), "upper": _bound(value.upper), "bounds": value.bounds}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, list) and len(data) == 2:
            data = {"lower": data[0], "upper": data[1]}
        if not isinstance(data, dict) or not set(data) <= {"lower", "upper", "bounds"} or \
                data.get("bounds", "[)") not in BOUNDS:
            self.fail("invalid", given=str(data)[:80])
        base = self.model_field.base_field
        values = []
        for end in ("lower", "upper"):
            raw = data.get(end)
            try:
                value = None if raw is None else base.to_python(raw)
                if value is not None:
                    base.run_validators(value)  # the column's own range: an integer beyond it is no bound
                values.append(value)
            except (DjangoValidationError, TypeError, ValueError, decimal.InvalidOperation) as error:
                reason = "; ".join(error.messages) if isinstance(error, DjangoValidationError) else str(error)
                self.fail("bound", end=end, value=repr(raw)[:40], reason=reason)
        lower, upper = values
        if lower is not None and upper is not None and lower > upper:
            self.fail("bound", end="lower", value=repr(data.get("lower"))[:40], reason="it is above the upper one.")
        return self.model_field.range_type(lower, upper, data.get("bounds", "[)"))


class SearchVectorSerializerField(serializers.ReadOnlyField):
    """A search vector, as its text (``'cat':1 'dog':2``): the database computes it (``SearchVector``, a
    trigger), clients read it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        for name in ("required", "allow_null", "validators", "default"):
            kwargs.pop(name, None)
        super().__init__(**kwargs)
        self._spectacular_annotation = {"field": {"type": "string", "readOnly": True, "nullable": True},
                                        "field_component_name": None}

    def to_representation(self, value: Any) -> Any:
        return None if value is None else str(value)


def serializer_field_mapping() -> dict[type, type[serializers.Field]]:
    """Model field class -> serializer field class, for the PostgreSQL columns DRF leaves to ``ModelField``."""
    try:
        from django.contrib.postgres.fields import RangeField
        from django.contrib.postgres.search import SearchVectorField
    except ImportError:  # no psycopg: no ranges
        return {}
    return {RangeField: RangeSerializerField, SearchVectorField: SearchVectorSerializerField}
