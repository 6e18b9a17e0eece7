"""The old home of the query compiler, kept so that code and settings written against the first release still work;
import from ``cruddy_django.orm.compiler`` in new code."""

from __future__ import annotations

from cruddy_django.orm.compiler import QueryCompiler

__all__ = ["QueryCompiler"]
