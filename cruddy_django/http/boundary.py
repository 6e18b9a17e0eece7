"""What every view of a site does at its edge: a request id, a body that is read or refused, JSON for every
error that escapes the view, and the logs.

    re_path(r"^$", site_view(APIRootView.as_view(site=site)))     # build_urlpatterns wraps every view

- Each response carries ``X-Request-ID`` (the one sent by the client or proxy, or a new one).
- A body sent without ``Content-Length`` (``Transfer-Encoding: chunked``) is read when the server says the
  input ends with it (ASGI, or WSGI's ``wsgi.input_terminated``, as gunicorn sets), else refused with a 411:
  never silently taken for an empty body. A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413.
- An exception that escapes the view (DRF gives up on those it does not know, and the transaction of a write
  is opened outside DRF's handler) becomes a JSON 503 with ``Retry-After`` when the database is unavailable,
  else a JSON 500 naming the request id; the traceback goes to ``cruddy_django.errors`` and
  ``got_request_exception`` is sent, as Django's own handler does, so error trackers still see it.
- Queries slower than ``SLOW_QUERY_MS`` are logged on ``cruddy_django.queries``; every request on
  ``cruddy_django.requests``.
"""

from __future__ import annotations

import functools
import logging
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.handlers.wsgi import LimitedStream
from django.core.signals import got_request_exception
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status

from cruddy_django.conf import cruddy_settings
from cruddy_django.exceptions import DatabaseUnavailable, PayloadTooLarge, database_unavailable
from cruddy_django.logs import (
    REQUEST_ID_HEADER,
    error_logger,
    query_logger,
    request_id,
    request_logger,
    start_request,
    user_label,
)

__all__ = ["error_response", "log_database_unavailable", "not_found", "site_view"]

View = Callable[..., HttpResponse]


def error_response(status_code: int, detail: str, *, request_id: str | None = None,
                   headers: dict[str, str] | None = None, **extra: Any) -> JsonResponse:
    """A JSON error in DRF's shape (``{"detail": ...}``), with the request id when there is one."""
    body: dict[str, Any] = {"detail": detail, **extra}
    if request_id is not None:
        body["request_id"] = request_id
    return JsonResponse(body, status=status_code, headers=headers)


@csrf_exempt  # a POST to an unknown URL is a 404, not the CSRF middleware's HTML 403
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """The last pattern of a site: an unknown URL under the API root is a JSON 404, not Django's page."""
    return error_response(status.HTTP_404_NOT_FOUND,
                          f"No API route matches {request.path!r}; GET the API root for the list of URLs.")


def site_view(view: View) -> View:
    """Wrap a view of a site with the request id, the body check, JSON errors and the logs."""

    @functools.wraps(view)  # keeps csrf_exempt, and DRF's cls/initkwargs/actions that the schema reads
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        started = time.perf_counter()
        identifier = start_request(request)
        try:
            response = _refuse_unframed_body(request, identifier)
            if response is None:
                with _slow_queries_logged(request, identifier):
                    response = view(request, *args, **kwargs)
        except Exception as exc:
            response = _escaped_exception_response(request, exc, identifier)
        data = getattr(response, "data", None)  # a DRF Response, not rendered yet
        if response.status_code >= 500 and isinstance(data, dict):
            data.setdefault("request_id", identifier)
        response[REQUEST_ID_HEADER] = identifier
        _log_request(request, response, identifier, started)
        return response

    return wrapped


# -- bodies without Content-Length -------------------------------------------------------------------------
def _refuse_unframed_body(request: HttpRequest, identifier: str) -> HttpResponse | None:
    """Read a chunked body where the server allows it and give it its length (DRF reads a body only when
    ``CONTENT_LENGTH`` says there is one); otherwise refuse the request, naming the reason."""
    meta = request.META
    if "HTTP_TRANSFER_ENCODING" not in meta or meta.get("CONTENT_LENGTH"):
        return None
    if "wsgi.input" in meta:  # WSGI: Django read nothing (no length); the input may go on forever
        if not meta.get("wsgi.input_terminated"):
            return error_response(
                status.HTTP_411_LENGTH_REQUIRED,
                "This server cannot read a request body without Content-Length (Transfer-Encoding: chunked); "
                "send the Content-Length header.", request_id=identifier)
        # Django's WSGIRequest keeps its input in _stream; the server ends this one with the body. Reading
        # one byte past the limit tells a body over it.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        stream = LimitedStream(meta["wsgi.input"], sys.maxsize if limit is None else limit + 1)
        request._stream = stream  # type: ignore[assignment]  # Django's own type for a WSGI input
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        body = request.body
    except RequestDataTooBig:
        body = None
    if body is None or (limit is not None and len(body) > limit):  # Django 6.1 reads limit + 1 bytes, silently
        too_large = PayloadTooLarge.over_upload_limit()
        return error_response(too_large.status_code, str(too_large.detail), request_id=identifier)
    meta["CONTENT_LENGTH"] = str(len(body))
    return None


# -- exceptions that escaped the view ----------------------------------------------------------------------
def _escaped_exception_response(request: HttpRequest, exc: Exception, identifier: str) -> HttpResponse:
    got_request_exception.send(sender=None, request=request)
    if database_unavailable(exc):
        log_database_unavailable(request, exc)
        return error_response(status.HTTP_503_SERVICE_UNAVAILABLE, str(DatabaseUnavailable.default_detail),
                              request_id=identifier, headers={"Retry-After": str(cruddy_settings.RETRY_AFTER)})
    error_logger.error("500 %s %s: %s: %s [request %s]", request.method, request.path, type(exc).__name__, exc,
                       identifier, exc_info=exc,
                       extra={"request_id": identifier, "status_code": 500, "request": request})
    extra: dict[str, Any] = {}
    if settings.DEBUG:  # the developer's own machine: say what broke
        extra = {"exception": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exception(exc)}
    return error_response(status.HTTP_500_INTERNAL_SERVER_ERROR,
                          f"A server error occurred; it was logged with the request id {identifier}.",
                          request_id=identifier, **extra)


def log_database_unavailable(request: HttpRequest, exc: BaseException) -> None:
    """One WARNING on ``cruddy_django.errors`` for a 503: the database's own words, no traceback."""
    identifier = request_id(request)
    error_logger.warning("503 %s %s: the database is unavailable (%s: %s) [request %s]", request.method,
                         request.path, type(exc).__name__, str(exc).strip(), identifier,
                         extra={"request_id": identifier, "status_code": 503, "request": request})


# -- logs ----------------------------------------------------------------------------------------------------
@contextmanager
def _slow_queries_logged(request: HttpRequest, identifier: str) -> Iterator[None]:
    threshold = cruddy_settings.SLOW_QUERY_MS
    if threshold is None or not query_logger.isEnabledFor(logging.WARNING):
        yield
        return

    def timed(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            if elapsed >= threshold:
                alias = context["connection"].alias
                query_logger.warning(
                    "slow query: %.0f ms on %r during %s %s [request %s]: %s", elapsed, alias, request.method,
                    request.path, identifier, sql[:2000],
                    extra={"request_id": identifier, "duration_ms": elapsed, "sql": sql, "database": alias})

    with ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(timed))
        yield


def _log_request(request: HttpRequest, response: HttpResponse, identifier: str, started: float) -> None:
    code = response.status_code
    level = logging.ERROR if code >= 500 else logging.WARNING if code >= 400 else logging.INFO
    if not request_logger.isEnabledFor(level):
        return
    elapsed = (time.perf_counter() - started) * 1000
    request_logger.log(level, "%s %s %s %.1f ms user=%s [request %s]", request.method, request.get_full_path(),
                       code, elapsed, user_label(request), identifier,
                       extra={"request_id": identifier, "status_code": code, "duration_ms": elapsed})
