"""Seeding factories of the staff app: crews of 2-10 astronauts with a lead among them.

    from example_project.staff.factories import CrewFactory
    crew = CrewFactory.create()              # members sampled from existing astronauts, lead among them
    crew = CrewFactory.create(astronauts=[ada, bob])

Named by ``Resource.factory`` on the models, so ``site.get_resource("Crew").factory`` is ``CrewFactory``.
"""

from __future__ import annotations

import random
from typing import Any

import factory

from cruddy_django.seeding import Seeder, factory_for, rng
from cruddy_django.seeding.providers import FAKE

from .models import Astronaut, Crew


def pick_members(astronauts: list[Astronaut], generator: random.Random) -> list[Astronaut]:
    return generator.sample(astronauts, min(len(astronauts), generator.randint(2, 10)))


class AstronautFactory(factory_for(Astronaut)):
    class Meta:
        model = Astronaut

    _seed_count = (1, 100)


class CrewFactory(factory_for(Crew)):
    class Meta:
        model = Crew

    _seed_count = (1, 10)
    _seed_bulk = True  # `astronauts` below is replayed in bulk by _after_bulk_create
    name = factory.LazyFunction(lambda: FAKE.word().capitalize())
    lead = None  # chosen among the members, once they are known

    @factory.post_generation
    def astronauts(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        if extracted is None:
            pool = list(Astronaut.objects.using(self._state.db))
            extracted = pick_members(pool if len(pool) >= 2 else AstronautFactory.create_batch(2), rng())
        self.astronauts.set(extracted)
        self.lead = rng().choice(list(extracted)) if extracted else None
        self.save(update_fields=["lead"])

    @classmethod
    def _after_bulk_create(cls, instances: list[Crew], seeder: Seeder) -> None:
        astronauts = seeder.pool(Astronaut)
        through = Crew.astronauts.through
        links = []
        for crew in instances:
            members = pick_members(astronauts, seeder.random)
            crew.lead = seeder.random.choice(members) if members else None
            links += [through(crew_id=crew.pk, astronaut_id=member.pk) for member in members]
        seeder.bulk_create(links)
        Crew.objects.using(seeder.database).bulk_update(instances, ["lead"])
