"""Writes of many rows in one request: array create, upsert, filtered update and delete, dry runs.

    POST   /api/assets/materials/   [{...}, {...}]                 -> 201, the created rows in order
    PUT    /api/assets/rockets/     {"payload": {...}, "dry_run": true, "on_conflict": "skip"}
    PATCH  /api/assets/rockets/?code__endswith=2  {"description": null};  DELETE ...?code__endswith=2

Every request is one transaction (see ``viewsets``): all rows are written or none, and errors name the index
of the failing item and its field. A dry run does everything in a savepoint, answers, and rolls it back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from django.db import connections, transaction
from django.db.models import NOT_PROVIDED, Prefetch, QuerySet
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from cruddy_django.access import has_own_chain
from cruddy_django.drf.bulk import UNIQUE_BY_DATABASE, item_errors
from cruddy_django.drf.serializers import has_custom_save
from cruddy_django.http.generic import ResourceGenericViewSet
from cruddy_django.http.reads import SERIALIZER_HOOKS
from cruddy_django.http.schema import ResourceWriteSchema
from cruddy_django.orm.batches import chunks
from cruddy_django.reads.hops import related_queryset
from cruddy_django.writes.envelope import BadRequest, WriteBody, read_delete_flags, read_write_body
from cruddy_django.writes.nested import NestedWrite
from cruddy_django.writes.upsert import conflict_target, match_items, refetch_by_key, refuse_keyless, sent_columns
from cruddy_django.writes.writer import RowWriter

__all__ = ["BulkWriteMixin"]


class BulkWriteMixin(ResourceGenericViewSet):
    """The collection-level writes of the HTTP contract, and the single-row writes routed through the
    same ``RowWriter`` so both paths behave the same."""

    schema = ResourceWriteSchema()

    # -- helpers (the writer and the checks of every write are ResourceGenericViewSet's) ---------------
    def require_filter(self, request: Request) -> None:
        if not self.has_filter(request):
            raise BadRequest(
                f"{request.method} on the collection applies to every row a filter selects, and this request "
                "has no filter; add one (e.g. ?code__icontains=...). To touch every row, use a filter that "
                "matches them all."
            )

    def matched_rows(self, queryset: QuerySet) -> list[Any]:
        rows = list(queryset[: self.max_bulk + 1])
        if len(rows) > self.max_bulk:
            raise BadRequest(f"The filter matches more than {self.max_bulk} rows, the most one request may "
                             "change (max_bulk); narrow the filter.")
        return rows

    @contextmanager
    def dry_run(self, active: bool) -> Iterator[None]:
        """Run the block in a savepoint that is always rolled back when ``active``."""
        if not active:
            yield
            return
        with transaction.atomic(using=self.db_alias):
            yield
            connection = connections[self.db_alias]
            if connection.vendor == "postgresql":  # deferred foreign keys would only fail at commit
                connection.check_constraints()
            transaction.set_rollback(True, using=self.db_alias)

    def represent(self, rows: Sequence[Any], *, new: Sequence[Any] = (), reload: bool = True
                  ) -> list[dict[str, Any]]:
        """Rows as a GET would show them, with the request's selection (``fields``, ``exclude``, ``expand``, an
        envelope's ``include``): read again through the read plan, so stored values show (columns an upsert
        kept, computed fields, related rows). Rows in ``new`` get ``id: null`` (a dry run's rows that would
        be created). A view whose ``get_serializer`` is its own serializes the rows in hand (``reload=False``)
        or read again."""
        if "get_serializer" in self.user_overrides(SERIALIZER_HOOKS):
            data = self._represent_with_serializer(rows, reload=reload)
        else:
            data = self.read_plan().rows_data(self.request, self.get_queryset(), rows,
                                              context=self.get_serializer_context())
        data = [dict(item) for item in data]
        new_ids = {id(row) for row in new}
        for row, item in zip(rows, data, strict=True):
            if id(row) in new_ids and "id" in item:
                item["id"] = None
        return data

    def members_prefetch(self, name: str) -> Prefetch:
        """The members of a to-many relation that this request may see, for the rows a write shows."""
        info = self.resource.options.graph.fields[name]
        target = self.resource.related_resource(info)
        return Prefetch(name, queryset=related_queryset(self.request, target, info.link.related_model))

    def _represent_with_serializer(self, rows: Sequence[Any], *, reload: bool) -> Any:
        options = self.resource.options
        to_many = [name for name, info in options.exposed_fields.items()
                   if info.relation and info.relation.to_many]
        fresh = list(rows)
        if reload or to_many or options.computed:
            stored = {}
            queryset = self.get_queryset().prefetch_related(*(self.members_prefetch(name) for name in to_many))
            for part in chunks([row.pk for row in rows]):
                stored.update({row.pk: row for row in queryset.filter(pk__in=part)})
            fresh = [stored.get(row.pk, row) for row in rows]
        return self.get_serializer(fresh, many=True).data

    def _has_database_defaults(self) -> bool:
        return any(info.model_field is not None and getattr(info.model_field, "db_default", NOT_PROVIDED)
                   is not NOT_PROVIDED for info in self.resource.options.graph.forward_fields)

    def write_response(self, body: WriteBody, data: list[dict[str, Any]], *, status_code: int,
                       shape: str = "auto") -> Response:
        """``shape`` "one" or "list"; "auto" answers a bare object with an object, and an array or
        Plateforme's envelope with a list, as Plateforme does."""
        if not body.return_result:
            return Response(status=status.HTTP_204_NO_CONTENT)
        if shape == "auto":
            shape = "list" if body.many or body.envelope else "one"
        return Response(data[0] if shape == "one" else data, status=status_code)

    def validate_many(self, items: list[Any], *, instances: Sequence[Any] | None = None,
                      partial: bool = False, unique_by_database: Sequence[str] = ()
                      ) -> tuple[list[dict[str, Any]], list[Any]]:
        """Validate items as one array; returns the validated data and each item's serializer (for a
        custom ``serializer_class``) — errors keyed by index. Uniqueness of ``unique_by_database`` is
        left to the database (an upsert's ``ON CONFLICT``)."""
        context = {**self.get_serializer_context(), UNIQUE_BY_DATABASE: tuple(unique_by_database)}
        serializer = self.get_serializer(data=items, many=True, partial=partial, context=context)
        if hasattr(serializer, "item_instances") and not has_custom_save(serializer):
            serializer.item_instances = instances
            serializer.is_valid(raise_exception=True)
            return list(serializer.validated_data), []
        children, errors = [], {}
        for index, item in enumerate(items):
            child = self.get_serializer(instances[index] if instances else None, data=item, partial=partial)
            if not child.is_valid():
                errors[index] = child.errors
            children.append(child)
        if errors:
            raise item_errors(errors)
        return [child.validated_data for child in children], children

    def nested_write(self) -> NestedWrite:
        """The nested write of this request: each related row passes its own resource's policies, as its own
        viewset would check them."""

        def allowed(resource: Any, action: str, obj: Any) -> bool:
            method = "POST" if action == "create" else "PATCH"
            return self.rights_of(resource).allowed(action, method, detail=obj is not None, obj=obj)

        return NestedWrite(self.resource.site, self.request, context=self.get_serializer_context(), allowed=allowed,
                           using=self.db_alias, max_rows=self.max_bulk)

    # -- single-row writes go through the writer too ---------------------------------------------------
    def perform_create(self, serializer: Any) -> None:
        writer = self.get_writer()
        if has_custom_save(serializer):
            stamp: dict[str, Any] = {}
            writer.stamp(stamp, creating=True)
            serializer.save(**stamp)
        elif isinstance(serializer, serializers.ListSerializer):
            items = list(serializer.validated_data)
            serializer.instance = writer.create(items, item_indexes=range(len(items)))
        else:
            serializer.instance = writer.create([serializer.validated_data])[0]

    def perform_update(self, serializer: Any) -> None:
        writer = self.get_writer()
        if has_custom_save(serializer):
            stamp: dict[str, Any] = {}
            writer.stamp(stamp, creating=False)
            serializer.save(**stamp)
        else:
            writer.update([(serializer.instance, serializer.validated_data)])

    def perform_destroy(self, instance: Any) -> None:
        self.get_writer().delete([instance])

    # -- POST: one object or an array --------------------------------------------------------------------
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = read_write_body(request)
        if body.many:
            self.check_bulk_size(len(body.payload))
        with self.dry_run(body.dry_run):
            nested = self.nested_write()
            if nested.applies(self.resource, body.items):
                rows = nested.save(self.resource, body.items, many=body.many)
                reload = True  # related rows were written too
            else:
                serializer = self.get_serializer(data=body.payload, many=body.many)
                serializer.is_valid(raise_exception=True)
                self.perform_create(serializer)
                rows = list(serializer.instance or ()) if body.many else [serializer.instance]
                # Inserted rows hold what was written, except what the database filled in itself.
                reload = self._has_database_defaults()
            new = rows if body.dry_run else ()
            data = self.represent(rows, new=new, reload=reload)
        created = status.HTTP_200_OK if body.dry_run else status.HTTP_201_CREATED
        return self.write_response(body, data, status_code=created)

    # -- PUT/PATCH on one row: the envelope and dry runs too -------------------------------------------
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        body = read_write_body(request, allow_many=False)
        instance = self.get_object()
        with self.dry_run(body.dry_run):
            nested = self.nested_write()
            if nested.applies(self.resource, body.items):
                nested.save(self.resource, body.items, instances=[instance], partial=partial)
            else:
                serializer = self.get_serializer(instance, data=body.payload, partial=partial)
                serializer.is_valid(raise_exception=True)
                self.perform_update(serializer)
            data = self.represent([instance])
        return self.write_response(body, data, status_code=status.HTTP_200_OK, shape="one")

    # -- DELETE one row ----------------------------------------------------------------------------------
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return_result, dry_run = read_delete_flags(request)
        instance = self.get_object()
        with self.dry_run(dry_run):
            data = self.represent([instance])[0] if return_result else None
            self.perform_destroy(instance)
        if return_result:
            return Response(data)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # -- PUT on the collection: upsert -------------------------------------------------------------------
    def upsert(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.refuse_disabled(request, "upsert", "create", "update")
        if not has_own_chain(self.resource.options.policies, "upsert"):
            # An upsert also inserts: without its own chain, the create chain must pass as well as update's.
            for permission in self.access.policy_classes("create"):
                instance = permission()
                if not instance.has_permission(request, self):
                    self.permission_denied(request, message=getattr(instance, "message", None),
                                           code=getattr(instance, "code", None))
        body = read_write_body(request)
        items = body.items
        self.check_bulk_size(len(items))
        with self.dry_run(body.dry_run):
            rows, new = self.perform_upsert(items, body.on_conflict)
            data = self.represent(rows, new=new if body.dry_run else ())
        return self.write_response(body, data, status_code=status.HTTP_200_OK)

    def perform_upsert(self, items: list[Any], on_conflict: str) -> tuple[list[Any], list[Any]]:
        """Write the items; returns the rows to show (payload order; skipped rows left out) and the new
        rows among them."""
        refuse_keyless(self.resource, items)
        plan = match_items(self.resource, self.request, self.get_queryset(), items)
        if plan.errors:
            raise item_errors(plan.errors)
        nested = self.nested_write()
        if nested.applies(self.resource, items):  # matched items update their rows, the others are created
            chosen = [index for index, row in enumerate(plan.rows) if row is None or on_conflict == "update"]
            rows = nested.save(self.resource, [items[i] for i in chosen], instances=[plan.rows[i] for i in chosen],
                               partial=[plan.rows[i] is not None for i in chosen], many=True, indexes=chosen)
            return rows, [row for row, i in zip(rows, chosen, strict=True) if plan.rows[i] is None]
        updates = [index for index, row in enumerate(plan.rows) if row is not None]
        inserts = [index for index, row in enumerate(plan.rows) if row is None]
        errors: dict[int, Any] = {}
        validated: dict[int, dict[str, Any]] = {}
        writer = self.get_writer()
        target = self._conflict_target(writer)
        for indexes, partial in ((updates, True), (inserts, False)):
            if not indexes or (partial and on_conflict == "skip"):
                continue
            try:
                # A key that a concurrent request inserts after the match is the database's to resolve.
                data, _children = self.validate_many(
                    [items[i] for i in indexes], partial=partial,
                    instances=[plan.rows[i] for i in indexes] if partial else None,
                    unique_by_database=() if partial or target is None else target)
            except ValidationError as error:
                by_index = cast("dict[int, Any]", error.detail)  # validate_many's errors: item_errors
                errors.update({indexes[sub]: detail for sub, detail in by_index.items()})
            else:
                validated.update(zip(indexes, data, strict=True))
        if errors:
            raise item_errors(dict(sorted(errors.items())))

        if on_conflict == "update" and updates:
            writer.update([(plan.rows[i], validated[i]) for i in updates])
        created = self._insert_upserted(writer, [(i, validated[i]) for i in inserts], on_conflict)
        result = {**({} if on_conflict == "skip" else {i: plan.rows[i] for i in updates}), **created}
        return [result[i] for i in sorted(result)], list(created.values())

    def _conflict_target(self, writer: RowWriter) -> tuple[str, ...] | None:
        """The unique columns an ``INSERT ... ON CONFLICT`` may resolve races on, or None when rows must
        be inserted plainly (row-by-row saves, a scope that the database cannot see, no backend support);
        a race then ends in a 409."""
        target = conflict_target(self.resource)
        if target is None or writer.per_row or self.resource.options.scope is not None:
            return None
        return target if connections[self.db_alias].features.supports_update_conflicts_with_target else None

    def _insert_upserted(self, writer: RowWriter, pending: list[tuple[int, dict[str, Any]]],
                         on_conflict: str) -> dict[int, Any]:
        """Insert new items. Where the database can resolve a race on the key (``ON CONFLICT``), a row
        that a concurrent request inserted meanwhile is updated (or skipped) instead of duplicated."""
        target = self._conflict_target(writer) or ()  # none: every row is inserted plainly
        safe = bool(target)
        groups: dict[Any, list[tuple[int, dict[str, Any]]]] = {}
        for index, data in pending:
            sent = sent_columns(self.resource, data)
            key = sent if safe and set(target) <= sent else None
            groups.setdefault(key, []).append((index, data))
        created: dict[int, Any] = {}
        for sent, group in groups.items():
            if sent is not None:  # one insertion order for every request, so racing upserts cannot deadlock
                group.sort(key=lambda pair: tuple(str(getattr(pair[1].get(name), "pk", pair[1].get(name)))
                                                  for name in target))
            rows = [data for _index, data in group]
            if sent is None:
                instances = writer.create(rows, item_indexes=[index for index, _data in group])
            else:
                graph = self.resource.options.graph
                update_fields = sorted(sent - set(target) - {graph.pk_name})
                skip = on_conflict == "skip" or not update_fields
                instances = writer.create(rows, unique_fields=target, update_fields=update_fields,
                                          item_indexes=[index for index, _data in group],
                                          ignore_conflicts=skip)
                refetch_by_key(self.resource, instances, target)
            created.update({index: instance for (index, _data), instance in zip(group, instances,
                                                                                 strict=True)})
        return created

    # -- PATCH and DELETE on the collection: every row the filter selects ----------------------------------
    def bulk_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.refuse_disabled(request, "bulk_update", "partial_update")
        body = read_write_body(request, allow_many=False)
        if self.nested_write().applies(self.resource, body.items):
            raise BadRequest("A filtered PATCH sets the same fields on every row it matches; related rows are "
                             "written by POST, by PUT on the collection, or by PUT or PATCH on one row.")
        self.require_filter(request)
        rows = self.matched_rows(self.filter_queryset(self.get_queryset()))
        with self.dry_run(body.dry_run):
            try:
                validated, children = self.validate_many([body.payload] * len(rows), instances=rows,
                                                         partial=True)
            except ValidationError as error:
                raise ValidationError(_errors_by_row(rows, cast("dict[int, Any]", error.detail))) from None
            if children:
                for child in children:
                    self.perform_update(child)
            else:
                self.get_writer().update(list(zip(rows, validated, strict=True)))
            data = self.represent(rows)
        return self.write_response(body, data, status_code=status.HTTP_200_OK, shape="list")

    def bulk_destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.refuse_disabled(request, "bulk_destroy", "destroy")
        return_result, dry_run = read_delete_flags(request)
        self.require_filter(request)
        rows = self.matched_rows(self.filter_queryset(self.get_queryset()))
        with self.dry_run(dry_run):
            data = self.represent(rows) if return_result else None
            self.get_writer().delete(rows)
        if return_result:
            return Response(data)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _errors_by_row(rows: Sequence[Any], errors: dict[int, Any]) -> Any:
    """The same payload failed on matched rows: one error when it failed alike everywhere, else keyed
    ``id=<pk>`` so the client sees which stored rows refused it."""
    details = list(errors.values())
    if len(details) == len(rows) and all(detail == details[0] for detail in details):
        return details[0]
    return {f"id={rows[index].pk}": detail for index, detail in errors.items()}
