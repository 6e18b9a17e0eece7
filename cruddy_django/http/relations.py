"""Relation routes: read a row's related rows through the related resource's own viewset, and replace,
add or remove the members of a to-many relation.

    GET    /api/staff/crews/1/astronauts/?role=pilot&page_size=5   -> the crew's astronauts, paged
    PUT    /api/staff/crews/1/astronauts/  [2, 4]    (POST adds, DELETE removes; the body is a list of pks)
    GET    /api/staff/crews/1/lead/                                 -> one astronaut, or 404

A GET runs the child resource's viewset (its scope, filters, selection, paging, serializer) on the related
rows, after the parent's ``*`` + ``retrieve`` policies and then the child's ``*`` + ``list`` policies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from rest_framework.exceptions import MethodNotAllowed, NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from cruddy_django.drf.serializers import PROTECTED_MESSAGE, through_refusal
from cruddy_django.http.generic import ResourceGenericViewSet
from cruddy_django.introspection import model_graph, verbose_names
from cruddy_django.orm.batches import chunks
from cruddy_django.orm.values import to_column_value

if TYPE_CHECKING:
    from cruddy_django.introspection import FieldInfo
    from cruddy_django.registry import Resource

__all__ = ["RelationRoutesMixin", "relation_child_class"]


def relation_child_class(viewset_class: type) -> type:
    """The related resource's viewset, narrowed to the rows of one relation by ``relation_condition``.
    Everything else (scope, filters, selection, paging) is the related resource's own."""

    def get_queryset(self: Any) -> Any:
        queryset = super(child_class, self).get_queryset()
        condition = self.relation_condition
        return queryset if condition is None else queryset.filter(condition)

    child_class: type[ResourceGenericViewSet] = type(viewset_class.__name__, (viewset_class,), {
        "relation_condition": None, "get_queryset": get_queryset, "__module__": viewset_class.__module__})
    return child_class


class RelationRoutesMixin(ResourceGenericViewSet):
    """``<pk>/<relation>/``: GET for every relation to a resource on the API; PUT, POST and DELETE for
    to-many relations."""

    def relation_field(self, request: Request, relation: str) -> tuple[FieldInfo, Resource]:
        """The relation the URL names (``rocket-parts`` or ``rocket_parts``), or a 404."""
        options = self.resource.options
        name = relation.replace("-", "_")
        info = options.graph.fields.get(name)
        child = self.resource.related_resource(info) if info is not None else None
        if info is None or child is None or name in options.disable or name not in self.access.reachable:
            raise NotFound(f"{verbose_names(self.resource.model)[1].capitalize()} have no relation "
                           f"'{relation}' on this API.")
        return info, child

    def child_view(self, child: Resource, condition: Q | None) -> Any:
        """An instance of the related resource's viewset for this request, checked against its
        ``*`` + ``list`` policies."""
        viewset_class = self.viewset_of(child)
        child_class = self.resource.site.cache.get("relation view", viewset_class,
                                                   lambda: relation_child_class(viewset_class))
        view = child_class(
            action="list", detail=False, basename=child.options.basename, request=self.request,
            format_kwarg=getattr(self, "format_kwarg", None), args=(), kwargs={},
        )
        view.relation_condition = condition
        view.headers = {}
        view.check_permissions(self.request)
        return view

    @staticmethod
    def relation_condition(info: FieldInfo, parent: Any) -> Q:
        relation = info.link
        if relation.generic is not None:  # a generic relation: rows pointing here by content type and id
            content_type = relation.generic.content_type_of(type(parent))
            return Q(**{relation.generic.content_type: content_type, relation.generic.object_id: parent.pk})
        if relation.reverse:
            if relation.remote_name is None:  # never: a reverse relation goes through a foreign key
                raise TypeError(f"The reverse relation {info.name!r} names no field on the other side.")
            return Q(**{relation.remote_name: parent.pk})
        if relation.to_many:  # forward many-to-many: the join table answers
            return Q(pk__in=getattr(parent, info.name).values("pk"))
        return Q(pk=getattr(parent, info.attname or info.name))

    # -- GET -------------------------------------------------------------------------------------------
    def relation_list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.refuse_disabled(request, "relation_list")
        info, child = self.relation_field(request, kwargs["relation"])
        parent = self.get_row()
        if not info.link.to_many and not info.link.reverse and getattr(parent, info.attname or info.name) is None:
            raise NotFound(f"This {verbose_names(self.resource.model)[0]} has no {info.name}.")
        view = self.child_view(child, self.relation_condition(info, parent))
        if info.link.to_many:
            return view.list(request)
        related_pk = view.get_queryset().values_list("pk", flat=True).first()
        if related_pk is None:
            raise NotFound(f"This {verbose_names(self.resource.model)[0]} has no {info.name}.")
        view.kwargs = {view.lookup_url_kwarg or view.lookup_field: related_pk}
        return view.retrieve(request)

    # -- PUT / POST / DELETE on to-many relations --------------------------------------------------------
    def relation_replace(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.relation_write(request, kwargs["relation"], "replace")

    def relation_add(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.relation_write(request, kwargs["relation"], "add")

    def relation_remove(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.relation_write(request, kwargs["relation"], "remove")

    def relation_write(self, request: Request, relation: str, mode: str) -> Response:
        self.refuse_disabled(request, f"relation_{mode}")
        info, child = self.relation_field(request, relation)
        if not info.link.to_many:
            raise MethodNotAllowed(str(request.method), detail=(
                f"'{info.name}' is a to-one relation: set it with PATCH on the row."))
        if info.name in self.resource.options.protected_names(creating=False):
            raise ValidationError({info.name: [PROTECTED_MESSAGE]})
        refusal = through_refusal(self.resource, info.name)
        if refusal is not None:
            raise ValidationError({info.name: [refusal]})
        parent = self.get_row()
        pks = request.data
        if not isinstance(pks, list) or any(isinstance(pk, bool | dict | list) or pk is None for pk in pks):
            raise ValidationError({info.name: ["Send a JSON array of ids, e.g. [1, 2]."]})
        self.check_bulk_size(len(pks), "ids")
        targets = self._resolve_targets(info, self.child_view(child, None), pks)
        self.get_writer().set_relation(parent, info.name, targets, mode)
        return self.relation_list(request, relation=relation, **{
            key: value for key, value in self.kwargs.items() if key != "relation"})

    def _resolve_targets(self, info: FieldInfo, view: Any, pks: list[Any]) -> list[Any]:
        """The rows the pks name, among those the related resource lets this request see; any other pk
        is a 400 that names it."""
        graph = model_graph(info.link.related_model)
        pk_field = graph.fields[graph.pk_name].model_field
        converted, bad = [], []
        for pk in pks:
            try:
                converted.append(to_column_value(pk_field, pk))
            except DjangoValidationError:
                bad.append(pk)
        found = {}
        queryset = view.get_queryset()
        for part in chunks(converted):
            found.update(queryset.in_bulk(part))
        bad += [pk for pk in converted if pk not in found]
        if bad:
            shown = ", ".join(repr(pk) if isinstance(pk, str) else str(pk) for pk in bad)
            raise ValidationError({info.name: [f"No {verbose_names(info.link.related_model)[0]} "
                                               f"with id {shown}."]})
        return [found[pk] for pk in converted]
