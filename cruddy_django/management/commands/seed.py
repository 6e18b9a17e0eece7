"""``manage.py seed``: fill the database with realistic fake data, through each resource's factory.

    $ python manage.py seed                          # every resource, each factory's default count
    $ python manage.py seed staff assets.Rocket=500 --seed 42
    $ python manage.py seed --clear --no-input --count 1000

A thin layer over ``cruddy_django.seeding.Seeder``: it parses the labels, asks before clearing, draws a
progress line per model on a terminal and prints the summary.
"""

from __future__ import annotations

import time
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, models

from cruddy_django.exceptions import NotRegistered
from cruddy_django.introspection import app_label, model_label, verbose_names
from cruddy_django.registry.default import site
from cruddy_django.seeding import Seeder, SeedingError
from cruddy_django.seeding.runner import DEFAULT_COUNT

__all__ = ["Command"]


BAR_WIDTH = 30


def parse_label(label: str) -> tuple[list[type[models.Model]], int | None]:
    """``assets``, ``assets.Rocket``, ``Rocket`` or any of them with ``=COUNT`` -> (models, count)."""
    name, has_count, raw_count = label.partition("=")
    count = None
    if has_count:
        try:
            count = int(raw_count)
        except ValueError:
            count = -1
        if count < 0:
            raise CommandError(f"The count in {label!r} must be a whole number of rows (0 or more), "
                               f"not {raw_count!r}.")
    if "." in name:
        try:
            return [apps.get_model(name)], count
        except (LookupError, ValueError):
            raise CommandError(
                f"Unknown model {name!r}: use app_label.ModelName, e.g. assets.Rocket."
            ) from None
    registered = [resource.model for resource in site.resources if app_label(resource.model) == name]
    if registered:
        return registered, count
    try:
        return [site.get_resource(name).model], count
    except NotRegistered:
        known = ", ".join(sorted({app_label(resource.model) for resource in site.resources}))
        raise CommandError(f"{name!r} is neither an app with resources ({known}) nor a registered "
                           f"resource.") from None


def summary_lines(report: dict[type[models.Model], int]) -> list[str]:
    """``["- Astronauts: 42", ...]``, the missions seed script's summary."""
    plurals = {model: verbose_names(model)[1] for model in report}
    return [f"- {plurals[model][:1].upper()}{plurals[model][1:]}: {count:,}"
            for model, count in report.items()]


class Command(BaseCommand):
    help = "Fill the database with realistic fake data for the registered resources, in dependency order."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "labels", nargs="*", metavar="app_label[.Model][=COUNT]",
            help="What to seed (default: every registered resource). Models the named ones need and that "
                 "have no rows yet are seeded too.")
        parser.add_argument(
            "--count", type=int, default=None,
            help=f"Rows per model named without =COUNT (default: the factory's _seed_count, else "
                 f"{DEFAULT_COUNT}).")
        parser.add_argument("--seed", type=int, default=None,
                            help="Random seed: the same seed gives the same data (default: random).")
        parser.add_argument("--clear", action="store_true",
                            help="Delete the named models' rows first (default: keep them and add).")
        parser.add_argument("--no-input", "--noinput", action="store_false", dest="interactive",
                            help="Do not ask before --clear deletes rows.")
        parser.add_argument("--quiet", action="store_true",
                            help="No progress and no summary (no progress either when not on a terminal).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help=f"Database alias to seed (default: {DEFAULT_DB_ALIAS!r}).")

    def handle(self, *args: str, **options: Any) -> None:
        labels = options["labels"]
        if options["count"] is not None and options["count"] < 0:
            raise CommandError(f"--count must be 0 or more, not {options['count']}.")
        requests: dict[type[models.Model], int | None] = {}
        for label in labels:
            label_models, count = parse_label(label)
            for model in label_models:  # an explicit count wins over an app label's default
                requests[model] = count if count is not None else requests.get(model)
        if not labels:
            requests = dict.fromkeys((resource.model for resource in site.resources), None)
        if not requests:
            raise CommandError("There is nothing to seed: no resource is registered.")
        if options["clear"] and options["interactive"]:
            self._confirm_clear(list(requests), options["database"])
        quiet = options["quiet"] or options["verbosity"] < 1
        progress = None if quiet or not self.stdout.isatty() else self._progress
        seeder = Seeder(site, database=options["database"], seed=options["seed"], count=options["count"],
                        progress=progress)
        started = time.perf_counter()
        try:
            report = seeder.run(requests, clear=options["clear"])
        except SeedingError as error:
            raise CommandError(str(error)) from error
        if not quiet:
            total = sum(report.values())
            self.stdout.write("Mock data generated:")
            for line in summary_lines(report):
                self.stdout.write(line)
            self.stdout.write(f"{total:,} rows in {time.perf_counter() - started:.2f} s.")

    def _confirm_clear(self, targets: list[type[models.Model]], database: str) -> None:
        names = ", ".join(model_label(model) for model in targets)
        answer = input(f"This deletes every row of {names} in the {database!r} database "
                       f"(and rows that cascade from them). Type 'yes' to continue: ")
        if answer.strip().lower() != "yes":
            raise CommandError("Seeding cancelled: nothing was deleted.")

    def _progress(self, model: type[models.Model], done: int, total: int) -> None:
        filled = BAR_WIDTH * done // max(total, 1)
        if (model, filled) == getattr(self, "_last_bar", None) and done < total:
            return  # redraw only when the bar moves
        self._last_bar = (model, filled)
        line = f"\r{model_label(model):<24} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:,}/{total:,}"
        self.stdout.write(line, ending="\n" if done >= total else "")
        self.stdout.flush()
