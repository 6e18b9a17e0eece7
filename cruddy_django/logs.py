"""The named loggers of cruddy_django, and the request id that ties their records to one request.

    LOGGING = {..., "loggers": {"cruddy_django": {"handlers": ["console"], "level": "INFO"}}}

- ``cruddy_django.errors``: every 5xx answered under the API root, with its traceback (ERROR), and health
  checks that fail (WARNING).
- ``cruddy_django.requests``: one record per request under the API root: method, path, status, time, user
  (INFO for 1xx-3xx, WARNING for 4xx, ERROR for 5xx).
- ``cruddy_django.writes``: one record per committed write (INFO): resource, action, primary keys, user.
- ``cruddy_django.queries``: each query slower than ``CRUDDY_DJANGO["SLOW_QUERY_MS"]`` (WARNING).

Each record carries ``request_id`` (also in its message), the id the client or proxy sent in
``X-Request-ID``, or one made up for the request; responses under the API root send it back in that header.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from django.utils.functional import SimpleLazyObject

__all__ = [
    "REQUEST_ID_HEADER",
    "error_logger",
    "query_logger",
    "request_id",
    "request_logger",
    "start_request",
    "user_label",
    "write_logger",
]

error_logger = logging.getLogger("cruddy_django.errors")
request_logger = logging.getLogger("cruddy_django.requests")
write_logger = logging.getLogger("cruddy_django.writes")
query_logger = logging.getLogger("cruddy_django.queries")

REQUEST_ID_HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
_ATTRIBUTE = "_cruddy_request_id"
# An id sent by a proxy or client is kept when it is short and plain (no spaces, quotes or line breaks that
# could forge log lines); anything else is replaced.
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:@+=/-]{1,128}")


def start_request(request: Any) -> str:
    """Give a Django request its id (the sent ``X-Request-ID`` when acceptable, else a new one) and return it."""
    sent = request.META.get(_META_KEY, "")
    identifier = sent if _ACCEPTED_ID.fullmatch(sent) else uuid.uuid4().hex
    setattr(request, _ATTRIBUTE, identifier)
    return identifier


def request_id(request: Any) -> str | None:
    """The id of a request (a Django ``HttpRequest`` or a DRF ``Request``), or None outside the API root."""
    if request is None:
        return None
    django_request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    return getattr(django_request, _ATTRIBUTE, None)


def user_label(request: Any) -> str:
    """Who made a request, for log lines: the username, "anonymous", or "-" when nothing authenticated it
    (the lazy user of Django's middleware is never loaded here: a log line must not query the database)."""
    user = getattr(request, "user", None) if request is not None else None
    if user is None or type(user) is SimpleLazyObject:  # DRF replaces it with the user it authenticated
        return "-"
    if not user.is_authenticated:
        return "anonymous"
    return str(user.get_username())
