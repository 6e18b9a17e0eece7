"""Checks every request passes before any dialect reads it: bounded parameters, and no NUL character
anywhere a client can put one.

    check_request_inputs(request, view.kwargs)    # in ResourceGenericViewSet.initial()
    GET /api/missions/?.name=a%00b               -> 400 {".name": ["... NUL character ..."]}

No column of any database can hold a NUL (PostgreSQL refuses it in text and JSON; SQLite would store a string
that other clients truncate), so a NUL is refused at the door, in every parameter, the URL, a GET body and a
write body, naming where it is. Every parameter's name and value are bounded by
``QUERY_LIMITS["max_param_length"]``, whichever dialect (or none) reads it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.http import Http404
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from cruddy_django.drf.body import get_body_query, query_limits
from cruddy_django.query import QueryError
from cruddy_django.query.limits import check_length, first_nul

__all__ = ["NUL", "check_request_inputs"]

NUL = "\x00"
NUL_MESSAGE = "contains a NUL character (\\u0000), which no field can hold."


def _query_items(request: Request) -> Iterator[tuple[str, str]]:
    for key in request.query_params:
        for value in request.query_params.getlist(key):
            yield key, value


def check_request_inputs(request: Request, url_kwargs: Mapping[str, Any]) -> None:
    """Refuse over-long parameters and NUL characters (400 naming the parameter; 404 for a URL segment)."""
    limits = query_limits()
    for key, value in _query_items(request):
        try:
            check_length(key, limits, param=key, what="name")
            check_length(value, limits, param=key, what="value")
        except QueryError as error:
            raise ValidationError({error.param: [error.message]}) from None
        if NUL in key or NUL in value:
            raise ValidationError({key.replace(NUL, "\\u0000"): [f"The query parameter {NUL_MESSAGE}"]})
    if any(isinstance(value, str) and NUL in value for value in url_kwargs.values()):
        raise Http404
    get_body_query(request)  # a GET body: read (and its NUL characters refused) like the query string
    if request.method not in SAFE_METHODS:
        where = first_nul(request.data)
        if where is not None:
            raise ValidationError({where or "body": [f"This value {NUL_MESSAGE}"]})
