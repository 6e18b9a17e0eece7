"""Realistic fake data for any model: factory-boy factories built by introspection, and a fast seeder.

    from cruddy_django.seeding import Seeder, factory_for
    factory_for(Rocket).create_batch(5)                 # in a test
    Seeder(site, seed=42).run({Rocket: 100, Mission: None})   # what `manage.py seed` does

See docs/seeding.md for the field tables, the knobs of hand-written factories and the command.
"""

from __future__ import annotations

from cruddy_django.seeding.errors import SeedingError
from cruddy_django.seeding.factories import SeedingFactory, factory_for, resolve_factory, using_site
from cruddy_django.seeding.providers import rng
from cruddy_django.seeding.runner import Seeder

__all__ = ["Seeder", "SeedingError", "SeedingFactory", "factory_for", "resolve_factory", "rng", "using_site"]
