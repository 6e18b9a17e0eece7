"""One settings object for cruddy_django, read from ``settings.CRUDDY_DJANGO``.

    # settings.py
    CRUDDY_DJANGO = {"PAGE_SIZE": 50, "DEFAULT_POLICIES": {"*": ["cruddy_django.policies.is_authenticated"]}}
    from cruddy_django.conf import cruddy_settings; cruddy_settings.PAGE_SIZE  # -> 50

Values are looked up lazily and the cache is dropped on ``setting_changed``, so ``override_settings`` works.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

SETTING_NAME = "CRUDDY_DJANGO"

DEFAULTS: dict[str, Any] = {
    # Rows per page when the client does not ask for a page size.
    "PAGE_SIZE": 20,
    # The largest page a client may ask for; a larger `page_size` or `limit` is a 400.
    "MAX_PAGE_SIZE": 1000,
    # Policies applied to every resource unless its own `policies` option names the action.
    # Keys are actions ("*", "list", "retrieve", "create", "update", "partial_update", "destroy" or a
    # route name); values are lists of permission classes, callables or import strings. A project's setting
    # replaces this whole dict. The default: DRF's own DEFAULT_PERMISSION_CLASSES for every action (AllowAny
    # unless the project's REST_FRAMEWORK says otherwise), and writes need a signed-in user on top of that.
    # `update` also guards PATCH, upserts, filtered bulk updates, relation writes and writing routes;
    # `destroy` also guards filtered bulk deletes (see cruddy_django.access.ACTION_FALLBACKS).
    "DEFAULT_POLICIES": {
        "*": ["cruddy_django.policies.drf_defaults"],
        "create": ["cruddy_django.policies.is_authenticated"],
        "update": ["cruddy_django.policies.is_authenticated"],
        "destroy": ["cruddy_django.policies.is_authenticated"],
    },
    # The most rows one bulk write (array body, filtered PATCH or DELETE) may touch.
    "MAX_BULK": 10_000,
    # Bounds on one request's query (see cruddy_django.query.QueryLimits): max_depth (where nesting),
    # max_clauses, max_in_items, max_sort_keys, max_path_length, max_param_length.
    "QUERY_LIMITS": {},
    # Regular-expression filters (backo's $re/$reg, where's *regexp_match) are off: a hostile pattern can
    # keep the database busy (ReDoS). Turn them on for trusted clients only.
    "ALLOW_REGEX": False,
    # The name of the default site, which is the URL namespace `site.urls` installs
    # (reverse("cruddy:assets-materials-list")); another ResourceSite(name=...) installs its own name.
    "URL_NAMESPACE": "cruddy",
    # Title and version shown in the API root, the OpenAPI schema and the Swagger UI.
    "TITLE": "cruddy_django API",
    "VERSION": "1.0.0",
    # Renderer classes of every generated view (the browsable API keeps working when listed).
    "RENDERER_CLASSES": [
        "cruddy_django.drf.renderers.FastJSONRenderer",  # DRF's JSONRenderer, byte for byte, through orjson
        # DRF's browsable API, whose forms show only what the request may read, write and see
        "cruddy_django.drf.renderers.ResourceBrowsableAPIRenderer",
    ],
    # How many relations deep `fields`, `expand` and `include` may nest (crew.lead is 2).
    "MAX_EXPAND_DEPTH": 4,
    # The most related rows one to-many relation shows per parent (expanded, or as a list of pks), in the
    # related resource's list order; a parent whose list was cut carries `"_more": {"<relation>": "<URL>"}`.
    # A resource's `expand_limit` option sets its own.
    "EXPAND_LIMIT": 100,
    # The most rows (parents and expanded rows) one response may hold: a request whose page and expansions
    # could exceed it is a 400 naming a smaller page_size (or fewer expansions).
    "MAX_RESPONSE_ROWS": 50_000,
    # PostgreSQL only: every API request runs with `SET LOCAL statement_timeout` of this many milliseconds, so
    # no client query keeps the database busy; a cancelled query is a 503 naming this setting. None or 0 leaves
    # the database's own setting.
    "STATEMENT_TIMEOUT": 5000,
    # Build read responses straight from projected values when no per-row Python is needed (no field
    # rules, no custom serializer); False serializes every read through DRF's serializers.
    "FAST_READS": True,
    # Seconds a client is told to wait (the Retry-After header of a 503) when the database is unavailable,
    # out of connections or locked.
    "RETRY_AFTER": 5,
    # Queries slower than this many milliseconds, run while a view of a site answers, are logged on the
    # `cruddy_django.queries` logger with the request id; None turns the timing off.
    "SLOW_QUERY_MS": 500,
    # Checks of GET <api root>_health/: a name (a key of the answer) -> a callable or import string that
    # raises when that dependency is unavailable. The database check runs `SELECT 1` on every database.
    "HEALTH_CHECKS": {"database": "cruddy_django.http.health.check_databases"},
    # The password of every user `manage.py seed` makes (any model built on AbstractBaseUser), hashed once.
    "SEED_PASSWORD": "seed-password",
}

IMPORT_STRINGS = {"RENDERER_CLASSES"}
IMPORT_STRING_MAPS = {"HEALTH_CHECKS"}


class CruddySettings:
    """Attribute access to the merged defaults and user settings, import strings resolved on demand."""

    def __init__(self, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self._cached: dict[str, Any] = {}

    @property
    def user_settings(self) -> dict[str, Any]:
        return getattr(settings, SETTING_NAME, {}) or {}

    def __getattr__(self, name: str) -> Any:
        if name not in self.defaults:
            raise AttributeError(f"Invalid cruddy_django setting: {name!r}")
        if name not in self._cached:
            value = self.user_settings.get(name, self.defaults[name])
            if name in IMPORT_STRINGS:
                value = [import_string(item) if isinstance(item, str) else item for item in value]
            elif name in IMPORT_STRING_MAPS:
                value = {key: import_string(item) if isinstance(item, str) else item for key, item in value.items()}
            self._cached[name] = value
        return self._cached[name]

    def reload(self) -> None:
        self._cached.clear()


cruddy_settings = CruddySettings(DEFAULTS)

__all__ = ["DEFAULTS", "CruddySettings", "SettingDefault", "cruddy_settings"]


class SettingDefault:
    """A class attribute read from the settings at each access (``renderer_classes =
    SettingDefault("RENDERER_CLASSES")``), so ``override_settings`` applies; a subclass or mixin that sets
    the attribute itself wins, as for any class attribute."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        return getattr(cruddy_settings, self.name)


def _reload_settings(*, setting: str, **kwargs: Any) -> None:
    if setting == SETTING_NAME:
        cruddy_settings.reload()


setting_changed.connect(_reload_settings)
