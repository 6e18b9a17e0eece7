"""Rows loaded to be written: what Django and DRF read from each of them is loaded for the whole batch.

An update's unique-together check compares every row's stored relation (DRF reads ``instance.<fk>``), and
Django's delete collector reads each multi-table child's parent row; done row by row, both are N+1 queries.

    rows = list(for_writing(queryset))
"""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

__all__ = ["for_writing"]

# Django 6.1+: a lazy load on one row loads the same relation of every row fetched with it.
_FETCH_PEERS = getattr(models, "FETCH_PEERS", None)


def unique_set_relations(model: type[models.Model]) -> list[str]:
    """Forward relations named in a unique set over several fields: DRF reads them on every updated row."""
    meta = model._meta
    groups = [*meta.unique_together, *(constraint.fields for constraint in meta.constraints
                                       if isinstance(constraint, models.UniqueConstraint))]
    names = {name for group in groups for name in group}
    return sorted(field.name for field in meta.concrete_fields
                  if field.name in names and field.many_to_one)


def for_writing(queryset: QuerySet) -> QuerySet:
    related = unique_set_relations(queryset.model)
    if related:
        queryset = queryset.select_related(*related)
    if _FETCH_PEERS is not None:
        queryset = queryset.fetch_mode(_FETCH_PEERS)  # Django 6.1+
    return queryset
