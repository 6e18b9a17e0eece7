"""The Django app config: registers the system checks and loads every app's ``resources`` module."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CruddyDjangoConfig(AppConfig):
    name = "cruddy_django"
    verbose_name = "cruddy_django"

    def ready(self) -> None:
        from cruddy_django import checks  # noqa: F401  (registers the system checks)

        autodiscover_modules("resources")
