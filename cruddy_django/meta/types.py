"""Tables of the ``_meta`` description: model field class -> implied bounds; validator -> constraints; Python
value -> JSON; route parameter field -> type. Each is searched along the class's MRO. A field's type label
and format come from the field-kind table (``cruddy_django.introspection.kinds``).

    type_label(models.PositiveIntegerField())      # -> "integer"
    json_default(uuid.uuid4)                        # -> {"$callable": "uuid.uuid4"}
    constraints(model_graph(Review).fields["stars"])  # -> {"min": 1, "max": 5}

Add a row to plug a new kind in (a custom field class, a validator, a value type).
"""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from typing import Any

from django.core import validators as django_validators
from django.db import models
from django.utils.duration import duration_string
from django.utils.functional import Promise
from rest_framework import serializers

from cruddy_django.introspection import NOT_PROVIDED, FieldInfo
from cruddy_django.introspection.kinds import ClassTable, kind_of_model_field
from cruddy_django.validators import GreaterThanValidator, LessThanValidator

__all__ = ["CHOICE_TYPES", "PARAMETER_TYPES", "constraints", "field_format", "json_default", "to_json",
           "type_label"]

# -- tables (the type label and format of a field come from introspection.kinds) ---------------------
# Lower bounds implied by the field class. Django also adds the database's integer range as validators,
# but that range differs between SQLite and PostgreSQL and exceeds JavaScript's safe integers, so _meta
# reports only these and the validators the model declares.
IMPLIED_BOUNDS = ClassTable({
    models.PositiveIntegerField: {"min": 0},
    models.PositiveSmallIntegerField: {"min": 0},
    models.PositiveBigIntegerField: {"min": 0},
})
# Validator class -> the constraint keys it adds to a field's description.
VALIDATOR_FACTS = ClassTable({
    django_validators.MinValueValidator: lambda validator: {"min": validator.limit_value},
    django_validators.MaxValueValidator: lambda validator: {"max": validator.limit_value},
    GreaterThanValidator: lambda validator: {"min": validator.limit_value, "exclusive_min": True},
    LessThanValidator: lambda validator: {"max": validator.limit_value, "exclusive_max": True},
    django_validators.MinLengthValidator: lambda validator: {"min_length": validator.limit_value},
    django_validators.MaxLengthValidator: lambda validator: {"max_length": validator.limit_value},
    django_validators.RegexValidator: lambda validator: (
        {} if validator.inverse_match else {"pattern": validator.regex.pattern}),
})
# Python value type -> how it is written in JSON (defaults, bounds, choices).
JSON_VALUES = ClassTable({
    bool: lambda value: value,
    enum.Enum: lambda value: to_json(value.value),
    str: str,
    int: lambda value: value,
    float: lambda value: value,
    decimal.Decimal: str,  # as DRF renders decimals: no precision lost
    datetime.datetime: lambda value: value.isoformat(),
    datetime.date: lambda value: value.isoformat(),
    datetime.time: lambda value: value.isoformat(),
    datetime.timedelta: duration_string,
    uuid.UUID: str,
    Promise: str,  # lazy translations
    type(None): lambda value: None,
    list: lambda value: [to_json(item) for item in value],
    tuple: lambda value: [to_json(item) for item in value],
    dict: lambda value: {str(key): to_json(item) for key, item in value.items()},
    bytes: lambda value: None,
})
# DRF serializer field class -> type label, for the parameters of custom routes.
PARAMETER_TYPES = ClassTable({
    serializers.BooleanField: "boolean",
    serializers.IntegerField: "integer",
    serializers.FloatField: "float",
    serializers.DecimalField: "decimal",
    serializers.DateTimeField: "datetime",
    serializers.DateField: "date",
    serializers.TimeField: "time",
    serializers.DurationField: "duration",
    serializers.UUIDField: "uuid",
    serializers.CharField: "string",
    serializers.ListField: "list",
    serializers.DictField: "object",
    serializers.JSONField: "json",
    serializers.RelatedField: "relation",
})
# Python type of a Literal[...] parameter's values -> type label.
CHOICE_TYPES: dict[type, str] = {bool: "boolean", int: "integer", float: "float", str: "string"}
CALLABLE_MARKER = "$callable"


def to_json(value: Any) -> Any:
    """A value as JSON would show it, whatever Python type it has (unknown types as text)."""
    return JSON_VALUES.get(value, str)(value)


def callable_name(function: Any) -> str:
    # methods of C types (`datetime.date.today`) carry no module of their own: their class does
    module = getattr(function, "__module__", None) or getattr(getattr(function, "__self__", None), "__module__", None)
    name = getattr(function, "__qualname__", None) or type(function).__name__
    return f"{module}.{name}" if module and module != "builtins" else name


def json_default(default: Any) -> Any:
    """A default as a client may pre-fill it; callables become the marker ``{"$callable": "uuid.uuid4"}``."""
    if default is NOT_PROVIDED:
        return None
    if callable(default):
        return {CALLABLE_MARKER: callable_name(default)}
    return to_json(default)


def type_label(model_field: Any) -> str:
    """The short type of a model field (``unknown`` for a class the kind table does not know)."""
    kind = kind_of_model_field(model_field)
    return kind.label if kind is not None else "unknown"


def field_format(model_field: Any) -> str | None:
    """A finer input hint than the type (``email``, ``url``, ``slug``, ``ip``, ``image``), if any."""
    kind = kind_of_model_field(model_field)
    return kind.format if kind is not None else None


def constraints(info: FieldInfo) -> dict[str, Any]:
    """``min``/``max`` and friends from the field class and the validators the model declares."""
    facts: dict[str, Any] = {"min": None, "max": None}
    facts.update(IMPLIED_BOUNDS.get(info.model_field, {}))
    # `_validators` holds only the declared ones: `validators` adds the database's storage range (see above).
    declared = getattr(info.model_field, "_validators", info.validators)
    for validator in declared:
        fact = VALIDATOR_FACTS.get(validator)
        if fact is None or callable(getattr(validator, "limit_value", None)):
            continue
        facts.update({key: to_json(value) for key, value in fact(validator).items()})
    return facts
