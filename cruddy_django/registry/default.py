"""The default site, created on first use from the class the app config names (as Django's admin does).

    from cruddy_django import site          # this object
    site.register(Pilot)                     # what @resource and ResourceModel do

``CruddyDjangoConfig.default_site`` is ``"cruddy_django.http.ResourceSite"``: the registry's own layer never
imports the HTTP layer, it is told which class to build. Only ``ResourceModel``, ``@resource`` and the top of
the package (URLs, commands) use this object; everything else reaches the site through ``resource.site``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.apps import apps
from django.utils.functional import LazyObject
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from cruddy_django.registry.sites import ResourceRegistry

__all__ = ["DefaultSite", "site"]


class DefaultSite(LazyObject):
    def _setup(self) -> None:
        # `default_site` is an attribute of CruddyDjangoConfig (a layer above), not of the AppConfig the stubs return.
        site_class = import_string(apps.get_app_config("cruddy_django").default_site)  # type: ignore[attr-defined]
        self._wrapped = site_class()


# The LazyObject proxies every attribute to the ResourceRegistry it builds on first use: type it as one.
site = cast("ResourceRegistry", DefaultSite())
