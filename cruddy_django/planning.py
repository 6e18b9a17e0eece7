"""The old home of read plans, kept so that code and settings written against the first release still work;
import from ``cruddy_django.reads.planning`` in new code."""

from __future__ import annotations

from cruddy_django.reads.planning import plan_read

__all__ = ["plan_read"]
