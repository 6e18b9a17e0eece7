"""Tables of the ``_meta`` description: model field class -> type label, format, implied bounds; validator ->
constraints; Python value -> JSON; route parameter field -> type. Each is searched along the class's MRO.

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
from collections.abc import Callable, Mapping
from typing import Any

from django.core import validators as django_validators
from django.db import models
from django.db.models.fields.related import ForeignObjectRel
from django.utils.duration import duration_string
from django.utils.functional import Promise
from rest_framework import serializers

from cruddy_django.introspection import NOT_PROVIDED, FieldInfo
from cruddy_django.validators import GreaterThanValidator, LessThanValidator

# -- tables ------------------------------------------------------------------------------------------------
# Model field class -> the stable short type label of _meta (searched along the field class's MRO).
TYPE_LABELS: dict[type, str] = {
    models.CharField: "string",
    models.TextField: "text",
    models.GenericIPAddressField: "string",
    models.IntegerField: "integer",  # also the auto fields, small, big and positive integers
    models.FloatField: "float",
    models.DecimalField: "decimal",
    models.BooleanField: "boolean",
    models.DateTimeField: "datetime",  # before DateField: DateTimeField subclasses it
    models.DateField: "date",
    models.TimeField: "time",
    models.DurationField: "duration",
    models.UUIDField: "uuid",
    models.JSONField: "json",
    models.BinaryField: "binary",
    models.FileField: "file",
    models.FilePathField: "string",
    models.ForeignObject: "relation",
    models.ManyToManyField: "relation",
    ForeignObjectRel: "relation",
}
# A finer hint for clients that render inputs: the HTML input type, roughly.
FORMATS: dict[type, str] = {
    models.EmailField: "email",
    models.URLField: "url",
    models.SlugField: "slug",
    models.GenericIPAddressField: "ip",
    models.ImageField: "image",
}
# Lower bounds implied by the field class. Django also adds the database's integer range as validators,
# but that range differs between SQLite and PostgreSQL and exceeds JavaScript's safe integers, so _meta
# reports only these and the validators the model declares.
IMPLIED_BOUNDS: dict[type, dict[str, Any]] = {
    models.PositiveIntegerField: {"min": 0},
    models.PositiveSmallIntegerField: {"min": 0},
    models.PositiveBigIntegerField: {"min": 0},
}
# Validator class -> the constraint keys it adds to a field's description.
VALIDATOR_FACTS: dict[type, Callable[[Any], dict[str, Any]]] = {
    django_validators.MinValueValidator: lambda validator: {"min": validator.limit_value},
    django_validators.MaxValueValidator: lambda validator: {"max": validator.limit_value},
    GreaterThanValidator: lambda validator: {"min": validator.limit_value, "exclusive_min": True},
    LessThanValidator: lambda validator: {"max": validator.limit_value, "exclusive_max": True},
    django_validators.MinLengthValidator: lambda validator: {"min_length": validator.limit_value},
    django_validators.MaxLengthValidator: lambda validator: {"max_length": validator.limit_value},
    django_validators.RegexValidator: lambda validator: (
        {} if validator.inverse_match else {"pattern": validator.regex.pattern}),
}
# Python value type -> how it is written in JSON (defaults, bounds, choices).
JSON_VALUES: dict[type, Callable[[Any], Any]] = {
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
}
# DRF serializer field class -> type label, for the parameters of custom routes.
PARAMETER_TYPES: dict[type, str] = {
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
}
# Python type of a Literal[...] parameter's values -> type label.
CHOICE_TYPES: dict[type, str] = {bool: "boolean", int: "integer", float: "float", str: "string"}
CALLABLE_MARKER = "$callable"


def mro_lookup(table: Mapping[type, Any], klass: type, default: Any = None) -> Any:
    for base in klass.__mro__:
        if base in table:
            return table[base]
    return default


def to_json(value: Any) -> Any:
    """A value as JSON would show it, whatever Python type it has (unknown types as text)."""
    return mro_lookup(JSON_VALUES, type(value), str)(value)


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


_INTERNAL_TYPE_LABELS = {klass.__name__: label for klass, label in TYPE_LABELS.items()}


def type_label(model_field: Any, internal_type: str = "") -> str:
    """The short type of a model field: by class along the MRO, then by ``get_internal_type()`` (custom
    fields usually declare the column they store in), else ``unknown``."""
    label = mro_lookup(TYPE_LABELS, type(model_field))
    return label or _INTERNAL_TYPE_LABELS.get(internal_type, "unknown")


def constraints(info: FieldInfo) -> dict[str, Any]:
    """``min``/``max`` and friends from the field class and the validators the model declares."""
    facts: dict[str, Any] = {"min": None, "max": None}
    facts.update(mro_lookup(IMPLIED_BOUNDS, type(info.model_field), {}))
    # `_validators` holds only the declared ones: `validators` adds the database's storage range (see above).
    declared = getattr(info.model_field, "_validators", info.validators)
    for validator in declared:
        fact = mro_lookup(VALIDATOR_FACTS, type(validator))
        if fact is None or callable(getattr(validator, "limit_value", None)):
            continue
        facts.update({key: to_json(value) for key, value in fact(validator).items()})
    return facts
