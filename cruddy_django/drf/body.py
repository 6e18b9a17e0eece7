"""Query parameters that may also travel in a GET body, as Plateforme sends its queries.

    GET /api/missions/  {"filter": {"crew.lead.id": "in~1,2"}, "include": {...}, "page": 2}
    body = get_body_query(request)   # {} when there is no body; a 400 when it is not a JSON object

Query-string parameters and body keys combine; readers decide how (filters AND together).
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.request import Request

from cruddy_django.conf import cruddy_settings
from cruddy_django.query import QueryError, QueryLimits, load_json
from cruddy_django.query.parameters import BODY_QUERY_KEYS

__all__ = ["get_body_query", "query_limits", "remember_body_query"]

_CACHE_ATTRIBUTE = "_cruddy_body_query"


def query_limits() -> QueryLimits:
    """The site's bounds on one request's query (``CRUDDY_DJANGO["QUERY_LIMITS"]``)."""
    return QueryLimits(**cruddy_settings.QUERY_LIMITS)


def get_body_query(request: Request) -> dict[str, Any]:
    """The JSON object sent as the body of a GET (or HEAD) request, or ``{}``; cached on the request."""
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    body: dict[str, Any] = {}
    if request.method in {"GET", "HEAD"}:
        raw = request._request.body if hasattr(request, "_request") else b""
        if raw.strip():
            try:
                parsed = load_json(raw.decode("utf-8", "replace"), query_limits(), param="body")
            except QueryError as error:
                raise ParseError(f"The request body is not valid JSON: {error.message}") from None
            if not isinstance(parsed, dict):
                raise ParseError("The body of a GET must be a JSON object of query keys.")
            unknown = sorted(set(parsed) - BODY_QUERY_KEYS)
            if unknown:
                raise ParseError(
                    f"Unknown key(s) in the request body: {', '.join(unknown)}; "
                    f"use {', '.join(sorted(BODY_QUERY_KEYS))}."
                )
            body = parsed
    setattr(request, _CACHE_ATTRIBUTE, body)
    return body


def remember_body_query(request: Request, keys: dict[str, Any]) -> None:
    """Hand query keys that came in the body of a write (Plateforme's envelope: ``include``, ``filter``)
    to the readers, which then see them as if they came in a GET body."""
    setattr(request, _CACHE_ATTRIBUTE, {**(getattr(request, _CACHE_ATTRIBUTE, None) or {}), **keys})
