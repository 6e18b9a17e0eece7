"""The example's database settings, from ``DATABASE_URL`` (SQLite in this folder when it is not set).

    database_settings(None)                                  # SQLite, WAL, IMMEDIATE transactions
    database_settings("postgres://app@db:5432/missions")     # PostgreSQL through psycopg's pool

- SQLite: WAL (readers and the writer do not block each other), ``IMMEDIATE`` transactions (a write takes
  its lock when the transaction starts, so it waits for another writer instead of failing with "database
  is locked"), and a 20 s busy timeout. ``cruddy_django.W002`` warns when a SQLite database lacks these.
- PostgreSQL: Django's psycopg pool, bounded (``DATABASE_POOL_SIZE`` connections per process, by default
  the server's threads per worker, ``WEB_THREADS``) with a timeout (a request that waits longer for a
  connection is a 503), connections checked before use (a restarted database leaves no dead ones), and a
  statement timeout (``DATABASE_STATEMENT_TIMEOUT_MS``, 30 s by default).
- Other engines: persistent connections (60 s) with health checks.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = ["SQLITE_OPTIONS", "database_settings"]

SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
DEFAULT_SQLITE_FILE = Path(__file__).resolve().parent / "db.sqlite3"


def _environment_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def database_settings(url: str | None) -> dict[str, Any]:
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": DEFAULT_SQLITE_FILE, "OPTIONS": dict(SQLITE_OPTIONS)}
    import dj_database_url

    database: dict[str, Any] = dict(dj_database_url.parse(url))
    engine = database["ENGINE"]
    options = database.setdefault("OPTIONS", {})
    if engine.endswith("sqlite3"):
        options.update(SQLITE_OPTIONS)
    elif engine == "django.db.backends.postgresql":
        size = _environment_int("DATABASE_POOL_SIZE", _environment_int("WEB_THREADS", 4))
        options["pool"] = {
            "min_size": 1,
            "max_size": size,
            "timeout": _environment_int("DATABASE_POOL_TIMEOUT", 10),  # seconds a request waits, then a 503
        }
        # With a pool, Django's health checks are the pool's: each connection is checked when a request takes it,
        # so one that died with a database restart is replaced instead of failing the request.
        database["CONN_HEALTH_CHECKS"] = True
        statement_timeout = _environment_int("DATABASE_STATEMENT_TIMEOUT_MS", 30_000)
        options["options"] = f"-c statement_timeout={statement_timeout}"
        database["CONN_MAX_AGE"] = 0  # the pool keeps the connections
    else:
        database["CONN_MAX_AGE"] = 60
        database["CONN_HEALTH_CHECKS"] = True
    return database
