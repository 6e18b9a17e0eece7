"""The PostgreSQL-only part of the zoo (installed only when the tests run on PostgreSQL): arrays, hstore,
ranges, a search vector and case-insensitive text."""

from django.contrib.postgres.fields import (
    ArrayField,
    BigIntegerRangeField,
    DateRangeField,
    DateTimeRangeField,
    DecimalRangeField,
    HStoreField,
    IntegerRangeField,
)
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from cruddy_django import ResourceModel


class CaseInsensitiveText(models.TextField):
    """citext: text that compares without regard to case."""

    def db_type(self, connection):
        return "citext"


class PgEverything(ResourceModel):
    tags = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    scores = ArrayField(models.IntegerField(), default=list, blank=True)
    attributes = HStoreField(default=dict, blank=True)
    ages = IntegerRangeField(null=True, blank=True)
    big_ages = BigIntegerRangeField(null=True, blank=True)
    prices = DecimalRangeField(null=True, blank=True)
    dates = DateRangeField(null=True, blank=True)
    moments = DateTimeRangeField(null=True, blank=True)
    document = SearchVectorField(null=True, blank=True)
    nickname = CaseInsensitiveText(blank=True, default="")

    class Resource:
        namespace = "zoo"
        path = "pg-everything"
