"""Resource options: the inner ``class Resource`` or ``@resource(...)`` keywords, validated once.

    class Rocket(ResourceModel):
        class Resource:
            path = "rockets"
            page_size = 10

Everything downstream reads plain attributes of one ``ResourceOptions``. Mistakes that can only be seen
once every app is loaded (unknown field names, say) are reported by system checks (see ``checks.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from cruddy_django.introspection import FieldInfo, ModelGraph, local_field_names, model_graph
from cruddy_django.policies import as_field_rule

__all__ = ["ACTIONS", "EXTRA_ACTIONS", "MERGED_OPTIONS", "MODEL_OPTIONS", "ON_DELETE_STRATEGIES", "OPTION_NAMES",
    "ResourceOptions", "build_options", "inherit_options", "kebab_plural", "options_from_class"]


ACTIONS = ("list", "retrieve", "create", "update", "partial_update", "destroy")
# Collection writes and relation routes; `disable` may name them too, or a relation to switch its route off.
EXTRA_ACTIONS = ("upsert", "bulk_update", "bulk_destroy", "relation_list", "relation_replace", "relation_add",
                 "relation_remove")
ON_DELETE_STRATEGIES = ("must_be_empty", "cascade", "unlink")


def kebab_plural(name: str) -> str:
    """``RocketPart`` -> ``rocket-parts``, ``Policy`` -> ``policies``, ``Box`` -> ``boxes``."""
    kebab = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", name).lower()
    if re.search(r"[^aeiou]y$", kebab):
        return kebab[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", kebab):
        return kebab + "es"
    return kebab + "s"


@dataclass
class ResourceOptions:
    """Every option a resource may set, with its default (see docs/resources.md)."""

    model: type[models.Model]
    path: str = ""
    namespace: str | None = None
    fields: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    read_only_fields: tuple[str, ...] = ()
    upsert_keys: tuple[str, ...] | None = None
    page_size: int | None = None
    max_page_size: int | None = None
    policies: Mapping[str, Iterable[Any]] = field(default_factory=dict)
    scope: Callable[..., Any] | None = None
    field_rules: Mapping[str, Mapping[str, Callable[..., bool]]] = field(default_factory=dict)
    protected_relationships: tuple[str, ...] = ()
    protected_create_relationships: tuple[str, ...] = ()
    protected_update_relationships: tuple[str, ...] = ()
    disable: frozenset[str] = frozenset()
    on_delete: Mapping[str, str] = field(default_factory=dict)
    views: Mapping[str, Iterable[str]] = field(default_factory=dict)
    selections: Mapping[str, Any] = field(default_factory=dict)
    search_fields: tuple[str, ...] = ()
    max_bulk: int | None = None
    expand_limit: int | None = None
    viewset_mixins: tuple[type, ...] = ()
    serializer_class: Any = None
    filterset_class: Any = None
    factory: Any = None
    computed: Mapping[str, Any] = field(default_factory=dict)
    # Base classes of the generated viewset, serializer and filterset, and the paginator: a class, an import
    # string, or None for the site's (see ResourceRegistry).
    viewset_base_class: Any = None
    serializer_base_class: Any = None
    filterset_base_class: Any = None
    pagination_class: Any = None

    def __post_init__(self) -> None:
        if not self.path:
            self.path = kebab_plural(self.model.__name__)
        self.path = self.path.strip("/")
        if self.namespace is None:
            self.namespace = self.model._meta.app_label
        self.namespace = self.namespace.strip("/")
        for name in ("fields", "read_only_fields", "exclude", "search_fields", "upsert_keys"):
            value = getattr(self, name)
            if isinstance(value, str):
                raise ImproperlyConfigured(
                    f"{self.model.__name__}.Resource.{name} must be a list of field names, not a string "
                    f"({value!r}); write [{value!r}]."
                )
            if value is not None:
                setattr(self, name, tuple(value))
        for name in ("protected_relationships", "protected_create_relationships",
                     "protected_update_relationships", "viewset_mixins"):
            setattr(self, name, tuple(getattr(self, name)))
        self.disable = frozenset(self.disable)
        self.field_rules = {name: {kind: as_field_rule(rule) for kind, rule in rules.items()}
                            for name, rules in self.field_rules.items()}

    # -- derived facts ---------------------------------------------------------------------------------
    @classmethod
    def option_names(cls) -> frozenset[str]:
        return OPTION_NAMES

    def protected_names(self, *, creating: bool) -> set[str]:
        """Relations that a create (or an update) may not set."""
        extra = self.protected_create_relationships if creating else self.protected_update_relationships
        return set(self.protected_relationships) | set(extra)

    @property
    def graph(self) -> ModelGraph:
        return model_graph(self.model)

    @property
    def url_prefix(self) -> str:
        """The URL segment(s) before ``<pk>/``: ``assets/rockets`` or ``missions`` with an empty namespace."""
        return f"{self.namespace}/{self.path}" if self.namespace else self.path

    @property
    def basename(self) -> str:
        return self.url_prefix.replace("/", "-")

    @cached_property
    def exposed_fields(self) -> dict[str, FieldInfo]:
        """The fields the API shows, in model order: all concrete and forward fields by default,
        reverse relations only when listed in ``fields``."""
        graph = self.graph
        if self.fields is not None:
            names = [name for name in self.fields if name in graph.fields]
        else:  # a child's link to its parent holds the row's own pk (`id` shows it); a generic foreign key
            # shows its two columns as one reference
            hidden = graph.generic_columns
            names = [info.name for info in graph.forward_fields
                     if not (info.relation and info.relation.parent_link) and info.name not in hidden]
        pk = graph.fields[graph.pk_name]
        if graph.pk_name not in names and "id" not in self.exclude and not (pk.relation and pk.relation.parent_link):
            names.insert(0, graph.pk_name)
        return {name: graph.fields[name] for name in names if name not in self.exclude}

    @property
    def effective_upsert_keys(self) -> tuple[str, ...]:
        if self.upsert_keys is not None:
            return self.upsert_keys
        graph = self.graph
        if graph.unique_fields:
            return (graph.unique_fields[0],)
        return graph.unique_together[0] if graph.unique_together else ()

    @property
    def ordering(self) -> tuple[str, ...]:
        """The default order: the model's ``Meta.ordering``, else the primary key, so pages are stable."""
        ordering = self.graph.ordering
        if not ordering:
            return ("pk",)
        if not {"pk", "-pk", self.graph.pk_name, f"-{self.graph.pk_name}"} & set(ordering):
            ordering = (*ordering, "pk")  # a unique tie-breaker keeps pages stable
        return ordering


OPTION_NAMES = frozenset(ResourceOptions.__dataclass_fields__) - {"model"}


def options_from_class(resource_class: type | None) -> dict[str, Any]:
    """Read the public attributes of an inner ``class Resource``."""
    if resource_class is None:
        return {}
    return {name: value for name, value in vars(resource_class).items() if not name.startswith("_")}


# Options that belong to one model class and are never inherited by a child or a proxy.
MODEL_OPTIONS = frozenset({"path", "serializer_class", "filterset_class", "factory"})
# Options whose entries a child adds to its parent's, key by key (the child's entry wins).
MERGED_OPTIONS = frozenset({"policies", "field_rules", "on_delete", "views", "selections", "computed"})


def inherit_options(model: type[models.Model], declared: Mapping[str, Any],
                    parent: ResourceOptions) -> dict[str, Any]:
    """The options of a multi-table-inheritance child or a proxy whose parent is a resource of the same site:
    the parent's policies, scope, field rules and every other option, but those the child declares itself.
    Dict options merge key by key (a child adding a rule keeps the parent's others); a parent's ``fields``
    list grows by the fields the child adds. The path, serializer, filterset and factory stay the model's own.
    """
    options: dict[str, Any] = {}
    for name in OPTION_NAMES - MODEL_OPTIONS:
        inherited = getattr(parent, name)
        if name not in declared:
            options[name] = inherited
        elif name in MERGED_OPTIONS:
            options[name] = {**inherited, **declared[name]}
    if "fields" not in declared and parent.fields is not None:
        own = [name for name in local_field_names(model) if name not in parent.fields]
        options["fields"] = (*parent.fields, *own)
    return {**options, **{name: value for name, value in declared.items() if name not in MERGED_OPTIONS}}


def build_options(model: type[models.Model], options: Mapping[str, Any]) -> ResourceOptions:
    unknown = sorted(set(options) - OPTION_NAMES)
    if unknown:
        raise ImproperlyConfigured(
            f"Unknown resource option(s) {', '.join(map(repr, unknown))} on {model._meta.label}; "
            f"valid options are: {', '.join(sorted(OPTION_NAMES))}."
        )
    return ResourceOptions(model=model, **options)
