"""Helpers that make the database unavailable for the current thread, as a real outage would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections


@contextmanager
def database_down(alias: str = "default") -> Iterator[None]:
    """Until the block ends, ``connections[alias]`` points at a database that does not exist (a wrong name:
    a missing PostgreSQL database, or a SQLite file in a folder that does not exist), so every query fails to
    connect. The real connection (and the test's transaction on it) is put back afterwards."""
    good = connections[alias]
    settings = dict(good.settings_dict)
    if good.vendor == "sqlite":
        settings["NAME"] = "/nonexistent-folder/cruddy-missing.sqlite3"
    else:
        settings["NAME"] = f"{settings['NAME']}_missing"
    bad = type(good)(settings, alias)
    connections[alias] = bad
    try:
        yield
    finally:
        bad.close()
        connections[alias] = good
