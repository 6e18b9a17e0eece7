"""The registry: sites, resources and their options, the model mixins and decorators, route declarations.

    from cruddy_django.registry import ResourceRegistry, Resource, ResourceOptions
    registry = ResourceRegistry(); registry.register(Rocket, page_size=10)

It knows no view, serializer or URL (``cruddy_django.http`` adds those): only what was registered and how.
"""

from __future__ import annotations

from cruddy_django.registry.cache import SiteCache
from cruddy_django.registry.options import ResourceOptions, build_options
from cruddy_django.registry.sites import Resource, ResourceRegistry, all_sites

__all__ = ["Resource", "ResourceOptions", "ResourceRegistry", "SiteCache", "all_sites", "build_options"]
