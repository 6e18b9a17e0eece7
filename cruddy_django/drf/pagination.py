"""The list envelope: DRF-compatible, with page facts, and strict about bad paging parameters.

    GET /api/assets/rockets/?page=2&page_size=10   (or ?limit=10&offset=10)
    {"count": 42, "page": 2, "page_size": 10, "pages": 5, "next": "...", "previous": "...", "results": [...]}
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from cruddy_django.conf import cruddy_settings

__all__ = ["ResourcePagination"]


def _positive_int(request: Request, name: str, *, minimum: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [f"'{name}' must be a whole number, not {raw!r}."]}) from None
    if value < minimum:
        raise ValidationError({name: [f"'{name}' must be at least {minimum}."]})
    return value


class ResourcePagination(BasePagination):
    """Page-number paging with ``page``/``page_size``; ``limit``/``offset`` also accepted.

    The page sizes are the resource's options (``page_size``, ``max_page_size``), else this class's
    attributes, else the settings: a subclass named as ``pagination_class`` may set its own."""

    page_size: int | None = None
    max_page_size: int | None = None

    def configure(self, view: Any) -> None:
        """Read the page sizes of the view's resource."""
        options = getattr(getattr(view, "resource", None), "options", None)
        self.default_page_size = (getattr(options, "page_size", None) or type(self).page_size
                                  or cruddy_settings.PAGE_SIZE)
        self.max_page_size = (getattr(options, "max_page_size", None) or type(self).max_page_size
                              or cruddy_settings.MAX_PAGE_SIZE)

    def _read_parameters(self, request: Request) -> tuple[int, int]:
        """Return (offset, page size) from the request; backo's ``_page`` (a size) and ``_skip`` (an offset)
        are aliases of ``limit`` and ``offset``."""
        size_param = next((name for name in ("limit", "_page") if name in request.query_params), "page_size")
        page_size = _positive_int(request, size_param, minimum=1) or self.default_page_size
        if self.max_page_size is not None and page_size > self.max_page_size:  # None: no bound
            raise ValidationError(
                {size_param: [f"'{size_param}' may be at most {self.max_page_size} (got {page_size})."]}
            )
        offset_param = "_skip" if "_skip" in request.query_params else "offset"
        offset = _positive_int(request, offset_param, minimum=0)
        if offset is None:
            page = _positive_int(request, "page", minimum=1) or 1
            offset = (page - 1) * page_size
        return offset, page_size

    def paginate_queryset(
        self, queryset: QuerySet | Sequence[Any], request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        self.configure(view)
        self.offset, self.page_size = self._read_parameters(request)
        self.count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        if self.count == 0 or self.offset >= self.count:
            return []
        return list(queryset[self.offset : self.offset + self.page_size])

    @property
    def _size(self) -> int:
        """The page size of the request being paged (``page_size`` once ``paginate_queryset`` has run)."""
        if self.page_size is None:
            raise AttributeError("The page size is known once paginate_queryset() has run.")
        return self.page_size

    @property
    def page(self) -> int:
        return self.offset // self._size + 1

    @property
    def pages(self) -> int:
        return math.ceil(self.count / self._size) if self.count else 0

    def _link(self, offset: int) -> str:
        url = self.request.build_absolute_uri()
        params = self.request.query_params
        if "_skip" in params or "_page" in params:
            return replace_query_param(url, "_skip", offset)
        if "offset" in params or "limit" in params:
            return replace_query_param(url, "offset", offset)
        page = offset // self._size + 1
        return remove_query_param(url, "page") if page == 1 else replace_query_param(url, "page", page)

    def get_next_link(self) -> str | None:
        next_offset = self.offset + self._size
        return self._link(next_offset) if next_offset < self.count else None

    def get_previous_link(self) -> str | None:
        if self.offset <= 0:
            return None
        return self._link(max(self.offset - self._size, 0))

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": self.count,
                "page": self.page,
                "page_size": self.page_size,
                "pages": self.pages,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["count", "page", "page_size", "pages", "results"],
            "properties": {
                "count": {"type": "integer", "example": 42},
                "page": {"type": "integer", "example": 2},
                "page_size": {"type": "integer", "example": 10},
                "pages": {"type": "integer", "example": 5},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        self.configure(view)

        def parameter(name: str, description: str) -> dict[str, Any]:
            return {"name": name, "required": False, "in": "query", "description": description,
                    "schema": {"type": "integer"}}

        return [
            parameter("page", "Page number, from 1."),
            parameter("page_size", f"Rows per page (at most {self.max_page_size})."),
            parameter("limit", "Rows to return, instead of page_size."),
            parameter("offset", "Rows to skip, instead of page."),
        ]
