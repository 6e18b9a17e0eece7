"""One call for a custom view: select, plan, run and shape a read, as the generated list and retrieve do.

    from cruddy_django.reads import read_rows
    data, plan = read_rows(site.get_resource("Mission"), request, Mission.objects.filter(...)[:20])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from cruddy_django.access import access_for
from cruddy_django.reads.planning import ReadPlan, plan_read

if TYPE_CHECKING:
    from cruddy_django.registry import Resource

__all__ = ["read_rows"]


def read_rows(resource: Resource, request: Any, queryset: QuerySet, *, many: bool = True,
              fast: bool = True, context: dict[str, Any] | None = None) -> tuple[Any, ReadPlan]:
    """Read ``queryset`` (already filtered, ordered and paged by the caller when ``many``; for a single row,
    filtered down to it) with the request's selection: returns the data and the plan. The selection and
    every expanded relation follow the request's access objects."""
    plan = plan_read(access_for(request, resource), fast=fast)
    objects = list(plan.queryset(request, queryset)) if many else list(plan.queryset(request, queryset)[:1])
    if not many and not objects:
        raise Http404
    return plan.to_data(request, objects, many=many, context=context), plan
