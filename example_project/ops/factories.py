"""Seeding factories of the ops app: stations named after cities, missions with one-word names.

    from example_project.ops.factories import MissionFactory
    mission = MissionFactory.create()        # points at an existing crew, rocket and station (or new ones)
    # `manage.py seed` makes 1-100 stations and 1-100 missions

Named by ``Resource.factory`` on the models: ``site.get_resource("Mission").factory`` is ``MissionFactory``.
"""

from __future__ import annotations

import factory

from cruddy_django.seeding import factory_for
from cruddy_django.seeding.providers import FAKE

from .models import Mission, Station


class StationFactory(factory_for(Station)):
    class Meta:
        model = Station

    _seed_count = (1, 100)
    name = factory.LazyFunction(FAKE.city)


class MissionFactory(factory_for(Mission)):
    class Meta:
        model = Mission

    _seed_count = (1, 100)
    name = factory.LazyFunction(lambda: FAKE.word().capitalize())
