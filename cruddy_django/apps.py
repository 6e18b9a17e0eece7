"""The Django app config: names the class of the default site, registers the system checks and loads every
app's ``resources`` module."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules

__all__ = ["CruddyDjangoConfig"]


class CruddyDjangoConfig(AppConfig):
    name = "cruddy_django"
    verbose_name = "cruddy_django"
    # The class of ``cruddy_django.site``, built on first use (a subclass of this config may name its own,
    # as with django.contrib.admin's default_site).
    default_site = "cruddy_django.http.ResourceSite"

    def ready(self) -> None:
        from cruddy_django import checks  # noqa: F401  (registers the system checks)

        autodiscover_modules("resources")
