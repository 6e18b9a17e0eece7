"""Every row write of a request passes through one ``RowWriter`` method per kind: ``create``, ``update``,
``delete`` and ``set_relation``. Single-row and bulk requests share them, so they behave the same.

    writer = RowWriter(site, Material, request)
    rows = writer.create([{"code": "STEEL", "name": "Steel", "price": 12.5}, ...])   # one INSERT
    writer.update([(row, {"price": 13})]); writer.delete(rows)

A kind is written in bulk (``bulk_create``, ``bulk_update``, one DELETE) unless the model needs to see each
row: a custom ``save``/``delete``, ``pre_save``/``post_save`` receivers, multi-table inheritance. Then each
row is saved on its own, and Django's save semantics are exactly those of a single-row request.
The lifecycle signals (``cruddy_django.signals``) are sent here, once per row, in body order, whichever way
the rows are written: ``before_*`` before the statement (receivers may change the data), ``after_*`` after it.
Each call is logged on ``cruddy_django.writes`` once its transaction commits (nothing for a rollback or a
dry run): resource, action, primary keys, user and request id.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any

from django.db import connections, models, router, transaction
from django.db.models import signals
from django.db.models.fields import AutoFieldMixin
from rest_framework.exceptions import PermissionDenied, ValidationError

from cruddy_django import signals as lifecycle
from cruddy_django.access import access_for
from cruddy_django.drf.bulk import item_errors
from cruddy_django.introspection import auto_now_fields, is_multi_table_child, many_to_many_link, model_graph
from cruddy_django.logs import request_id, user_label, write_logger
from cruddy_django.orm.batches import chunks
from cruddy_django.orm.loading import for_writing
from cruddy_django.registry.models import Tracked
from cruddy_django.writes.deletion import apply_delete_strategies

if TYPE_CHECKING:
    from cruddy_django.registry import ResourceRegistry

__all__ = ["RowWriter"]


class RowWriter:
    """Writes rows of one model of a site for one request; the model's resource on that site (if any)
    decides the API-level options (delete strategies)."""

    def __init__(self, site: ResourceRegistry, model: type[models.Model], request: Any = None, *,
                 using: str | None = None) -> None:
        self.site = site
        self.model = model
        self.request = request
        self.resource = site.resource_for(model)
        self.using = using or router.db_for_write(model)
        self.graph = model_graph(model)

    def writer_for(self, model: type[models.Model]) -> RowWriter:
        """The writer of another model of the same site, for the same request and database."""
        return RowWriter(self.site, model, self.request, using=self.using)

    # -- when bulk statements would change semantics ---------------------------------------------------
    @cached_property
    def per_row(self) -> bool:
        """True when each row must go through ``Model.save()``: bulk statements skip ``save`` overrides and
        ``pre_save``/``post_save``. The lifecycle signals will add "has receivers for this model" here."""
        model = self.model
        return (
            model.save is not models.Model.save
            or signals.pre_save.has_listeners(model)
            or signals.post_save.has_listeners(model)
            or is_multi_table_child(model)
            or not connections[self.using].features.can_return_rows_from_bulk_insert
        )

    @cached_property
    def per_row_delete(self) -> bool:
        return self.model.delete is not models.Model.delete

    # -- validated data -> columns and to-many relations -----------------------------------------------
    def split(self, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        columns: dict[str, Any] = {}
        relations: dict[str, list[Any]] = {}
        for name, value in data.items():
            info = self.graph.fields.get(name)
            if info is not None and info.relation and (info.relation.to_many or info.relation.reverse):
                relations[name] = list(value)
            else:
                columns[name] = value
        return columns, relations

    def stamp(self, columns: dict[str, Any], *, creating: bool) -> None:
        """Fill the ``Tracked`` columns from the request's user; clients never set them."""
        if not issubclass(self.model, Tracked):
            return
        user = getattr(self.request, "user", None)
        user = user if user is not None and user.is_authenticated else None
        if creating:
            columns["created_by"] = user
        columns["updated_by"] = user

    # -- create ----------------------------------------------------------------------------------------
    def create(self, rows: Sequence[dict[str, Any]], *, unique_fields: Sequence[str] | None = None,
               update_fields: Sequence[str] | None = None, ignore_conflicts: bool = False,
               item_indexes: Sequence[int] | None = None) -> list[Any]:
        """Insert rows (validated data), then set their to-many relations. With ``unique_fields`` the insert
        is an upsert at the database (``ON CONFLICT``): ``update_fields`` are overwritten, or the stored row
        is left alone with ``ignore_conflicts`` (its pk then stays unset). ``item_indexes`` are the indexes
        of the rows in the request's array, for errors (None: one object, not an array)."""
        instances, relation_values = [], []
        for data in rows:
            lifecycle.before_create.send(self.model, request=self.request, data=data)
            columns, relations = self.split(data)
            self.stamp(columns, creating=True)
            instances.append(self.model(**columns))
            relation_values.append(relations)
        if not instances:
            return []
        if not self.per_row:  # a save() or pre_save receiver may still fill a column: the database decides
            self.refuse_missing_columns(instances, item_indexes)
        on_conflict = bool(unique_fields)
        if self.per_row and not on_conflict:
            for instance in instances:
                instance.save(force_insert=True, using=self.using)
        else:
            manager = self.model._default_manager.db_manager(self.using)
            if on_conflict and ignore_conflicts:
                manager.bulk_create(instances, ignore_conflicts=True)
            elif unique_fields:  # on_conflict
                manager.bulk_create(instances, update_conflicts=True, unique_fields=list(unique_fields),
                                    update_fields=[*(update_fields or ()), *self._stamped_on_update()])
            else:
                manager.bulk_create(instances)
        written = [(instance, values) for instance, values in zip(instances, relation_values, strict=True)
                   if instance.pk is not None]
        self.set_relations([item[0] for item in written], [item[1] for item in written],
                           fresh=not on_conflict)
        self.refuse_out_of_scope([item[0] for item in written], item_indexes, creating=True)
        for instance, _values in written:
            lifecycle.after_create.send(self.model, request=self.request, instance=instance)
        self.log("upsert" if on_conflict else "create", [instance.pk for instance, _values in written])
        return instances

    def refuse_out_of_scope(self, instances: Sequence[Any], item_indexes: Sequence[int] | None, *,
                            creating: bool) -> None:
        """A write may not leave a row outside the request's scope (as PostgreSQL's row-level security checks
        new rows against its policy): creating another user's row, or moving one's own out of reach, is a
        403, and the request's transaction rolls the write back."""
        if self.resource is None or self.request is None or self.resource.options.scope is None:
            return
        pks = [instance.pk for instance in instances]
        if not pks:
            return
        access = access_for(self.request, self.resource)
        inside: set[Any] = set()
        for part in chunks(pks):
            inside.update(access.scope(self.model._base_manager.using(self.using).filter(pk__in=part))
                          .values_list("pk", flat=True))
        outside = [position for position, pk in enumerate(pks) if pk not in inside]
        if not outside:
            return
        what = "create" if creating else "change"
        if item_indexes is not None and len(pks) > 1:
            items = ", ".join(str(item_indexes[position]) for position in outside)
            detail = f"Item(s) {items} would be outside the rows this request may see: you may not {what} them so."
        else:
            detail = f"The row would be outside the rows this request may see: you may not {what} it so."
        raise PermissionDenied(detail)

    @cached_property
    def required_columns(self) -> list[models.Field]:
        """Columns the database needs a value for that nothing fills in: NOT NULL, no default (in Django or
        the database), not generated, not numbered, not stamped by ``auto_now``."""
        return [field for field in self.model._meta.concrete_fields
                if not field.null and not field.has_default() and not field.has_db_default()
                and not isinstance(field, AutoFieldMixin) and not getattr(field, "generated", False)
                and not getattr(field, "auto_now", False) and not getattr(field, "auto_now_add", False)]

    def refuse_missing_columns(self, instances: Sequence[Any], item_indexes: Sequence[int] | None) -> None:
        """A 400 naming the field and the item, instead of the database's NOT NULL error."""
        errors: dict[int, dict[str, list[str]]] = {}
        for position, instance in enumerate(instances):
            missing = {field.name: [f"The database requires a value for '{field.name}', and this request "
                                    "gives it none."]
                       for field in self.required_columns if getattr(instance, field.attname) is None}
            if missing:
                errors[item_indexes[position] if item_indexes is not None else position] = missing
        if not errors:
            return
        if item_indexes is None:
            raise ValidationError(next(iter(errors.values())))
        raise item_errors(errors)

    def _stamped_on_update(self) -> list[str]:
        auto = [field.name for field in auto_now_fields(self.model)]
        return [*auto, "updated_by"] if issubclass(self.model, Tracked) else auto

    # -- update ----------------------------------------------------------------------------------------
    def update(self, pairs: Sequence[tuple[Any, dict[str, Any]]]) -> list[Any]:
        """Apply validated changes to stored rows, then replace the to-many relations they name."""
        changed: set[str] = set()
        instances, relation_values = [], []
        for instance, data in pairs:
            lifecycle.before_update.send(self.model, request=self.request, instance=instance, data=data)
            columns, relations = self.split(data)
            self.stamp(columns, creating=False)
            for name, value in columns.items():
                setattr(instance, name, value)
            changed |= set(columns)
            instances.append(instance)
            relation_values.append(relations)
        if self.per_row or len(instances) == 1:
            for instance in instances:
                instance.save(using=self.using)
        elif changed:
            for field in auto_now_fields(self.model):
                for instance in instances:
                    field.pre_save(instance, False)
                changed.add(field.name)
            self.model._default_manager.db_manager(self.using).bulk_update(instances, sorted(changed))
        self.set_relations(instances, relation_values, fresh=False)
        self.refuse_out_of_scope(instances, None, creating=False)
        for instance, data in pairs:
            lifecycle.after_update.send(self.model, request=self.request, instance=instance, changes=data)
        self.log("update", [instance.pk for instance in instances])
        return instances

    # -- delete ----------------------------------------------------------------------------------------
    def delete(self, rows: Sequence[Any]) -> None:
        """Delete rows after the resource's API-level ``on_delete`` strategies ran; Django's own
        ``on_delete`` then applies (a PROTECT or RESTRICT becomes a 409)."""
        if not rows:
            return
        for row in rows:
            lifecycle.before_delete.send(self.model, request=self.request, instance=row)
        apply_delete_strategies(self, rows)
        pks = [row.pk for row in rows]
        if self.per_row_delete:
            for row in rows:
                row.delete(using=self.using)
        else:
            for part in chunks(pks):
                for_writing(self.model._base_manager.using(self.using).filter(pk__in=part)).delete()
        for row, pk in zip(rows, pks, strict=True):
            row.pk = pk  # Model.delete() clears it; receivers still want to know which row went
            lifecycle.after_delete.send(self.model, request=self.request, instance=row)
        self.log("delete", pks)

    # -- relations -------------------------------------------------------------------------------------
    def set_relations(self, instances: Sequence[Any], values: Sequence[dict[str, list[Any]]], *,
                      fresh: bool) -> None:
        """Set the to-many relations named in each row's data. For rows just inserted, join rows of
        many-to-many relations are inserted for the whole batch at once."""
        names = {name for row_values in values for name in row_values}
        for name in sorted(names):
            link = many_to_many_link(self.graph.fields[name])
            pending = [(instance, row_values[name]) for instance, row_values in zip(instances, values,
                                                                                     strict=True)
                       if name in row_values]
            if fresh and link is not None and not signals.m2m_changed.has_listeners(link.through):
                pending = [(instance, self._before_set(instance, name, targets)) for instance, targets in pending]
                joins = [link.through(**{link.source_attname: instance.pk, link.target_attname: target.pk})
                         for instance, targets in pending for target in targets]
                link.through._default_manager.db_manager(self.using).bulk_create(joins)
                for instance, targets in pending:
                    self._after_set(instance, name, targets)
                continue
            for instance, targets in pending:
                self.set_relation(instance, name, targets, "replace", logged=False)

    def set_relation(self, instance: Any, name: str, targets: Iterable[Any], mode: str = "replace", *,
                     logged: bool = True) -> None:
        """Replace, add to or remove from one to-many relation of one row (logged, unless it is part of a
        create or update, whose own record says so)."""
        info = self.graph.fields[name]
        relation = info.link
        targets = self._before_set(instance, name, targets, mode)
        manager = getattr(instance, name)
        current = {row.pk: row for row in self.visible_members(instance, name)}
        wanted = {target.pk for target in targets}
        if mode == "replace":
            dropped = [row for pk, row in current.items() if pk not in wanted]
        elif mode == "remove":
            dropped = [row for pk, row in current.items() if pk in wanted]  # non-members: nothing to do
        else:
            dropped = []
        many_to_many = many_to_many_link(info) is not None or not relation.reverse
        if dropped:
            if many_to_many:
                manager.remove(*dropped)
            else:
                self._detach(name, manager, dropped)
        if mode != "remove":
            added = [target for target in targets if target.pk not in current]
            if added:
                manager.add(*added)
        self._after_set(instance, name, targets, mode)
        if logged:
            self.log(f"{mode}_relation", [instance.pk], relation=name, related=[target.pk for target in targets])

    # -- the log ---------------------------------------------------------------------------------------
    def log(self, action: str, pks: Sequence[Any], **details: Any) -> None:
        """One record on ``cruddy_django.writes`` for this write, sent when its transaction commits."""
        if not pks or not write_logger.isEnabledFor(logging.INFO):
            return
        label = self.resource.options.url_prefix if self.resource is not None else self.model._meta.label
        identifier = request_id(self.request)
        user = user_label(self.request)
        shown = ", ".join(map(str, pks[:20])) + (f", ... ({len(pks)} rows)" if len(pks) > 20 else "")
        suffix = "".join(f" {key}={value}" for key, value in details.items())
        transaction.on_commit(partial(
            write_logger.info, "%s %s pks=[%s]%s user=%s [request %s]", action, label, shown, suffix, user,
            identifier, extra={"resource": label, "action": action, "pks": list(pks), "user": user,
                               "request_id": identifier, **details}), using=self.using)

    def set_one(self, instance: Any, name: str, target: Any | None) -> None:
        """Make ``target`` (an existing row, or None) the one row of the reverse one-to-one ``name`` of
        ``instance``: the row there now, if it is another and the request may see it, is detached first."""
        relation = self.graph.fields[name].link
        related = relation.related_model
        resource = self.site.resource_for(related)
        rows = related._base_manager.using(self.using).all()
        if resource is not None:
            rows = access_for(self.request, resource).scope(rows)
        targets = [target] if target is not None else []
        targets = self._before_set(instance, name, targets)
        current = list(rows.filter(**{relation.remote_name or "pk": instance.pk}).exclude(
            pk__in=[row.pk for row in targets]))
        if current:
            self._detach(name, None, current)
        for row in targets:
            if getattr(row, f"{relation.remote_name}_id", None) != instance.pk:
                setattr(row, relation.remote_name or "", instance)
                row.save(update_fields=[relation.remote_name or ""], using=self.using)
        self._after_set(instance, name, targets)

    def visible_members(self, instance: Any, name: str) -> models.QuerySet:
        """The members of a to-many relation of ``instance`` that this request may see, through the access
        object of the related resource on this site (all of them for a model off the API, or without a
        request: code on the server)."""
        queryset = getattr(instance, name).all()
        related = self.site.resource_for(self.graph.fields[name].link.related_model)
        if related is None or self.request is None:
            return queryset
        return access_for(self.request, related).scope(queryset)

    def _before_set(self, instance: Any, name: str, targets: Iterable[Any], mode: str = "replace") -> list[Any]:
        """Send ``before_set_relations`` with the mutable list of pks; receivers may change it."""
        targets = _unique(targets)
        if not lifecycle.before_set_relations.has_listeners(self.model):
            return targets
        by_pk = {target.pk: target for target in targets}
        pks = list(by_pk)
        lifecycle.before_set_relations.send(self.model, request=self.request, instance=instance, relation=name,
                                            pks=pks, mode=mode)
        if pks == list(by_pk):
            return targets
        related = self.graph.fields[name].link.related_model
        missing = [pk for pk in pks if pk not in by_pk]
        by_pk.update({row.pk: row for row in related._default_manager.using(self.using).filter(pk__in=missing)})
        unknown = [pk for pk in pks if pk not in by_pk]
        if unknown:
            raise ValidationError({name: [f"Unknown primary key(s) {unknown} added by a receiver."]})
        return [by_pk[pk] for pk in pks]

    def _after_set(self, instance: Any, name: str, targets: list[Any], mode: str = "replace") -> None:
        lifecycle.after_set_relations.send(self.model, request=self.request, instance=instance, relation=name,
                                           pks=[target.pk for target in targets], mode=mode)

    def _detach(self, name: str, manager: Any, rows: list[Any]) -> None:
        """Rows leaving a one-to-many (through its ``manager``) or a reverse one-to-one (no manager): unlinked
        when their foreign key may be null, deleted when they are owned (``on_delete=CASCADE``: they could not
        outlive the parent anyway), else refused."""
        relation = self.graph.fields[name].link
        if relation.nullable_link and manager is not None:
            manager.remove(*rows)
        elif relation.nullable_link:
            relation.related_model._base_manager.using(self.using).filter(
                pk__in=[row.pk for row in rows]).update(**{relation.remote_name or "": None})
        elif relation.on_delete is models.CASCADE:
            self.writer_for(relation.related_model).delete(rows)
        else:
            pks = ", ".join(str(row.pk) for row in rows)
            raise ValidationError({name: [
                f"Cannot take {pks} out of '{name}': their '{relation.remote_name}' is required and "
                f"does not cascade; point them elsewhere or delete them first."]})


def _unique(targets: Iterable[Any]) -> list[Any]:
    seen: dict[Any, Any] = {}
    for target in targets:
        seen.setdefault(target.pk, target)
    return list(seen.values())
