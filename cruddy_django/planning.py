"""The old home of read plans, kept so that code written against the first release still works; new code
uses ``cruddy_django.reads.plan_read(access_for(request, resource))``.

    from cruddy_django.planning import plan_read
    plan = plan_read(resource, request)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cruddy_django.access import access_for
from cruddy_django.reads import ReadPlan
from cruddy_django.reads import plan_read as plan_access_read

if TYPE_CHECKING:
    from cruddy_django.registry import Resource

__all__ = ["ReadPlan", "plan_read"]


def plan_read(resource: Resource, request: Any, *, fast: bool = True) -> ReadPlan:
    """Parse and validate the request's selection on ``resource`` and plan its read."""
    return plan_access_read(access_for(request, resource), fast=fast)
