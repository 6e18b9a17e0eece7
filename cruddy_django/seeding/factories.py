"""Factories built by introspection: ``factory_for(Rocket)`` is a factory-boy ``DjangoModelFactory``
named ``RocketFactory``, with a Faker declaration per field.

    from cruddy_django.seeding import factory_for
    rockets = factory_for(Rocket).create_batch(5)
    class CrewFactory(factory_for(Crew)): _seed_count = (1, 10)    # a hand-written refinement

Foreign keys point to a random existing row of the target (one is made when there is none); many-to-many
relations get a random sample of existing rows. Hand-written factories subclass the generated one and may
set the seeding knobs of ``SeedingFactory`` (see docs/seeding.md).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Protocol

import factory
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import make_password
from django.db import models
from factory import enums
from factory.declarations import BaseDeclaration, PostGenerationDeclaration

from cruddy_django.conf import cruddy_settings
from cruddy_django.introspection import FieldInfo, many_to_many_link, model_graph, verbose_names
from cruddy_django.introspection.kinds import kind_of_model_field
from cruddy_django.seeding.providers import rng, value_generator
from cruddy_django.seeding.unique import UniqueValue

if TYPE_CHECKING:
    import random

    from cruddy_django.registry import ResourceRegistry

__all__ = ["MANY_TO_MANY_MAX", "ExistingRow", "GenericTarget", "ManyToManySample", "SeedingFactory", "SeedingRun",
    "declaration_for", "factory_for", "generic_targets", "many_to_many_sample_size", "post_generation_names",
    "resolve_factory", "seed_password", "through_key_columns", "unique_declarations", "user_declarations",
    "using_site"]


class SeedingRun(Protocol):
    """What ``_after_bulk_create`` hooks may use of the run (``runner.Seeder``)."""

    database: str
    random: random.Random

    def pool(self, model: type[models.Model]) -> list[models.Model]: ...

    def bulk_create(self, instances: Iterable[models.Model]) -> list[models.Model]: ...


# How many related rows a many-to-many relation gets: at least one unless the field may be blank.
MANY_TO_MANY_MAX = 5


class SeedingFactory(factory.django.DjangoModelFactory):
    """The base of every generated factory. Its underscored attributes are the seeding knobs; factory-boy
    ignores them, like its own ``_meta`` and ``_create``."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    #: Rows made when the command names no count: an int, or ``(low, high)`` for a random count.
    _seed_count: int | tuple[int, int] | None = None
    #: ``True`` when every post-generation step is also done by ``_after_bulk_create`` (so rows can be
    #: bulk-inserted); ``None`` lets the seeder decide: bulk unless the factory has its own post-generation.
    _seed_bulk: bool | None = None
    #: Models (``"app_label.Model"``) that ``_after_bulk_create`` reads, to be seeded before this one.
    _seed_depends_on: tuple[str, ...] = ()

    @classmethod
    def _after_bulk_create(cls, instances: list[models.Model], seeder: SeedingRun) -> None:
        """Called after each bulk-inserted batch (pks set): the bulk twin of post-generation steps."""


def many_to_many_sample_size(info: FieldInfo, available: int) -> int:
    high = min(MANY_TO_MANY_MAX, available)
    return rng().randint(min(0 if info.blank else 1, high), high)


# The site being seeded: a related row that a factory must create is made with the factory its resource on
# this site names (see ``using_site``); with no site, with the generated factory of its model.
_seeding_site: ContextVar[ResourceRegistry | None] = ContextVar("cruddy_seeding_site", default=None)


@contextmanager
def using_site(site: ResourceRegistry) -> Iterator[None]:
    """Within the block, related rows are made by the factories ``site``'s resources name::

        with using_site(site):
            site.get_resource("Mission").factory.create()   # its crew by CrewFactory, if none exists
    """
    token = _seeding_site.set(site)
    try:
        yield
    finally:
        _seeding_site.reset(token)


def resolve_factory(site: ResourceRegistry | None, model: type[models.Model]) -> type[factory.Factory]:
    """The factory seeding uses for a model: the one its resource on ``site`` names, else the generated one."""
    resource = site.resource_for(model) if site is not None else None
    if resource is not None:
        named = resource.configured_class("factory", None, from_site=False)
        if named is not None:
            return named
    return factory_for(model)


class ExistingRow(BaseDeclaration):
    """A foreign key to a random existing row of the target, or a new one (built, or created, like
    ``SubFactory``) when there is none. Nullable keys stay empty rather than invent a row; ``build()``
    never touches the database."""

    def __init__(self, info: FieldInfo) -> None:
        super().__init__()
        self.info = info

    def evaluate(self, instance: Any, step: Any, extra: Any) -> Any:
        target = self.info.link.related_model
        creating = step.builder.strategy == enums.CREATE_STRATEGY
        if creating:
            meta = step.builder.factory_meta
            database = getattr(meta, "database", "default")
            queryset = target._default_manager.using(database).order_by("pk")
            if self.info.unique:  # one-to-one: only targets nobody points to yet
                taken = meta.model._default_manager.using(database).filter(
                    **{f"{self.info.name}__isnull": False}).values(self.info.attname)
                queryset = queryset.exclude(pk__in=taken)
            count = queryset.count()
            if count:
                return queryset[rng().randrange(count)]
        if self.info.null:
            return None
        target_factory = resolve_factory(_seeding_site.get(), target)
        return target_factory.create() if creating else target_factory.build()


class ManyToManySample(PostGenerationDeclaration):
    """After ``create()``, a random sample of the target's existing rows; ``create(tags=[...])`` sets them."""

    def __init__(self, info: FieldInfo) -> None:
        super().__init__()
        self.info = info

    def call(self, instance: Any, step: Any, context: Any) -> None:
        if step.builder.strategy != enums.CREATE_STRATEGY:
            return
        manager = getattr(instance, self.info.name)
        if context.value_provided:
            manager.set(context.value or [])
            return
        link = many_to_many_link(self.info)
        if link is not None and link.required:  # its through rows need values of their own: seeded with it
            return
        target = self.info.link.related_model
        rows = target._default_manager.using(instance._state.db).order_by("pk")
        pks = list(rows.values_list("pk", flat=True))
        manager.set(rng().sample(pks, many_to_many_sample_size(self.info, len(pks))))


def generic_targets(info: FieldInfo, models_: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    """The models whose primary keys the object id column of the generic key ``info`` can hold (any, for a text
    column; otherwise those whose keys are of the same kind: integers for integers)."""
    key = info.generic
    if key is None:
        return []
    holder = info.model_field.model._meta.get_field(key.object_id)
    holds = kind_of_model_field(holder)
    if holds is not None and holds.query == "text":
        return [model for model in models_ if not model._meta.proxy]
    found = []
    for model in models_:
        key_field: Any = model._meta.pk  # a child's key is its parent link: the parent's key is the column
        pk = kind_of_model_field(key_field.target_field if key_field.is_relation else key_field)
        if not model._meta.proxy and pk is not None and holds is not None and pk.query == holds.query:
            found.append(model)
    return found


class GenericTarget(BaseDeclaration):
    """A generic foreign key to a random existing row of a model registered on the site being seeded (of any
    model with rows when no site is seeding); empty when the key may be and no row exists."""

    def __init__(self, info: FieldInfo) -> None:
        super().__init__()
        self.info = info

    def evaluate(self, instance: Any, step: Any, extra: Any) -> Any:
        database = getattr(step.builder.factory_meta, "database", "default")
        site = _seeding_site.get()
        registered = [resource.model for resource in site.resources] if site is not None else []
        candidates = [model for model in generic_targets(self.info, registered)
                      if model is not step.builder.factory_meta.model
                      and model._default_manager.using(database).exists()]
        if not candidates:
            return None
        rows = rng().choice(candidates)._default_manager.using(database).order_by("pk")
        return rows[rng().randrange(rows.count())]


def declaration_for(info: FieldInfo) -> Any | None:
    """The declaration of one forward field, or None to leave it to Django (auto and non-editable fields,
    types we cannot fake, a child's link to its parent, which saving the child makes)."""
    if info.generic is not None:
        return GenericTarget(info)
    if info.relation is not None:
        if info.relation.parent_link:
            return None
        return ManyToManySample(info) if info.relation.to_many else ExistingRow(info)
    if not info.editable or info.auto_created:
        return None
    generate = value_generator(info)
    if generate is None:
        return None
    return UniqueValue(info, generate) if info.unique else factory.LazyFunction(generate)


@functools.cache
def factory_for(model: type[models.Model]) -> type[SeedingFactory]:
    """The generated factory of ``model`` (cached: one class per model)."""
    attributes: dict[str, Any] = {
        "Meta": type("Meta", (), {"model": model}),
        "__module__": __name__,
        "__doc__": f"Fake {verbose_names(model)[1]}, generated from the fields of {model.__name__}.",
    }
    graph = model_graph(model)
    for info in graph.forward_fields:
        declaration = None if info.name in graph.generic_columns else declaration_for(info)
        if declaration is not None:
            attributes[info.name] = declaration
    if issubclass(model, AbstractBaseUser):
        attributes.update(user_declarations(model))
    metaclass: type = type(SeedingFactory)  # factory-boy's metaclass, which reads the declarations
    return metaclass(f"{model.__name__}Factory", (SeedingFactory,), attributes)


@functools.cache
def _hashed(password: str, hashers: tuple[str, ...]) -> str:
    return make_password(password)


def seed_password() -> str:
    """The one password of every seeded user (``CRUDDY_DJANGO["SEED_PASSWORD"]``), hashed once per run."""
    return _hashed(cruddy_settings.SEED_PASSWORD, tuple(settings.PASSWORD_HASHERS))


def user_declarations(model: type[models.Model]) -> dict[str, Any]:
    """A user model's seeded rows can sign in (the documented password) and hold no rights unless a factory
    gives them: active, not staff, not superuser."""
    fields = model_graph(model).fields
    flags = {"is_active": True, "is_staff": False, "is_superuser": False}
    declarations: dict[str, Any] = {name: value for name, value in flags.items() if name in fields}
    if "password" in fields:
        declarations["password"] = factory.LazyFunction(seed_password)
    if "last_login" in fields:
        declarations["last_login"] = None
    return declarations


def unique_declarations(factory_class: type[factory.Factory]) -> dict[str, UniqueValue]:
    """The ``UniqueValue`` declarations of a factory, by field name (hand-written ones included)."""
    return {
        name: declaration
        for name, declaration in factory_class._meta.declarations.items()
        if isinstance(declaration, UniqueValue)
    }


def post_generation_names(factory_class: type[factory.Factory]) -> dict[str, bool]:
    """Post-generation steps by name, each with whether it is a generated many-to-many sample (which the
    seeder replays in bulk) or a hand-written step."""
    return {
        name: isinstance(declaration, ManyToManySample)
        for name, declaration in factory_class._meta.post_declarations.declarations.items()
    }


def through_key_columns(through: type[models.Model], source: type[models.Model],
                        target: type[models.Model]) -> tuple[str, str] | None:
    """The through model's (source, target) key columns, or None when it holds more than the two keys."""
    graph = model_graph(through)
    keys = [info for info in graph.forward_fields if info.relation and not info.relation.to_many]
    others = [info for info in graph.forward_fields if info not in keys and info.name != graph.pk_name]
    if len(keys) != 2 or any(info.required for info in others):
        return None
    first, second = keys
    if first.link.related_model is not source:
        first, second = second, first
    if first.link.related_model is not source or second.link.related_model is not target:
        return None
    return first.attname or first.name, second.attname or second.name
