"""System checks of policies: keys that name no action or route (a typo would leave the action on its
defaults), and resources that let anonymous users write.

    $ python manage.py check
    staff.Crew: (cruddy_django.E008) Crew.Resource.policies names 'asign_lead', which is no action or route.
    staff.Crew: (cruddy_django.W003) Anonymous users may create, update and destroy rows of staff.Crew.

The anonymous check asks each write action's policies (``has_permission``, with a request that carries no
credentials) exactly as the generated view would. A policy that cannot answer without a row or raises is
taken as refusing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core import checks
from django.http import HttpRequest
from rest_framework.request import Request

from cruddy_django.access import has_own_chain
from cruddy_django.conf import cruddy_settings
from cruddy_django.http.viewsets import viewset_for
from cruddy_django.registry import Resource, ResourceRegistry, all_sites
from cruddy_django.registry.options import ACTIONS, EXTRA_ACTIONS
from cruddy_django.registry.routes import SAFE_ROUTE_METHODS, model_routes

__all__ = ["check_policies", "open_to_anonymous_writes"]

# Write actions of the generated views and the HTTP method that reaches them.
WRITE_METHODS = {"create": "POST", "update": "PUT", "partial_update": "PATCH", "destroy": "DELETE",
                 "upsert": "PUT", "bulk_update": "PATCH", "bulk_destroy": "DELETE", "relation_replace": "PUT",
                 "relation_add": "POST", "relation_remove": "DELETE"}
RELATION_WRITES = {"relation_replace", "relation_add", "relation_remove"}


def _anonymous_request(method: str) -> Request:
    http_request = HttpRequest()
    http_request.method = method
    http_request.META.update({"SERVER_NAME": "checks", "SERVER_PORT": "80"})
    return Request(http_request, authenticators=())  # no credentials: DRF's unauthenticated user


def _passes(resource: Resource, action: str, method: str) -> bool:
    """Would the generated view let a request without credentials into ``action``?"""
    request = _anonymous_request(method)
    view = viewset_for(resource)(action=action, request=request, args=(), kwargs={}, format_kwarg=None)
    try:
        return all(permission.has_permission(request, view) for permission in view.get_permissions())
    except Exception:  # a policy that needs more than a request (a row, a lookup): it cannot tell, so no
        return False


def _write_actions(resource: Resource) -> dict[str, str]:
    options = resource.options
    actions = dict(WRITE_METHODS)
    if not any(info.relation and info.relation.to_many and resource.related_resource(info)
               for info in options.graph.fields.values()):  # no relation route to write through
        actions = {action: method for action, method in actions.items() if action not in RELATION_WRITES}
    for spec in model_routes(resource.model):
        if not set(spec.methods) <= SAFE_ROUTE_METHODS:
            actions[spec.name] = spec.methods[0].upper()
    return {action: method for action, method in actions.items() if action not in options.disable}


def open_to_anonymous_writes(resource: Resource) -> list[str]:
    """The write actions (and writing routes) of ``resource`` that anonymous users may use."""
    open_actions = []
    for action, method in _write_actions(resource).items():
        allowed = _passes(resource, action, method)
        if allowed and action == "upsert" and not has_own_chain(resource.options.policies, "upsert"):
            allowed = _passes(resource, "create", "POST")  # an upsert also inserts
        if allowed:
            open_actions.append(action)
    return open_actions


def _unknown_keys(keys: Iterable[str], known: set[str]) -> list[tuple[str, str | None]]:
    return [(key, next(iter(difflib.get_close_matches(key, sorted(known), n=1)), None))
            for key in keys if key not in known]


def _key_error(where: str, key: str, close: str | None, obj: Any = None) -> checks.CheckMessage:
    hint = f"Did you mean {close!r}? " if close else ""
    return checks.Error(
        f"{where} names {key!r}, which is no action or route: its policies would never apply.",
        hint=hint + f"Keys are '*', {', '.join(ACTIONS + EXTRA_ACTIONS)} or the name of a @route.",
        obj=obj, id="cruddy_django.E008")


def _site_messages(site: ResourceRegistry, app_configs: Any) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    for resource in site.resources:
        if app_configs is not None and resource.model._meta.app_config not in app_configs:
            continue
        known = {"*", *ACTIONS, *EXTRA_ACTIONS, *(spec.name for spec in model_routes(resource.model))}
        for key, close in _unknown_keys(resource.options.policies, known):
            messages.append(_key_error(f"{resource.name}.Resource.policies", key, close, resource.model))
        open_actions = open_to_anonymous_writes(resource)
        if open_actions:
            label = resource.model._meta.label
            messages.append(checks.Warning(
                f"Anonymous users may {', '.join(open_actions)} rows of {label}.",
                hint="Its policies let a request without credentials write. If that is not meant, require a user "
                     "(policies = {'create': [is_authenticated], ...}, or CRUDDY_DJANGO['DEFAULT_POLICIES']); "
                     "if it is, add 'cruddy_django.W003' to SILENCED_SYSTEM_CHECKS.",
                obj=resource.model, id="cruddy_django.W003"))
    return messages


@checks.register()
def check_policies(app_configs: Any = None, *, site: ResourceRegistry | None = None,
                   **kwargs: Any) -> list[checks.CheckMessage]:
    """Policy keys of every resource (and of ``DEFAULT_POLICIES``) name actions or routes; resources that let
    anonymous users write are reported."""
    sites = [site] if site is not None else list(all_sites)
    messages = [message for registry in sites for message in _site_messages(registry, app_configs)]
    if site is None and isinstance(getattr(settings, "CRUDDY_DJANGO", {}).get("DEFAULT_POLICIES"), dict):
        routes = {spec.name for registry in sites for resource in registry.resources
                  for spec in model_routes(resource.model)}
        known = {"*", *ACTIONS, *EXTRA_ACTIONS, *routes}
        for key, close in _unknown_keys(cruddy_settings.DEFAULT_POLICIES, known):
            messages.append(_key_error("CRUDDY_DJANGO['DEFAULT_POLICIES']", key, close))
    return messages
