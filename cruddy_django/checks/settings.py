"""System checks of the project's settings: the apps cruddy_django needs, DRF's schema class, every key of
``CRUDDY_DJANGO`` (a misspelt key would otherwise be ignored without a word), and SQLite files that serve writes.

    $ python manage.py check
    ?: (cruddy_django.E009) CRUDDY_DJANGO has an unknown key 'PAGESIZE'.  HINT: Did you mean 'PAGE_SIZE'?
"""

from __future__ import annotations

import difflib
from dataclasses import fields
from typing import Any

from django.conf import settings
from django.core import checks
from django.db import router

from cruddy_django.conf import DEFAULTS, SETTING_NAME
from cruddy_django.query import QueryLimits
from cruddy_django.registry import all_sites

__all__ = ["check_installed_apps", "check_schema_class", "check_settings_keys", "check_sqlite_concurrency"]


@checks.register()
def check_installed_apps(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    missing = [app for app in ("rest_framework", "django_filters", "drf_spectacular",
                               "drf_spectacular_sidecar") if app not in settings.INSTALLED_APPS]
    return [
        checks.Warning(
            f"{app!r} is not in INSTALLED_APPS; cruddy_django needs it"
            + (" to serve the Swagger UI without a CDN." if app == "drf_spectacular_sidecar" else "."),
            hint=f"Add {app!r} to INSTALLED_APPS.", id="cruddy_django.W001")
        for app in missing
    ]


@checks.register()
def check_schema_class(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from drf_spectacular.openapi import AutoSchema
    from rest_framework.settings import api_settings

    if isinstance(api_settings.DEFAULT_SCHEMA_CLASS, type) and issubclass(
        api_settings.DEFAULT_SCHEMA_CLASS, AutoSchema
    ):
        return []
    return [
        checks.Error(
            "REST_FRAMEWORK['DEFAULT_SCHEMA_CLASS'] must be drf-spectacular's AutoSchema for the OpenAPI "
            "schema and Swagger UI of cruddy_django.",
            hint='Set REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema", ...}.',
            id="cruddy_django.E007",
        )
    ]


def _unknown(where: str, known: list[str], given: Any) -> list[checks.CheckMessage]:
    if not isinstance(given, dict):
        return [checks.Error(f"{where} must be a dict, not {type(given).__name__}.", id="cruddy_django.E009")]
    errors: list[checks.CheckMessage] = []
    for key in sorted(set(given) - set(known)):
        close = difflib.get_close_matches(str(key), known, n=1)
        errors.append(checks.Error(
            f"{where} has an unknown key {key!r}.",
            hint=f"Did you mean {close[0]!r}?" if close else f"Valid keys: {', '.join(sorted(known))}.",
            id="cruddy_django.E009"))
    return errors


@checks.register()
def check_settings_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every key of ``CRUDDY_DJANGO`` and of its ``QUERY_LIMITS`` is one cruddy_django reads."""
    user_settings = getattr(settings, SETTING_NAME, None)
    if user_settings is None:
        return []
    errors = _unknown(SETTING_NAME, list(DEFAULTS), user_settings)
    if isinstance(user_settings, dict) and "QUERY_LIMITS" in user_settings:
        limits = [field.name for field in fields(QueryLimits)]
        errors += _unknown(f"{SETTING_NAME}['QUERY_LIMITS']", limits, user_settings["QUERY_LIMITS"])
    return errors


WRITE_ACTIONS = {"create", "update", "partial_update", "destroy"}
SQLITE_OPTIONS_HINT = ('OPTIONS={"transaction_mode": "IMMEDIATE", "timeout": 20, '
                       '"init_command": "PRAGMA journal_mode=WAL;"} (docs/deployment.md, "SQLite")')


def _in_memory(database: dict[str, Any]) -> bool:
    name = str(database.get("NAME") or "")
    return name in {"", ":memory:"} or "mode=memory" in name


def _sqlite_concurrency_gaps(options: dict[str, Any]) -> list[str]:
    gaps = []
    if str(options.get("transaction_mode", "DEFERRED")).upper() not in {"IMMEDIATE", "EXCLUSIVE"}:
        gaps.append("its transactions are DEFERRED (a write that upgrades its lock fails at once with "
                    "'database is locked' when another connection writes)")
    if "journal_mode=wal" not in str(options.get("init_command", "")).replace(" ", "").lower():
        gaps.append("it does not ask for WAL (readers and the writer then block each other)")
    return gaps


@checks.register()
def check_sqlite_concurrency(
    app_configs: Any = None, *, databases: Any = None, database_settings: dict[str, Any] | None = None,
    **kwargs: Any,
) -> list[checks.CheckMessage]:
    """A SQLite file that resources write to, without IMMEDIATE transactions and WAL, fails concurrent
    writes from several threads or workers with 'database is locked'."""
    configured: dict[str, Any] = dict(settings.DATABASES) if database_settings is None else database_settings
    written = {router.db_for_write(resource.model) for registry in all_sites for resource in registry.resources
               if not set(resource.options.disable) >= WRITE_ACTIONS}
    warnings: list[checks.CheckMessage] = []
    for alias in sorted(alias for alias in written if alias in configured):
        database = configured[alias]
        if not str(database.get("ENGINE", "")).endswith("sqlite3") or _in_memory(database):
            continue
        gaps = _sqlite_concurrency_gaps(database.get("OPTIONS") or {})
        if gaps:
            warnings.append(checks.Warning(
                f"The SQLite database {alias!r} serves writes, but {' and '.join(gaps)}.",
                hint=f"Set {SQLITE_OPTIONS_HINT}.", id="cruddy_django.W002"))
    return warnings
