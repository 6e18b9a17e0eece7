"""Registry errors, and the exception handler that keeps every bad request a 4xx.

    from cruddy_django.exceptions import exception_handler
    REST_FRAMEWORK = {"EXCEPTION_HANDLER": "cruddy_django.exceptions.exception_handler"}  # optional

Generated viewsets use the handler on their own; setting it globally extends it to your other views.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

__all__ = ["AlreadyRegistered", "Conflict", "NotRegistered", "StatementTimeout", "exception_handler",
           "is_statement_timeout", "translate_exception"]

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout



class AlreadyRegistered(Exception):
    """The model is already registered on this site."""


class NotRegistered(Exception):
    """The model or name is not registered on this site."""


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the data."
    default_code = "conflict"


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


def _blocking_relations(error: ProtectedError | RestrictedError) -> str:
    objects = error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
    counts: dict[str, int] = {}
    for obj in objects:
        label = str(obj._meta.verbose_name_plural)
        counts[label] = counts.get(label, 0) + 1
    return ", ".join(f"{count} {label}" for label, count in sorted(counts.items()))


def translate_exception(exc: Exception) -> Exception:
    """Map database and model errors that reach a view onto DRF exceptions with a 4xx status."""
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
