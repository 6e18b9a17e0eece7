"""A site's cache under a threaded server: each value is built once, and no thread sees a half-built one."""

import threading

from cruddy_django.registry.cache import SiteCache


def test_a_value_being_built_is_waited_for_not_built_again():
    cache = SiteCache()
    building, release = threading.Event(), threading.Event()
    calls = []

    def build():
        calls.append(threading.current_thread().name)
        if len(calls) == 1:  # the first build is slow: the second thread arrives meanwhile
            building.set()
            release.wait()
        return object()

    results = {}
    first = threading.Thread(target=lambda: results.setdefault("first", cache.get("plan", "k", build)), name="first",
                             daemon=True)
    second = threading.Thread(target=lambda: results.setdefault("second", cache.get("plan", "k", build)),
                              name="second", daemon=True)
    first.start()
    building.wait()
    second.start()
    try:
        second.join(timeout=0.2)
        assert second.is_alive()  # it waits for the first build instead of making its own
    finally:
        release.set()
        first.join()
        second.join()
    assert calls == ["first"]
    assert results["first"] is results["second"]


def test_a_build_may_read_other_entries_of_the_same_cache():
    cache = SiteCache()
    value = cache.get("plan", "outer", lambda: ("outer", cache.get("serializer", "inner", lambda: "inner")))
    assert value == ("outer", "inner")
    assert cache.get("serializer", "inner", lambda: "rebuilt") == "inner"


def test_a_serializer_never_copies_the_site():
    """DRF deep-copies a serializer's declared fields for each serializer; a computed field refers to its
    resource, so a copy would drag the whole site and its cache along (and race other threads)."""
    import copy

    from cruddy_django import site
    from cruddy_django.drf.serializers import serializer_class_for

    rockets = site.get_resource("Rocket")
    fields = copy.deepcopy(serializer_class_for(rockets)._declared_fields)
    assert fields["price"].resource is rockets
    assert copy.deepcopy(rockets.site) is rockets.site and copy.deepcopy(rockets.site.cache) is rockets.site.cache
