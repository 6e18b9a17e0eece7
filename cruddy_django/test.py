"""Helpers for testing an API built with cruddy_django.

    from cruddy_django.test import override_resource

    @override_resource(Rocket, page_size=2, field_rules={"price": {"read": staff_only}})
    def test_pages_of_two(api): ...

    with override_resource(Crew, scope=lambda request, queryset: queryset.none()):
        ...

Like Django's ``override_settings``: the options change for the block and are restored after it. What the
site built (serializers, viewsets, plans, descriptions) is rebuilt for the block, and put back as it was
after it, so classes that URL patterns already hold stay the site's own; nothing needs clearing by hand.
"""

from __future__ import annotations

from contextlib import ContextDecorator
from typing import Any

from django.db import models
from django.urls import get_resolver

from cruddy_django.registry import ResourceOptions, ResourceRegistry
from cruddy_django.registry.default import site as default_site

__all__ = ["override_resource"]


class override_resource(ContextDecorator):
    """Change a registered resource's options for a block or a test (``site`` defaults to the default)."""

    def __init__(self, model: type[models.Model], *, site: ResourceRegistry | None = None, **options: Any) -> None:
        self.model = model
        self.site = site
        self.options = options
        self.previous: dict[type[models.Model], tuple[ResourceOptions, dict[str, Any]]] | None = None
        self.built: Any = None

    def _site(self) -> ResourceRegistry:
        return self.site if self.site is not None else default_site

    def __enter__(self) -> override_resource:
        site = self._site()
        # Load the URLconf first: the URL patterns keep the viewset classes they were built with, so these
        # must be the ones the restored cache holds (else the schema meets two classes of one resource).
        get_resolver().url_patterns  # noqa: B018
        self.built = site.cache.snapshot()
        self.previous = site.options_snapshot()  # children and proxies follow their parent: keep them all
        site.reconfigure(self.model, **self.options)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        site = self._site()
        if self.previous is not None:
            site.restore_options(self.previous)
        site.cache.restore(self.built)
