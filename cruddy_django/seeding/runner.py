"""The seeding engine behind ``manage.py seed``: rows built with each model's factory, written in batches.

    from cruddy_django.seeding import Seeder
    report = Seeder(site, seed=42).run({Rocket: 100, Mission: None})   # None: the factory's default count
    report  # -> {Material: 37, Rocket: 100, RocketPart: 561, ..., Mission: 10}

Models are seeded in dependency order (``graph.py``), empty required targets first; foreign keys point to
random rows of their target, many-to-many relations get samples once every row exists, and nullable keys
that closed a cycle are filled last. Rows are built with ``Factory.build()`` and written with
``bulk_create`` in one transaction; a factory whose post-generation steps need saved rows one by one is
run with ``create()`` instead (see ``SeedingFactory._seed_bulk``).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import factory.random
from django.apps import apps
from django.db import IntegrityError, connections, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError

from cruddy_django.introspection import FieldInfo, is_multi_table_child, model_graph, model_label
from cruddy_django.seeding.errors import SeedingError
from cruddy_django.seeding.factories import (
    generic_targets,
    many_to_many_sample_size,
    post_generation_names,
    resolve_factory,
    through_key_columns,
    unique_declarations,
    using_site,
)
from cruddy_django.seeding.graph import Dependency, dependency_order
from cruddy_django.seeding.providers import rng
from cruddy_django.seeding.unique import UniqueGuard, capacity

if TYPE_CHECKING:
    from cruddy_django.registry import ResourceRegistry

__all__ = ["BATCH_SIZE", "DEFAULT_COUNT", "MAX_TRIES", "Seeder"]


BATCH_SIZE = 1_000
DEFAULT_COUNT = 10
MAX_TRIES = 50

Progress = Callable[[type[models.Model], int, int], None]


class Seeder:
    """One seeding run. ``_after_bulk_create`` hooks get it, to read ``pool()``, ``random`` and ``database``
    and to write through ``bulk_create()``."""

    def __init__(self, site: ResourceRegistry, *, database: str = "default", seed: int | None = None,
                 count: int | None = None, progress: Progress | None = None) -> None:
        self.site = site
        self.database = database
        self.seed = seed
        self.count = count
        self.progress = progress
        self.random: random.Random = rng()
        self.created: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self._pools: dict[type[models.Model], list[models.Model]] = {}
        self._free: dict[tuple[type[models.Model], str], list[models.Model]] = {}
        self._deferred: list[Dependency[type[models.Model]]] = []

    # -- for factories' hooks ---------------------------------------------------------------------------
    def pool(self, model: type[models.Model]) -> list[models.Model]:
        """Every row of ``model``: the stored ones (pk only) and the ones made in this run."""
        if model not in self._pools:
            self._pools[model] = list(model._default_manager.using(self.database).order_by("pk").only("pk"))
        return self._pools[model]

    def bulk_create(self, instances: Iterable[models.Model]) -> list[models.Model]:
        """Insert rows of one model in batches; they join the model's pool."""
        instances = list(instances)
        if instances:
            model = type(instances[0])
            model._default_manager.using(self.database).bulk_create(instances, batch_size=BATCH_SIZE)
            self._record(model, instances)
        return instances

    # -- the run ----------------------------------------------------------------------------------------
    def run(self, requests: Mapping[type[models.Model], int | None], *, clear: bool = False
            ) -> dict[type[models.Model], int]:
        """Seed the requested models (``None``: the default count) and their empty required targets;
        returns the rows added per model, in seeding order."""
        with transaction.atomic(using=self.database), using_site(self.site):
            if clear:
                self.clear(list(requests))
            if self.seed is not None:
                factory.random.reseed_random(self.seed)
                random.seed(self.seed)
            plan = self.plan(requests)
            planned = [model for model, _ in plan]
            # Rows that factories made on their own (a related row where none existed) count too; a model's
            # every row counts, whatever its default manager hides (a proxy's rows are its concrete model's).
            others = [resource.model for resource in self.site.resources
                      if resource.model not in planned and not resource.model._meta.proxy]
            before = {model: self._count(model) for model in others}
            for model, count in plan:
                self.seed_model(model, count)
            self._fill_deferred()
            for model, _ in plan:
                self._fill_many_to_many(model)
            added = {model: len(self.created[model]) for model in planned}
            added.update({model: self._count(model) - before[model] for model in others})
        return {model: number for model, number in added.items() if number or model in planned}

    def plan(self, requests: Mapping[type[models.Model], int | None]) -> list[tuple[type[models.Model], int]]:
        """``[(model, count), ...]`` in seeding order, with empty required targets added."""
        wanted = list(requests)
        for model in wanted:  # grows while we walk it
            for target in self._required_targets(model):
                if target not in wanted and not target._default_manager.using(self.database).exists():
                    wanted.append(target)
        edges = [edge for model in wanted for edge in self._dependencies(model)]
        order, deferred = dependency_order(wanted, edges)
        self._deferred = [edge for edge in deferred if edge.field and not self._field(edge).link.to_many]
        plan = [(model, self._resolve_count(model, requests.get(model), model in requests))
                for model in order]
        for model, count in plan:
            self._check_capacity(model, count)
        return plan

    def clear(self, requested: list[type[models.Model]]) -> None:
        """Delete every row of the models, dependents first."""
        edges = [edge for model in requested for edge in self._dependencies(model)]
        soft = [Dependency(edge.dependent, edge.target, edge.field, True) for edge in edges]
        order, _ = dependency_order(requested, soft)
        for model in reversed(order):
            try:
                model._default_manager.using(self.database).all().delete()
            except (ProtectedError, RestrictedError) as error:
                blockers = sorted({model_label(type(row)) for row in error.args[1]})
                raise SeedingError(
                    f"Cannot clear {model_label(model)}: rows of {', '.join(blockers)} still point to it and "
                    f"protect it. Clear {' and '.join(blockers)} too."
                ) from None
        self._pools.clear()

    def seed_model(self, model: type[models.Model], count: int) -> None:
        factory_class = resolve_factory(self.site, model)
        if self.seed is not None:
            factory_class.reset_sequence(force=True)
        guard = UniqueGuard(model, self.database)
        for name, declaration in unique_declarations(factory_class).items():
            declaration.reset()
            key = (model_graph(model).fields[name].attname or name,)
            declaration.reserve(value for (value,) in guard.taken.get(key, ()))
        relations = self._relation_fields(model)
        if self._can_bulk(model, factory_class):
            self._seed_in_bulk(model, factory_class, count, relations, guard)
        else:
            self._seed_row_by_row(model, factory_class, count, relations)

    # -- building rows ----------------------------------------------------------------------------------
    def _seed_in_bulk(self, model: type[models.Model], factory_class: Any, count: int,
                      relations: list[FieldInfo], guard: UniqueGuard) -> None:
        batch: list[models.Model] = []
        for done in range(1, count + 1):
            for _ in range(MAX_TRIES):
                instance = factory_class.build(**self._pick_relations(model, relations))
                if guard.admit(instance):
                    break
            else:
                raise SeedingError(
                    f"Could not make a {model.__name__} whose unique values differ from every other "
                    f"row's after {MAX_TRIES} tries ({', '.join('+'.join(key) for key in guard.keys)}); "
                    f"ask for fewer rows "
                    f"or seed more rows of the models it points to."
                )
            batch.append(instance)
            if len(batch) == BATCH_SIZE or done == count:
                model._default_manager.using(self.database).bulk_create(batch, batch_size=BATCH_SIZE)
                self._record(model, batch)
                hook = getattr(factory_class, "_after_bulk_create", None)
                if hook is not None:
                    hook(batch, self)
                batch = []
                self._report(model, done, count)

    def _seed_row_by_row(self, model: type[models.Model], factory_class: Any, count: int,
                         relations: list[FieldInfo]) -> None:
        creator = factory_class
        if getattr(factory_class._meta, "database", self.database) != self.database:
            meta = type("Meta", (), {"database": self.database})
            creator = type(factory_class)(factory_class.__name__, (factory_class,), {"Meta": meta})
        for done in range(1, count + 1):
            for _ in range(MAX_TRIES):
                try:
                    with transaction.atomic(using=self.database):
                        instance = creator.create(**self._pick_relations(model, relations))
                    break
                except IntegrityError:
                    continue
            else:
                raise SeedingError(f"Could not save a new {model.__name__} after {MAX_TRIES} tries: "
                                   f"its unique values keep colliding.")
            self._record(model, [instance])
            self._report(model, done, count)

    def _pick_relations(self, model: type[models.Model], relations: list[FieldInfo]) -> dict[str, Any]:
        deferred = {edge.field for edge in self._deferred if edge.dependent is model}
        return {info.name: None if info.name in deferred else self._pick(model, info) for info in relations}

    def _pick(self, model: type[models.Model], info: FieldInfo) -> models.Model | None:
        if info.generic is not None:
            return self._pick_generic(model, info)
        target = info.link.related_model
        if info.unique:  # one-to-one: each target row once
            key = (model, info.name)
            if key not in self._free:
                stored = model._default_manager.using(self.database)
                taken = set(stored.values_list(info.attname or info.name, flat=True))
                self._free[key] = [row for row in self.pool(target) if row.pk not in taken]
                self.random.shuffle(self._free[key])
            candidates = self._free[key]
            row = candidates.pop() if candidates else None
        else:
            candidates = self.pool(target)
            row = self.random.choice(candidates) if candidates else None
        if row is None and not info.null:
            raise SeedingError(f"{model.__name__}.{info.name} needs a row of {model_label(target)}, and "
                               f"there is none left to point to; seed {model_label(target)} first.")
        return row

    def _pick_generic(self, model: type[models.Model], info: FieldInfo) -> models.Model | None:
        """A random row of a model registered on the site (seeded before, or stored)."""
        targets = generic_targets(info, [resource.model for resource in self.site.resources])
        pools = [self.pool(target) for target in targets if target is not model]
        pools = [pool for pool in pools if pool]
        if not pools:
            if not info.null:
                raise SeedingError(f"{model.__name__}.{info.name} points at a row of any resource, and none has "
                                   "rows yet; seed some first.")
            return None
        return self.random.choice(self.random.choice(pools))

    # -- after every row exists -------------------------------------------------------------------------
    def _fill_deferred(self) -> None:
        """Nullable keys that closed a cycle: random rows (earlier ones, for a self-reference)."""
        for edge in self._deferred:
            rows, info = self.created[edge.dependent], self._field(edge)
            for index, row in enumerate(rows):
                candidates = rows[:index] if edge.dependent is edge.target else self.pool(edge.target)
                setattr(row, info.name, self.random.choice(candidates) if candidates else None)
            edge.dependent._default_manager.using(self.database).bulk_update(rows, [info.name], BATCH_SIZE)

    def _fill_many_to_many(self, model: type[models.Model]) -> None:
        steps = post_generation_names(resolve_factory(self.site, model))
        owned = {name for name, generated in steps.items() if not generated}
        rows = self.created[model]
        for info in model_graph(model).forward_fields:
            if not (rows and info.relation and info.relation.to_many) or info.name in owned:
                continue
            through = getattr(model, info.name).through
            columns = through_key_columns(through, model, info.relation.related_model)
            target_pks = [row.pk for row in self.pool(info.relation.related_model)]
            if columns is None or not target_pks:
                continue
            source, target = columns
            links = [
                through(**{source: row.pk, target: pk})
                for row in rows
                for pk in self.random.sample(target_pks, many_to_many_sample_size(info, len(target_pks)))
            ]
            # pairs the through model's own rows hold already are left alone (unique together)
            through._default_manager.using(self.database).bulk_create(links, batch_size=BATCH_SIZE,
                                                                      ignore_conflicts=True)

    # -- small helpers ----------------------------------------------------------------------------------
    def _relation_fields(self, model: type[models.Model]) -> list[FieldInfo]:
        graph = model_graph(model)
        return [info for info in graph.forward_fields
                if (info.relation and not info.relation.to_many and info.editable and info.concrete
                    and not info.relation.parent_link and info.name not in graph.generic_columns)
                or (info.generic is not None and info.editable)]

    def _dependencies(self, model: type[models.Model]) -> list[Dependency[type[models.Model]]]:
        graph = model_graph(model)
        edges = [
            Dependency(model, info.relation.related_model, info.name, info.null or info.relation.to_many)
            for info in graph.forward_fields if info.relation and info.editable and not info.relation.parent_link
            and info.name not in graph.generic_columns
        ]
        if any(info.generic is not None for info in graph.fields.values()):  # seeded after what it may point at
            edges += [Dependency(model, resource.model, breakable=True) for resource in self.site.resources
                      if resource.model is not model]
        for label in getattr(resolve_factory(self.site, model), "_seed_depends_on", ()):
            edges.append(Dependency(model, apps.get_model(label)))
        return edges

    def _required_targets(self, model: type[models.Model]) -> list[type[models.Model]]:
        return [edge.target for edge in self._dependencies(model) if not edge.breakable]

    def _field(self, edge: Dependency[type[models.Model]]) -> FieldInfo:
        if edge.field is None:  # never: only edges through a key are looked up
            raise TypeError(f"The dependency {edge} goes through no field.")
        return model_graph(edge.dependent).fields[edge.field]

    def _resolve_count(self, model: type[models.Model], explicit: int | None, requested: bool) -> int:
        if explicit is not None:
            return explicit
        if self.count is not None and requested:
            return self.count
        default = getattr(resolve_factory(self.site, model), "_seed_count", None)
        if isinstance(default, tuple):
            return self.random.randint(*default)
        return DEFAULT_COUNT if default is None else default

    def _check_capacity(self, model: type[models.Model], count: int) -> None:
        graph = model_graph(model)
        for name in (graph.pk_name, *graph.unique_fields):
            info = graph.fields[name]
            room = None if info.auto_created or info.relation else capacity(info)
            stored = self._count(model) if room is not None else 0
            if room is not None and count + stored > room:
                length = f" (max_length={info.max_length})" if info.max_length else ""
                already = f" besides the {stored:,} stored" if stored else ""
                raise SeedingError(
                    f"{model.__name__}.{name} is unique and holds at most {room:,} distinct values{length}, "
                    f"so {count:,} more rows cannot be made{already}."
                )

    def _can_bulk(self, model: type[models.Model], factory_class: Any) -> bool:
        if is_multi_table_child(model):
            return False  # bulk_create cannot insert into the parent's table too
        graph = model_graph(model)
        if graph.fields[graph.pk_name].auto_created and not (
            connections[self.database].features.can_return_rows_from_bulk_insert
        ):
            return False  # hooks, pools and many-to-many links need the new pks
        choice = getattr(factory_class, "_seed_bulk", None)
        return all(post_generation_names(factory_class).values()) if choice is None else choice

    def _record(self, model: type[models.Model], instances: list[models.Model]) -> None:
        self.created[model].extend(instances)
        if model in self._pools:
            self._pools[model].extend(instances)

    def _report(self, model: type[models.Model], done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(model, done, total)

    def _count(self, model: type[models.Model]) -> int:
        return model._base_manager.using(self.database).count()
