"""Seeding factories of the assets app, shaped like the missions seed script.

    from example_project.assets.factories import RocketFactory
    rocket = RocketFactory.create()          # with 1-10 parts, each of a different material
    # `manage.py seed` makes 1-100 materials and 1-100 rockets, with their parts

Named by ``Resource.factory`` on the models, so ``site.get_resource("Rocket").factory`` is ``RocketFactory``.
"""

from __future__ import annotations

import random
from typing import Any

import factory

from cruddy_django.seeding import Seeder, factory_for, rng

from .models import Material, Rocket, RocketPart


def build_parts(rocket: Rocket, materials: list[Material], generator: random.Random) -> list[RocketPart]:
    """1-10 unsaved parts coded 0000, 0010, ..., each of a different material (both unique per rocket)."""
    chosen = generator.sample(materials, generator.randint(min(1, len(materials)), min(10, len(materials))))
    return [
        RocketPart(rocket=rocket, material=material, code=f"{index * 10:04d}",
                   quantity=generator.randint(1, 10))
        for index, material in enumerate(chosen)
    ]


class MaterialFactory(factory_for(Material)):
    class Meta:
        model = Material

    _seed_count = (1, 100)
    price = factory.LazyFunction(lambda: round(rng().uniform(100_000, 100_000_000), 2))


class RocketFactory(factory_for(Rocket)):
    class Meta:
        model = Rocket

    _seed_count = (1, 100)
    _seed_bulk = True  # `parts` below is replayed in bulk by _after_bulk_create
    _seed_depends_on = ("assets.Material",)

    @factory.post_generation
    def parts(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or extracted is not None:
            return
        materials = list(Material.objects.using(self._state.db)) or MaterialFactory.create_batch(10)
        RocketPart.objects.using(self._state.db).bulk_create(build_parts(self, materials, rng()))

    @classmethod
    def _after_bulk_create(cls, instances: list[Rocket], seeder: Seeder) -> None:
        materials = seeder.pool(Material)
        seeder.bulk_create(
            part for rocket in instances for part in build_parts(rocket, materials, seeder.random)
        )


class RocketPartFactory(factory_for(RocketPart)):
    class Meta:
        model = RocketPart

    _seed_count = 0  # parts come with their rocket; `seed assets.RocketPart=50` still makes loose ones
    quantity = factory.LazyFunction(lambda: rng().randint(1, 10))
