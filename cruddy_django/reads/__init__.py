"""Reads: the selection a request asks for, its plan, and the rows built from it.

    from cruddy_django.reads import plan_read, read_rows
    rows, plan = read_rows(access_for(request, resource), queryset, many=True)   # in a custom view

``selection`` parses ``fields``/``exclude``/``expand``/``include``/``view`` against the access object;
``planning`` turns a selection into a queryset (joins, prefetches, ``.only()``) and a way to build data:
the fast path of ``rows`` (tuples into dicts) or DRF's serializers cut to the selection.
"""

from __future__ import annotations

from cruddy_django.reads.planning import ReadPlan, build_plan, plan_read
from cruddy_django.reads.read import read_rows
from cruddy_django.reads.selection import Selection, parse_selection

__all__ = ["ReadPlan", "Selection", "build_plan", "parse_selection", "plan_read", "read_rows"]
