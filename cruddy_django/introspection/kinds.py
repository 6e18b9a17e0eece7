"""The field-kind table: model field class -> how the whole API treats the field, searched along the MRO.

    kind = kind_of_model_field(models.EmailField())
    kind.label, kind.format, kind.query       # "string", "email", "text": _meta's type, its hint, the query family
    kind.operators                            # the canonical query operators it takes (eq, like, ...)
    kind.lookups                              # the django-filter lookups, derived from the operators
    kind.openapi, kind.fake                   # the OpenAPI type, the seeding provider

Filter lookups, query operators, ``_meta`` types, OpenAPI types and seeding providers all come from this one
table, so they never disagree. A subclass of ``CharField`` is text; a custom field found nowhere is treated
as the column it declares (``get_internal_type()``); anything else cannot be filtered and shows as
``unknown``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.db.models.fields.related import ForeignObjectRel
from rest_framework.utils.field_mapping import ClassLookupDict

from cruddy_django.introspection.graph import FieldInfo

__all__ = [
    "ARRAY_OPERATORS",
    "CAST_COLUMN",
    "GENERIC_REFERENCE",
    "HSTORE_OPERATORS",
    "IDENTITY",
    "JSON_DOCUMENT",
    "JSON_KEY",
    "ORDERED",
    "PATTERNS",
    "RANGE_OPERATORS",
    "SEARCH_OPERATORS",
    "TEXT",
    "TO_MANY_RELATION",
    "ClassTable",
    "FieldKind",
    "kind_of",
    "kind_of_model_field",
]

T = TypeVar("T")

# -- canonical query operators, by family ---------------------------------------------------------------
ORDERED = ("eq", "ne", "gt", "ge", "lt", "le", "in", "nin", "null", "between")
PATTERNS = ("like", "nlike", "ilike", "nilike", "contains", "icontains", "startswith", "istartswith",
            "endswith", "iendswith")
TEXT = (*ORDERED, *PATTERNS, "regex", "match", "websearch")
IDENTITY = ("eq", "ne", "in", "nin", "null")
JSON_DOCUMENT = ("eq", "ne", "null", "contains", "contained_by", "has_key", "has_any", "has_all")
JSON_KEY = (*ORDERED, *PATTERNS, "regex", "contained_by", "has_key", "has_any", "has_all")
CAST_COLUMN = (*ORDERED, *PATTERNS)
TO_MANY_RELATION = ("eq", "in", "null")

# Canonical operator -> the django-filter lookup that does the same, for the generated FilterSets.
FILTER_LOOKUPS = {"eq": "exact", "gt": "gt", "ge": "gte", "lt": "lt", "le": "lte", "in": "in", "null": "isnull",
                  "between": "range", "contains": "contains", "icontains": "icontains",
                  "startswith": "startswith", "istartswith": "istartswith", "endswith": "endswith",
                  "iendswith": "iendswith"}


class ClassTable(ClassLookupDict):
    """DRF's ``ClassLookupDict`` (keys are classes, looked up along the MRO of a value's class), with
    ``get`` for a default instead of a KeyError."""

    def get(self, value: Any, default: T | None = None) -> Any:
        try:
            return self[value]
        except KeyError:
            return default


@dataclass(frozen=True)
class FieldKind:
    """How the API treats one class of model field."""

    label: str  # the short type of _meta ("string", "integer", ...)
    query: str | None  # the family the query language compares it as; None: it cannot be filtered
    operators: tuple[str, ...] = ()
    openapi: str = "ANY"  # the name of a drf_spectacular.types.OpenApiTypes member
    format: str | None = None  # a finer hint for clients that render inputs (the HTML input type, roughly)
    fake: str | None = None  # the seeding provider that makes values (cruddy_django.seeding.providers)
    django_filter: bool = True  # django-filter has a filter for it (it has none for JSON)

    @property
    def lookups(self) -> list[str]:
        """The django-filter lookups: those of its operators, plus ``iexact`` for text."""
        if not self.django_filter:
            return []
        lookups = [FILTER_LOOKUPS[operator] for operator in self.operators if operator in FILTER_LOOKUPS]
        if self.query == "text":
            lookups.insert(1, "iexact")
        return lookups


STRING = FieldKind("string", "text", TEXT, "STR", fake="text")
INTEGER = FieldKind("integer", "integer", ORDERED, "INT", fake="integer")
RELATION = FieldKind("relation", "relation", IDENTITY, "ANY")
TO_MANY = FieldKind("relation", "to-many relation", TO_MANY_RELATION, "ANY")
# A generic foreign key is compared through its parts: `target.type` (a resource) and `target.id`.
GENERIC_REFERENCE = FieldKind("reference", None, (), "OBJECT", format="generic", fake="generic")

KINDS = ClassTable({
    models.CharField: STRING,
    models.TextField: FieldKind("text", "text", TEXT, "STR", fake="text"),
    models.EmailField: FieldKind("string", "text", TEXT, "EMAIL", format="email", fake="email"),
    models.URLField: FieldKind("string", "text", TEXT, "URI", format="url", fake="url"),
    models.SlugField: FieldKind("string", "text", TEXT, "STR", format="slug", fake="slug"),
    models.GenericIPAddressField: FieldKind("string", "text", TEXT, "STR", format="ip", fake="ip"),
    models.FilePathField: FieldKind("string", "text", TEXT, "STR"),
    models.IntegerField: INTEGER,  # also the auto fields, small, big and positive integers
    models.FloatField: FieldKind("float", "number", ORDERED, "DOUBLE", fake="float"),
    models.DecimalField: FieldKind("decimal", "number", ORDERED, "DECIMAL", fake="decimal"),
    models.BooleanField: FieldKind("boolean", "boolean", IDENTITY, "BOOL", fake="boolean"),
    models.DateTimeField: FieldKind("datetime", "datetime", ORDERED, "DATETIME", fake="datetime"),
    models.DateField: FieldKind("date", "date", ORDERED, "DATE", fake="date"),
    models.TimeField: FieldKind("time", "time", ORDERED, "TIME", fake="time"),
    models.DurationField: FieldKind("duration", "duration", ORDERED, "STR", fake="duration"),
    models.UUIDField: FieldKind("uuid", "uuid", IDENTITY, "UUID", fake="uuid"),
    models.JSONField: FieldKind("json", "json", JSON_DOCUMENT, "ANY", fake="json", django_filter=False),
    models.BinaryField: FieldKind("binary", None, (), "BINARY", fake="binary"),
    models.FileField: FieldKind("file", None, (), "URI"),
    models.ImageField: FieldKind("file", None, (), "URI", format="image"),
    models.ForeignObject: RELATION,
    models.ManyToManyField: TO_MANY,
    ForeignObjectRel: RELATION,
})
# Django's field classes by name, for custom fields that declare the column they store in.
_BY_INTERNAL_TYPE = {klass.__name__: kind for klass, kind in KINDS.mapping.items()}

# -- PostgreSQL columns (django.contrib.postgres), where psycopg is installed ------------------------------
# Whole-column operators; paths go on into a column's parts (``tags.len``, ``tags.0``, ``ages.lower``,
# ``attributes.colour``: see ``cruddy_django.orm.postgres``).
ARRAY_OPERATORS = ("eq", "ne", "null", "contains", "contained_by", "overlap")
RANGE_OPERATORS = ("eq", "ne", "null", "contains", "contained_by", "overlap")
HSTORE_OPERATORS = ("eq", "ne", "null", "contains", "contained_by", "has_key", "has_any", "has_all")
SEARCH_OPERATORS = ("match", "websearch", "null")
try:
    from django.contrib.postgres import fields as postgres_fields
    from django.contrib.postgres.search import SearchVectorField
except ImportError:  # no psycopg: no PostgreSQL columns to describe
    pass
else:
    KINDS.mapping.update({
        postgres_fields.ArrayField: FieldKind("array", "array", ARRAY_OPERATORS, "ANY", fake="array",
                                              django_filter=False),
        postgres_fields.HStoreField: FieldKind("object", "hstore", HSTORE_OPERATORS, "OBJECT", fake="hstore",
                                               django_filter=False),
        postgres_fields.RangeField: FieldKind("range", "range", RANGE_OPERATORS, "OBJECT", fake="range",
                                              django_filter=False),
        SearchVectorField: FieldKind("search", "search", SEARCH_OPERATORS, "STR", django_filter=False),
    })


def kind_of_model_field(model_field: Any) -> FieldKind | None:
    """The kind of a model field (or of the output field of an expression); None when unknown. A
    ``GeneratedField`` is the kind of the column it generates."""
    if isinstance(model_field, models.GeneratedField):
        model_field = model_field.output_field
    kind = KINDS.get(model_field)
    if kind is None and hasattr(model_field, "get_internal_type"):
        kind = _BY_INTERNAL_TYPE.get(model_field.get_internal_type())
    return kind


def kind_of(info: FieldInfo) -> FieldKind | None:
    """The kind of a field as the API sees it: relations by their cardinality, columns by their class."""
    if info.relation:
        return TO_MANY if info.relation.to_many else RELATION
    if info.generic:
        return GENERIC_REFERENCE
    return kind_of_model_field(info.model_field)
