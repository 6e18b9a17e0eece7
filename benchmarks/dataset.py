"""The benchmark's missions dataset, built with bulk inserts from a fixed random seed.

    rocket_pk = build_dataset()   # 10,000 missions, 1,000 astronauts, 100 crews, 1,000 rockets, 5,000 parts

Returns the pk of a rocket to retrieve. Sizes follow the benchmark's brief; the data is deterministic.
"""

from __future__ import annotations

import datetime
import random

from example_project.assets.models import Material, Rocket, RocketPart
from example_project.ops.models import Mission, Station
from example_project.staff.models import Astronaut, Crew

SIZES = {
    "missions": 10_000,
    "astronauts": 1_000,
    "crews": 100,
    "rockets": 1_000,
    "parts_per_rocket": 5,
    "materials": 100,
    "stations": 100,
}
ROLES = ["doctor", "engineer", "pilot", "technician"]


def build_dataset(seed: int = 42) -> int:
    rng = random.Random(seed)
    text = "The quick brown fox jumps over the lazy dog near the launch pad"
    materials = Material.objects.bulk_create(
        Material(
            code=f"MAT{i}", name=f"Material {i}", description=text, price=round(rng.uniform(1e5, 1e8), 2)
        )
        for i in range(SIZES["materials"])
    )
    astronauts = Astronaut.objects.bulk_create(
        Astronaut(code=f"AST{i}", name=f"Astronaut {i}", role=rng.choice(ROLES))
        for i in range(SIZES["astronauts"])
    )
    crews = Crew.objects.bulk_create(Crew(code=f"CRW{i}", name=f"Crew {i}") for i in range(SIZES["crews"]))
    through = Crew.astronauts.through
    links, leads = [], []
    for crew in crews:
        members = rng.sample(astronauts, rng.randint(2, 10))
        links += [through(crew_id=crew.pk, astronaut_id=member.pk) for member in members]
        crew.lead = rng.choice([*members, None])  # some crews have no lead: nulls are served too
        leads.append(crew)
    through.objects.bulk_create(links)
    Crew.objects.bulk_update(leads, ["lead"])
    rockets = Rocket.objects.bulk_create(
        Rocket(code=f"RKT{i}", name=f"Rocket {i}", description=text if i % 3 else None)
        for i in range(SIZES["rockets"])
    )
    RocketPart.objects.bulk_create(
        RocketPart(code=f"{k * 10:04d}", rocket=rocket, material=material, quantity=rng.randint(1, 10))
        for rocket in rockets
        for k, material in enumerate(rng.sample(materials, SIZES["parts_per_rocket"]))
    )
    stations = Station.objects.bulk_create(
        Station(code=f"STA{i}", name=f"Station {i}", description=text, coordinates=f"({i}.5, -{i}.25)")
        for i in range(SIZES["stations"])
    )
    start = datetime.date(2020, 1, 1)
    Mission.objects.bulk_create(
        Mission(
            code=f"MIS{i}",
            name=f"Mission {i}",
            description=text if i % 2 else None,
            crew=rng.choice(crews),
            rocket=rng.choice(rockets),
            station=rng.choice(stations),
            launch_date=start + datetime.timedelta(days=rng.randint(0, 6 * 365)),
        )
        for i in range(SIZES["missions"])
    )
    return rockets[len(rockets) // 2].pk
