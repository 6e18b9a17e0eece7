"""Is a serializer describing the API (the OpenAPI schema, the browsable API's forms) rather than reading or
writing rows? Then fields the request may neither read nor write are left out, and relation fields offer only
rows the request may see.

    with describing(request):          # the browsable API renderer, around its forms
        view.get_serializer()
    is_describing(serializer.context)  # True there, and while drf-spectacular builds the schema
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

__all__ = ["describing", "is_describing"]

_FLAG = "_cruddy_describing"


def _holder(request: Any) -> Any:
    return getattr(request, "_request", request)  # DRF's Request and Django's share the flag


@contextmanager
def describing(request: Any) -> Iterator[None]:
    holder = _holder(request)
    previous = getattr(holder, _FLAG, False)
    setattr(holder, _FLAG, True)
    try:
        yield
    finally:
        setattr(holder, _FLAG, previous)


def is_describing(context: Mapping[str, Any]) -> bool:
    """Does this serializer context describe the API: a schema view (drf-spectacular marks it
    ``swagger_fake_view``) or a form of the browsable API?"""
    if getattr(context.get("view"), "swagger_fake_view", False):
        return True
    request = context.get("request")
    return request is not None and bool(getattr(_holder(request), _FLAG, False))
