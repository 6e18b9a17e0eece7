"""One cache per site: what the upper layers build from a site's resources, kept until they change.

    site.cache.get("serializer", resource, lambda: build_serializer_class(resource), reads_settings=False)
    site.cache.get("plan", selection_key, build, limit=512)   # at most 512 plans, least recently used go first
    site.cache.clear()                 # done by register() and unregister()
    site.cache.clear(settings=True)    # done on setting_changed: what reads settings

Serializer and filterset classes, read plans, ``_meta`` descriptions and the like depend on the registered
resources, their options and the settings; keeping them on the site (not in module globals) makes a second
site independent of the first and means nobody ever clears a cache by hand.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["SiteCache"]

T = TypeVar("T")


class SiteCache:
    """Values by (kind, key); a kind given a ``limit`` keeps only its most recently used entries. Kinds
    built with ``reads_settings=False`` (the generated classes, which views and URL patterns hold on to)
    survive a change of settings; everything goes when the registry changes.

    Threaded servers build on the first requests of several threads at once: a build runs under the cache's
    lock (reentrant: a build may need other entries), so each value is built once and nobody sees it half
    built; reading a built value takes no lock."""

    def __init__(self) -> None:
        self._kinds: dict[str, OrderedDict[Hashable, Any]] = {}
        self._settings_free: set[str] = set()
        self._lock = threading.RLock()

    def get(self, kind: str, key: Hashable, build: Callable[[], T], *, limit: int | None = None,
            reads_settings: bool = True) -> T:
        if not reads_settings:
            self._settings_free.add(kind)
        entries = self._kinds.get(kind)
        if entries is not None and key in entries:
            try:
                value: T = entries[key]
                if limit is not None:
                    entries.move_to_end(key)
                return value
            except KeyError:  # evicted by another thread meanwhile: build it below
                pass
        with self._lock:
            entries = self._kinds.setdefault(kind, OrderedDict())
            if key in entries:
                return entries[key]
            value = build()
            entries = self._kinds.setdefault(kind, OrderedDict())  # the build may have cleared the cache
            entries[key] = value
            if limit is not None and len(entries) > limit:
                entries.popitem(last=False)
            return value

    def __deepcopy__(self, memo: dict[int, Any]) -> SiteCache:
        return self  # shared by every thread: never copied with something that refers to it

    def clear(self, *, settings: bool = False) -> None:
        """Forget everything, or with ``settings`` only what may read the settings."""
        with self._lock:
            if settings:
                for kind in set(self._kinds) - self._settings_free:
                    del self._kinds[kind]
            else:
                self._kinds.clear()

    def snapshot(self) -> dict[str, OrderedDict[Hashable, Any]]:
        """What the cache holds now, for ``restore`` (``override_resource`` puts things back as they were)."""
        return {kind: OrderedDict(entries) for kind, entries in self._kinds.items()}

    def restore(self, snapshot: dict[str, OrderedDict[Hashable, Any]]) -> None:
        self._kinds = {kind: OrderedDict(entries) for kind, entries in snapshot.items()}

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._kinds.values())
