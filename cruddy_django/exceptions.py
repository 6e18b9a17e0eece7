"""Registry errors, and the exception handler that keeps every bad request a 4xx (and an unavailable
database a 503 with ``Retry-After``).

    from cruddy_django.exceptions import exception_handler
    REST_FRAMEWORK = {"EXCEPTION_HANDLER": "cruddy_django.exceptions.exception_handler"}  # optional

Generated viewsets use the handler on their own; setting it globally extends it to your other views.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from cruddy_django.conf import cruddy_settings

__all__ = [
    "AlreadyRegistered",
    "Conflict",
    "DatabaseUnavailable",
    "NotRegistered",
    "PayloadTooLarge",
    "StatementTimeout",
    "database_unavailable",
    "exception_handler",
    "is_statement_timeout",
    "translate_exception",
]


class AlreadyRegistered(Exception):
    """The model is already registered on this site."""


class NotRegistered(Exception):
    """The model or name is not registered on this site."""


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the data."
    default_code = "conflict"


QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout


class StatementTimeout(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = ("The query ran longer than the statement timeout (CRUDDY_DJANGO['STATEMENT_TIMEOUT']) and was "
                      "cancelled; narrow the filters, ask for fewer rows or expand less.")
    default_code = "statement_timeout"


def is_statement_timeout(error: BaseException) -> bool:
    """Was ``error`` (Django's ``OperationalError``) a statement cancelled by PostgreSQL's statement_timeout?"""
    cause = error.__cause__ or error
    return getattr(cause, "sqlstate", None) == QUERY_CANCELED


NOT_NULL_VIOLATION = "23502"
_SQLITE_NOT_NULL = re.compile(r"NOT NULL constraint failed: [\w.]*?(\w+)$")


def _not_null_column(error: IntegrityError) -> str | None:
    """The column a NOT NULL violation names (PostgreSQL's diagnostics, SQLite's message), else None."""
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == NOT_NULL_VIOLATION:
        return getattr(getattr(cause, "diag", None), "column_name", None)
    match = _SQLITE_NOT_NULL.search(str(error).splitlines()[0] if str(error) else "")
    return match.group(1) if match else None
class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"

    @classmethod
    def over_upload_limit(cls) -> PayloadTooLarge:
        """The 413 of a body over Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``, naming the limit."""
        return cls(f"The request body is larger than the server accepts ({settings.DATA_UPLOAD_MAX_MEMORY_SIZE} "
                   "bytes, DATA_UPLOAD_MAX_MEMORY_SIZE); split it into smaller requests.")


class DatabaseUnavailable(exceptions.APIException):
    """The database cannot be reached, is out of connections or busy: a 503 the client may retry after
    ``Retry-After`` seconds (DRF's handler sends the header from ``wait``)."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The database is unavailable; try again shortly."
    default_code = "database_unavailable"

    def __init__(self, detail: str | None = None, code: str | None = None) -> None:
        super().__init__(detail, code)
        self.wait = cruddy_settings.RETRY_AFTER


# SQLSTATE classes and codes that say the server cannot serve now: connection exceptions (08), insufficient
# resources such as too many connections (53), and a server shutting down or starting up (57P01-57P03).
_UNAVAILABLE_SQLSTATE_CLASSES = {"08", "53"}
_UNAVAILABLE_SQLSTATES = {"57P01", "57P02", "57P03"}
# SQLite primary result codes: BUSY and LOCKED (the busy timeout ran out), CANTOPEN (the file is gone).
_UNAVAILABLE_SQLITE_CODES = {5, 6, 14}
# MySQL/MariaDB: too many connections, cannot connect, server gone away, connection lost, lock wait timeout.
_UNAVAILABLE_MYSQL_CODES = {1040, 1205, 2002, 2003, 2006, 2013}


def database_unavailable(exc: BaseException) -> bool:
    """Is this error the database being unreachable, out of connections or locked, rather than a bug or a
    bad query? (A missing table or a cancelled statement is not.) Pool timeouts count: they are
    connection errors without a SQLSTATE."""
    if isinstance(exc, InterfaceError):  # the connection is closed or broken
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate:
        return sqlstate[:2] in _UNAVAILABLE_SQLSTATE_CLASSES or sqlstate in _UNAVAILABLE_SQLSTATES
    sqlite_code = getattr(cause, "sqlite_errorcode", None)
    if sqlite_code is not None:
        return sqlite_code & 0xFF in _UNAVAILABLE_SQLITE_CODES
    if type(cause).__module__.startswith(("psycopg", "psycopg2", "psycopg_pool")):
        return True  # no SQLSTATE: the server never answered (refused, unreachable, pool timeout)
    arguments: tuple[Any, ...] = tuple(getattr(cause, "args", ()))
    return bool(arguments) and arguments[0] in _UNAVAILABLE_MYSQL_CODES


def _blocking_relations(error: ProtectedError | RestrictedError) -> str:
    objects = error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
    counts: dict[str, int] = {}
    for obj in objects:
        label = str(obj._meta.verbose_name_plural)
        counts[label] = counts.get(label, 0) + 1
    return ", ".join(f"{count} {label}" for label, count in sorted(counts.items()))


def translate_exception(exc: Exception) -> Exception:
    """Map database and model errors that reach a view onto DRF exceptions with a 4xx status (a 503 when
    the database is unavailable)."""
    if database_unavailable(exc):
        return DatabaseUnavailable()
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge.over_upload_limit()
    if isinstance(exc, ProtectedError | RestrictedError):
        return Conflict(
            f"This row cannot be deleted: it is still referenced by {_blocking_relations(exc)}.",
            code="protected",
        )
    if isinstance(exc, IntegrityError):
        column = _not_null_column(exc)
        if column is not None:  # a value the request left out (row-by-row saves are not checked ahead)
            return exceptions.ValidationError({column: [
                f"The database requires a value for '{column}', and this request gives it none."]})
        message = str(exc).splitlines()[0] if str(exc) else "integrity error"
        return Conflict(f"The write conflicts with a database constraint: {message}", code="integrity")
    if isinstance(exc, OperationalError) and is_statement_timeout(exc):
        return StatementTimeout()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    return drf_exception_handler(translate_exception(exc), context)
