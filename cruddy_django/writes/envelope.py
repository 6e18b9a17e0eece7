"""The body of a write: a bare object or array, or Plateforme's envelope with flags around it.

    POST /api/assets/rockets/  {"payload": [{"code": "SAT-V", "name": "Saturn V"}], "dry_run": true}
    body = read_write_body(request)      # WriteBody(payload=[...], many=True, dry_run=True, envelope=True)
    body.items                           # always a list of the items to write

Flags (``dry_run``, ``return_result``, ``on_conflict``) may also be given in the query string. Query keys that
travel in an envelope (``include``, ``filter``, ...) are handed to the readers through ``params``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request

from cruddy_django.drf.body import remember_body_query
from cruddy_django.query.parameters import BODY_QUERY_KEYS, WRITE_FLAGS

__all__ = ["BadRequest", "WriteBody", "is_envelope", "parse_flag", "read_delete_flags", "read_flag",
           "read_write_body"]

FLAG_KEYS = frozenset(WRITE_FLAGS)
ENVELOPE_KEYS = frozenset({"payload"}) | FLAG_KEYS | BODY_QUERY_KEYS
ON_CONFLICT_CHOICES = ("update", "skip")
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


class BadRequest(APIException):
    """A 400 with a plain ``{"detail": "..."}`` body, for errors that belong to no single field."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Bad request."
    default_code = "bad_request"


@dataclass
class WriteBody:
    payload: Any
    many: bool
    envelope: bool = False
    dry_run: bool = False
    return_result: bool = True
    on_conflict: str = "update"

    @property
    def items(self) -> list[Any]:
        return list(self.payload) if self.many else [self.payload]


def parse_flag(name: str, value: Any) -> bool:
    """``true``/``false`` as JSON booleans or strings; anything else is a 400 naming the parameter."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValidationError({name: [f"'{name}' must be true or false, not {value!r}."]})


def _flag_source(request: Request, body: Any, name: str) -> Any:
    """The body wins over the query string when both name a flag."""
    if isinstance(body, dict) and name in body:
        return body[name]
    return request.query_params.get(name)


def read_flag(request: Request, name: str, default: bool, body: Any = None) -> bool:
    value = _flag_source(request, body, name)
    return default if value is None else parse_flag(name, value)


def is_envelope(data: Any) -> bool:
    """Plateforme's envelope: an object with ``payload`` and nothing but envelope keys. A model with a
    ``payload`` field still writes bare objects, because any other key makes the body a bare object."""
    return isinstance(data, dict) and "payload" in data and set(data) <= ENVELOPE_KEYS


def read_write_body(request: Request, *, allow_many: bool = True) -> WriteBody:
    """Read and check the body of a POST, PUT or PATCH."""
    data: Any = request.data  # what the parser made of the body: JSON of any shape, or a form's QueryDict
    envelope = is_envelope(data)
    payload = data["payload"] if envelope else data
    if hasattr(payload, "dict") and not isinstance(payload, dict):  # a QueryDict from a form post
        payload = payload.dict()
    if isinstance(payload, list):
        if not allow_many:
            raise ValidationError({"payload" if envelope else "non_field_errors": [
                "Send one object here, not a list."]})
        many = True
    elif isinstance(payload, dict):
        many = False
    else:
        raise ValidationError({"payload" if envelope else "non_field_errors": [
            f"Expected an object or a list of objects, got {type(payload).__name__}."]})
    flags = data if envelope else None
    on_conflict = _flag_source(request, flags, "on_conflict") or "update"
    if on_conflict not in ON_CONFLICT_CHOICES:
        raise ValidationError({"on_conflict": [
            f"'on_conflict' must be one of {', '.join(ON_CONFLICT_CHOICES)}, not {on_conflict!r}."]})
    if envelope:
        # Selection and filter keys of the envelope reach the readers as if sent in a GET body.
        remember_body_query(request, {key: value for key, value in data.items() if key in BODY_QUERY_KEYS})
    return WriteBody(
        payload=payload,
        many=many,
        envelope=envelope,
        dry_run=read_flag(request, "dry_run", False, flags),
        return_result=read_flag(request, "return_result", True, flags),
        on_conflict=on_conflict,
    )


def read_delete_flags(request: Request) -> tuple[bool, bool]:
    """``(return_result, dry_run)`` of a DELETE, from the query string or a JSON object body."""
    try:
        data = request.data
    except Exception:  # an unparsable body on a DELETE: treat it as absent, as most clients send none
        data = None
    body = data if isinstance(data, dict) else None
    unknown = sorted(set(body or ()) - FLAG_KEYS - BODY_QUERY_KEYS)
    if unknown:
        raise ValidationError({"non_field_errors": [
            f"Unknown key(s) in the body of a DELETE: {', '.join(unknown)}; use return_result or dry_run."]})
    if body:
        remember_body_query(request, {key: value for key, value in body.items() if key in BODY_QUERY_KEYS})
    return read_flag(request, "return_result", False, body), read_flag(request, "dry_run", False, body)
