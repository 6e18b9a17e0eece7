"""A statement timeout on PostgreSQL for every API request: no client query keeps the database busy for long.

    CRUDDY_DJANGO = {"STATEMENT_TIMEOUT": 5000}    # milliseconds; None or 0: the database's own setting
    apply_statement_timeout(connection)            # SET LOCAL statement_timeout, inside the request's transaction

``SET LOCAL`` lasts until the transaction ends, so the limit never leaks to other users of a pooled
connection. A cancelled statement becomes a 503 that names the setting (``exceptions.translate_exception``).
"""

from __future__ import annotations

from typing import Any

from cruddy_django.conf import cruddy_settings

__all__ = ["apply_statement_timeout", "statement_timeout"]


def statement_timeout(connection: Any) -> int | None:
    """The timeout in milliseconds for requests on ``connection``: the setting, on PostgreSQL only."""
    timeout = cruddy_settings.STATEMENT_TIMEOUT
    if not timeout or connection.vendor != "postgresql":
        return None
    return int(timeout)


def apply_statement_timeout(connection: Any, timeout: int) -> None:
    """``SET LOCAL statement_timeout`` for the current transaction. It is sent on the driver's cursor: a
    setting, not a query of the request, so the query log (and the query counts of tests) show only reads
    and writes."""
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL statement_timeout = {int(timeout)}")

