"""Which policies guard an action: the resource's ``policies`` option over the settings' defaults.

    policy_chain({"*": [allow_any], "destroy": [is_staff]}, "destroy")   # [AllowAny, IsAdminUser]
    policy_chain({}, "bulk_destroy")      # no chain of its own: destroy's (ACTION_FALLBACKS)

The chain for an action is ``policies["*"]`` then ``policies[action]``; every policy must pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cruddy_django.conf import cruddy_settings
from cruddy_django.policies import as_permission_class

__all__ = ["ACTION_FALLBACKS", "has_own_chain", "policy_chain"]

# Actions that fall back to another action's chain when neither the resource nor the settings name them, so
# that forgetting one never leaves a write open.
ACTION_FALLBACKS = {"partial_update": "update", "bulk_update": "partial_update", "bulk_destroy": "destroy",
                    "upsert": "update", "relation_list": "retrieve", "relation_replace": "partial_update",
                    "relation_add": "partial_update", "relation_remove": "partial_update"}


def has_own_chain(resource_policies: Mapping[str, Iterable[Any]], action: str) -> bool:
    """Does the resource or the settings name ``action`` itself (rather than leave it to a fallback)?"""
    return action in resource_policies or action in cruddy_settings.DEFAULT_POLICIES


def policy_chain(
    resource_policies: Mapping[str, Iterable[Any]], action: str | None, fallback: str | None = None
) -> list[Any]:
    """The permission classes for ``action``: the ``"*"`` chain then the action's own chain (or, when neither
    the resource nor the settings name the action, the chain of ``fallback``, then of its fallbacks)."""
    defaults: Mapping[str, Iterable[Any]] = cruddy_settings.DEFAULT_POLICIES

    def lookup(key: str) -> Iterable[Any] | None:
        if key in resource_policies:
            return resource_policies[key]
        return defaults.get(key)

    chain = list(lookup("*") or ())
    key: str | None = action
    while key is not None:
        found = lookup(key)
        if found is not None:
            chain.extend(found)
            break
        key = ACTION_FALLBACKS.get(key, fallback if key == action else None)
    return [as_permission_class(policy) for policy in chain]
