"""System checks of resource options: unknown fields, bad values, URLs used twice (``cruddy_django.E001`` ...).

    $ python manage.py check
    staff.Crew: (cruddy_django.E001) Crew.Resource.fields names 'nmae', which is not a field of Crew.

Options are checked once every app is loaded, so relations and reverse accessors resolve.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from cruddy_django.registry import ResourceRegistry, all_sites
from cruddy_django.registry.options import ACTIONS, EXTRA_ACTIONS, ON_DELETE_STRATEGIES
from cruddy_django.registry.routes import model_routes

__all__ = ["check_resources"]

FIELD_LIST_OPTIONS = ("fields", "exclude", "read_only_fields", "search_fields", "upsert_keys",
                      "protected_relationships", "protected_create_relationships",
                      "protected_update_relationships")
RESERVED_PATHS = {"schema", "docs", "_meta", "_health"}


def _unknown_field_errors(resource: Any) -> list[checks.CheckMessage]:
    options = resource.options
    graph = options.graph
    known = set(graph.fields) | {"id", "pk"} | set(options.computed)
    errors: list[checks.CheckMessage] = []
    for option in FIELD_LIST_OPTIONS:
        for name in getattr(options, option) or ():
            base = name.lstrip("^=@$").split("__")[0] if option == "search_fields" else name
            if base not in known:
                errors.append(
                    checks.Error(
                        f"{resource.name}.Resource.{option} names {name!r}, which is not a field of "
                        f"{resource.name}.",
                        hint=f"Use one of: {', '.join(sorted(graph.fields))}.",
                        obj=resource.model,
                        id="cruddy_django.E001",
                    )
                )
    return errors


def _option_value_errors(resource: Any) -> list[checks.CheckMessage]:
    options = resource.options
    errors: list[checks.CheckMessage] = []
    for name in ("page_size", "max_page_size", "max_bulk", "expand_limit"):
        value = getattr(options, name)
        if value is not None and (not isinstance(value, int) or value < 1):
            errors.append(checks.Error(
                f"{resource.name}.Resource.{name} must be a positive whole number, not {value!r}.",
                obj=resource.model, id="cruddy_django.E003"))
    if options.page_size and options.max_page_size and options.page_size > options.max_page_size:
        errors.append(checks.Error(
            f"{resource.name}.Resource.page_size ({options.page_size}) exceeds max_page_size "
            f"({options.max_page_size}).", obj=resource.model, id="cruddy_django.E003"))
    relations = {name for name, info in options.graph.fields.items() if info.relation}
    routes = {spec.name for spec in model_routes(resource.model)}
    unknown_disabled = sorted(set(options.disable) - set(ACTIONS) - set(EXTRA_ACTIONS) - relations - routes)
    if unknown_disabled:
        errors.append(checks.Error(
            f"{resource.name}.Resource.disable names unknown action(s) {', '.join(unknown_disabled)}.",
            hint=f"Actions are: {', '.join(ACTIONS + EXTRA_ACTIONS)}, or a relation name to switch its route "
                 "off.", obj=resource.model, id="cruddy_django.E004"))
    for relation, strategy in options.on_delete.items():
        info = options.graph.fields.get(relation)
        if info is None or not (info.relation and info.relation.reverse):
            errors.append(checks.Error(
                f"{resource.name}.Resource.on_delete names {relation!r}, which is not a reverse relation "
                f"of {resource.name}.", obj=resource.model, id="cruddy_django.E005"))
        elif strategy not in ON_DELETE_STRATEGIES:
            errors.append(checks.Error(
                f"{resource.name}.Resource.on_delete[{relation!r}] is {strategy!r}.",
                hint=f"Use one of: {', '.join(ON_DELETE_STRATEGIES)}.", obj=resource.model,
                id="cruddy_django.E005"))
    if not options.namespace and options.path in RESERVED_PATHS:
        errors.append(checks.Error(
            f"{resource.name}.Resource.path {options.path!r} clashes with a site URL.",
            hint="Give the resource another path or a namespace.", obj=resource.model,
            id="cruddy_django.E006"))
    return errors


@checks.register()
def check_resources(
    app_configs: Any = None, *, site: ResourceRegistry | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """The options of every resource of every site (or of ``site``), and URLs used twice on a site."""
    sites = [site] if site is not None else list(all_sites)
    return [error for registry in sites for error in _site_errors(registry, app_configs)]


def _route_errors(resource: Any) -> list[checks.CheckMessage]:
    """A route whose parameters cannot be validated (``Key["app.Nope"]``, an unsupported annotation) would stop
    the site's URLs from being built: say which, before that."""
    from cruddy_django.drf.routes import parameter_serializer

    errors: list[checks.CheckMessage] = []
    for spec in model_routes(resource.model):
        try:
            parameter_serializer(spec, resource)
        except (ImproperlyConfigured, TypeError) as error:
            errors.append(checks.Error(f"The route {resource.name}.{spec.name} cannot validate its parameters: "
                                       f"{error}", obj=resource.model, id="cruddy_django.E010"))
    return errors


def _site_errors(site: ResourceRegistry, app_configs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for resource in site.resources:
        if app_configs is not None and resource.model._meta.app_config not in app_configs:
            continue
        errors += _unknown_field_errors(resource)
        errors += _option_value_errors(resource)
        errors += _route_errors(resource)
    prefixes = Counter(resource.options.url_prefix for resource in site.resources)
    basenames = Counter(resource.options.basename for resource in site.resources)
    for resource in site.resources:
        options = resource.options
        if prefixes[options.url_prefix] > 1:
            errors.append(checks.Error(
                f"Two resources use the URL /{options.url_prefix}/.",
                hint="Give one of them another path or namespace.", obj=resource.model,
                id="cruddy_django.E002"))
        elif basenames[options.basename] > 1:
            errors.append(checks.Error(
                f"Two resources use the URL name '{options.basename}' (/{options.url_prefix}/ and another URL "
                "with the same words).", hint="Give one of them another path or namespace.",
                obj=resource.model, id="cruddy_django.E002"))
    return errors
