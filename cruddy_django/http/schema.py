"""OpenAPI for the collection writes and relation routes: distinct operation ids and a typed, enumerated
``relation`` path parameter, so the generated schema stays free of warnings.

    PUT /api/assets/rockets/                 -> operationId "assets_rockets_upsert"
    GET /api/staff/crews/{id}/{relation}/    -> "staff_crews_relation_list", relation: astronauts, lead...
    (used as the ``schema`` of every generated viewset through ``BulkWriteMixin``)
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from cruddy_django.registry.options import EXTRA_ACTIONS

__all__ = ["ResourceWriteSchema"]



class ResourceWriteSchema(AutoSchema):
    def get_operation_id(self) -> str:
        action = getattr(self.view, "action", None)
        if action in EXTRA_ACTIONS:
            tokens = [token.replace("-", "_") for token in self._tokenize_path()]
            return "_".join([*tokens, action])
        return super().get_operation_id()

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        action = getattr(self.view, "action", "") or ""
        resource = getattr(self.view, "resource", None)
        if action.startswith("relation_") and resource is not None:
            names = sorted(name for name, info in resource.options.graph.fields.items()
                           if info.relation and resource.related_resource(info) is not None
                           and name not in resource.options.disable)
            parameters.append(OpenApiParameter(
                "relation", str, OpenApiParameter.PATH, enum=names or None,
                description="A relation of the row; writes (PUT replace, POST add, DELETE remove) take a "
                            "JSON array of pks and apply to to-many relations only."))
        return parameters
