"""Writes: the one row writer, upsert matching, delete strategies and the body of a write.

    writer = RowWriter(site, Material, request)
    writer.create([{"code": "STEEL", ...}]); writer.update([(row, {"price": 13})]); writer.delete(rows)

The HTTP layer (``cruddy_django.http.writes``) validates bodies with the resource's serializer and hands
the validated data here; every row of a request goes through one ``RowWriter``, which sends the signals.
"""

from __future__ import annotations

from cruddy_django.writes.writer import RowWriter

__all__ = ["RowWriter"]
