"""The ``_meta`` and ``_check`` endpoints of each collection (the site's are in ``overview``).

    GET  /api/staff/crews/_meta        -> one resource;  POST it a partial item for that item's rights
    POST /api/staff/crews/_check       -> {"item": {...}, "path": "code"} -> {"error": null | "message"}

Every answer is the user's view of the cached description (``meta.user_view``): fields the user cannot read
are absent (the access object says which), rights are evaluated for this request. A collection's ``_meta``
is guarded by the ``*`` policies (and a ``_meta`` policy when named).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from cruddy_django.http.generic import ResourceGenericViewSet
from cruddy_django.http.metadata import ResourceMetadata, user_description
from cruddy_django.meta.check import check_field, check_path, item_row, refuse_unknown, stored_row

__all__ = ["MetaMixin"]


class CheckRequestSerializer(serializers.Serializer):
    item = serializers.DictField(required=False, help_text="The partial item, as a form holds it.")
    path = serializers.CharField(help_text='The field to validate: "code" (backo\'s "$.code" also works).')


class CheckResultSerializer(serializers.Serializer):
    error = serializers.CharField(allow_null=True, help_text="null when the value is valid.")


class MetaMixin(ResourceGenericViewSet):
    """``<collection>/_meta`` (GET, or POST with a partial item) and ``<collection>/_check`` (POST), and
    ``OPTIONS`` answered from the same description."""

    metadata_class = ResourceMetadata

    @extend_schema(methods=["GET"], responses=OpenApiTypes.OBJECT,
                   description="The resource's fields, routes and the current user's rights (docs/meta.md).")
    @extend_schema(methods=["POST"], request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT,
                   description="The same, with the rights evaluated for the partial item sent as the body.")
    @action(detail=False, methods=["get", "post"], url_path="_meta", url_name="meta", name="Meta")
    def _meta(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = None
        if request.method == "POST":
            if not isinstance(request.data, Mapping):
                raise ValidationError({"detail": "The body must be a JSON object: a partial item."})
            row, _ = item_row(self.access, self.get_queryset(), request.data)
        return Response(user_description(self.resource, request, self.rights_of(self.resource), obj=row))

    @extend_schema(request=CheckRequestSerializer, responses=CheckResultSerializer,
                   description="Validate one field of a partial item as a write would (docs/meta.md).")
    @action(detail=False, methods=["post"], url_path="_check", url_name="check", name="Check")
    def _check(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = request.data
        if not isinstance(data, Mapping):
            raise ValidationError({"detail": 'The body must be a JSON object: {"item": {...}, "path": "field"}.'})
        item = data.get("item", {})
        path = data.get("path")
        if not isinstance(item, Mapping):
            raise ValidationError({"item": ["A JSON object is expected."]})
        if not isinstance(path, str) or not path.strip():
            raise ValidationError({"path": ["The name of a field is expected."]})
        path = path.strip().removeprefix("$.")
        access = self.access
        check_path(access, path)
        refuse_unknown(access, item, "item")
        stored = stored_row(access, self.get_queryset(), item)
        self.guard_check(stored)
        serializer = self.get_serializer(stored, data=dict(item))
        if not isinstance(serializer, serializers.Serializer):  # its fields and validators answer
            raise TypeError(f"_check needs a Serializer, not a {type(serializer).__name__}.")
        return Response({"error": check_field(access, serializer, item, path, stored)})

    def guard_check(self, stored: Any) -> None:
        """``_check`` answers for a create or an update: unless the resource names a ``_check`` policy,
        the user must pass the policies of that write (uniqueness answers are not for everyone)."""
        if "_check" in self.resource.options.policies:
            return
        action, method = ("update", "PUT") if stored is not None else ("create", "POST")
        if not self.rights_of(self.resource).allowed(action, method, detail=stored is not None, obj=stored):
            self.permission_denied(self.request, message=f"You may not {action} {self.resource.options.path}.")


