"""Look-ups by many keys in chunks small enough for every database's bound on query parameters.

    for part in chunks(pks):
        rows.update(queryset.in_bulk(part))
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

__all__ = ["CHUNK_SIZE", "chunks"]

T = TypeVar("T")

# Keys per IN (...) list: under SQLite's historical limit of 999 bound parameters, with room for the rest
# of the statement. The one chunk size of the package.
CHUNK_SIZE = 900


def chunks(values: Sequence[T], size: int = CHUNK_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
