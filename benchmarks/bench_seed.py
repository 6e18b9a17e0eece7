"""Seeding speed: ``manage.py seed``'s bulk engine against factory-boy's ``create_batch``, per row.

    $ python benchmarks/bench_seed.py              # ~100,000 rows of the missions example, SQLite file
    $ python benchmarks/bench_seed.py --scale 0.1  # a quick run
    $ python benchmarks/bench_seed.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    engine   102,345 rows in  9.8 s  ->  10,443 rows/s ... ratio 25.1x

Both sides use the same factories (the example's hand-written ones): the engine builds rows with
``Factory.build()`` and writes them with ``bulk_create`` in one transaction; the naive side calls
``Factory.create_batch()`` (one INSERT per row, autocommit) on a smaller count, and the ratio compares
rows per second. With ``--postgres``, a scratch database ``cruddy_seed_bench`` is made on that server
and dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Rows per model for the engine (Rocket also makes 1-10 parts each, Crew 2-10 member links each).
ENGINE_COUNTS = {"assets.Material": 10_000, "assets.Rocket": 10_000, "staff.Astronaut": 15_000,
                 "staff.Crew": 2_000, "ops.Station": 5_000, "ops.Mission": 5_000}
NAIVE_SHARE = 0.02  # create_batch on 2% of the engine's counts


SCRATCH_DATABASE = "cruddy_seed_bench"


def configure(database: dict) -> None:
    import django
    from django.conf import settings

    from example_project import settings as example

    values = {name: getattr(example, name) for name in dir(example) if name.isupper()}
    values["DATABASES"] = {"default": database}
    values["DEBUG"] = False
    settings.configure(**values)
    django.setup()


def count_rows(labels: list[str]) -> int:
    from django.apps import apps

    return sum(apps.get_model(label).objects.count() for label in labels)


def clear(labels: list[str]) -> None:
    from django.apps import apps

    for label in reversed(labels):
        apps.get_model(label).objects.all().delete()


def scratch_postgres(url: str, drop: bool = False) -> dict:
    """Create (or drop) the scratch database on the server of ``url``; return its Django settings."""
    import dj_database_url
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE}")
        if not drop:
            connection.execute(f"CREATE DATABASE {SCRATCH_DATABASE}")
    return {**dj_database_url.parse(url), "NAME": SCRATCH_DATABASE}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="Multiply every count (default: 1.0).")
    parser.add_argument("--postgres", metavar="URL", help="A PostgreSQL server URL (default: SQLite).")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if arguments.postgres:
            database = scratch_postgres(arguments.postgres)
        else:
            database = {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(folder, "bench.sqlite3")}
        configure(database)
        from django.apps import apps
        from django.core.management import call_command

        from cruddy_django import site
        from cruddy_django.seeding import Seeder

        call_command("migrate", run_syncdb=True, verbosity=0)
        labels = ["assets.Material", "assets.Rocket", "assets.RocketPart", "staff.Astronaut", "staff.Crew",
                  "ops.Station", "ops.Mission"]
        counts = {apps.get_model(label): max(1, int(count * arguments.scale))
                  for label, count in ENGINE_COUNTS.items()}

        started = time.perf_counter()
        Seeder(site, seed=1).run(counts)
        engine_seconds = time.perf_counter() - started
        engine_rows = count_rows(labels)
        clear(labels)

        started = time.perf_counter()
        for model, count in counts.items():
            site.get_resource(model).factory.create_batch(max(1, int(count * NAIVE_SHARE)))
        naive_seconds = time.perf_counter() - started
        naive_rows = count_rows(labels)
        if arguments.postgres:
            from django.db import connections

            connections.close_all()
            scratch_postgres(arguments.postgres, drop=True)

    engine_rate, naive_rate = engine_rows / engine_seconds, naive_rows / naive_seconds
    print(f"engine       {engine_rows:>9,} rows in {engine_seconds:6.1f} s -> {engine_rate:>9,.0f} rows/s")
    print(f"create_batch {naive_rows:>9,} rows in {naive_seconds:6.1f} s -> {naive_rate:>9,.0f} rows/s")
    print(f"ratio {engine_rate / naive_rate:.1f}x (bulk engine / create_batch, rows per second)")


if __name__ == "__main__":
    main()
