"""The full-text search configurations a PostgreSQL database has, read once per connection.

    text_search_configs(connection)   # {"simple", "english", "french", ...}

A query naming a configuration the database lacks would fail in SQL; the compiler checks the name first.
"""

from __future__ import annotations

from typing import Any

__all__ = ["text_search_configs"]

_ATTRIBUTE = "_cruddy_text_search_configs"


def text_search_configs(connection: Any) -> set[str]:
    """The names of ``pg_ts_config`` (lower case), cached on the connection object."""
    known = getattr(connection, _ATTRIBUTE, None)
    if known is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT cfgname FROM pg_catalog.pg_ts_config")
            known = {str(name).lower() for (name,) in cursor.fetchall()}
        setattr(connection, _ATTRIBUTE, known)
    return known
