"""The old home of computed fields, kept so that code and settings written against the first release still work;
import from ``cruddy_django.orm.computed`` in new code."""

from __future__ import annotations

from cruddy_django.orm.computed import annotate_computed

__all__ = ["annotate_computed"]
