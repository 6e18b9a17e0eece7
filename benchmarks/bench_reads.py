"""Time the same reads through cruddy_django and four baselines, side by side in one process.

    python benchmarks/bench_reads.py                 # SQLite file database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python benchmarks/bench_reads.py
    python benchmarks/bench_reads.py --rounds 3 --seconds 0.2   # quicker, noisier

Builds the missions dataset (10,000 missions, 1,000 astronauts, 100 crews, 1,000 rockets with 5,000 parts)
in a database of its own, checks that every implementation answers with the same data, then prints requests
per second (median of the rounds), queries per request and cruddy_django's speed ratio to each baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django  # noqa: E402

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from benchmarks.dataset import build_dataset  # noqa: E402

IMPLEMENTATIONS = ["cruddy", "drf", "tuned", "flex", "floor"]
LABELS = {
    "cruddy": "cruddy_django",
    "drf": "(1) plain DRF",
    "tuned": "(2) tuned DRF",
    "flex": "(3) drf-flex-fields",
    "floor": "(4) .values() floor",
}
TARGETS = {"drf": 3.0, "tuned": 1.5, "flex": 1.5, "floor": 0.5}


def scenarios(rocket_pk: int) -> dict[str, dict[str, str]]:
    """Scenario -> implementation -> URL. cruddy's rocket carries its computed ``price``, which the
    scenario (a) baselines do not serve: it is excluded there, and computed by every baseline in (c)."""
    expand = "expand=crew.lead,rocket,station"
    flex_expand = "expand=crew,crew.lead,rocket,station"
    since = "launch_date__gte=2024-01-01"
    ordering = "ordering=-launch_date,id"
    return {
        "a. 100 missions, crew+lead+rocket+station": {
            "cruddy": f"/api/missions/?{expand}&exclude=rocket.price&page_size=100",
            "drf": "/drf/missions/?page_size=100",
            "tuned": "/tuned/missions/?page_size=100",
            "flex": f"/flex/missions/?{flex_expand}&page_size=100",
            "floor": "/floor/missions/?limit=100",
        },
        "b. 100 crews, astronauts (to-many)": {
            "cruddy": "/api/staff/crews/?expand=astronauts&page_size=100",
            "drf": "/drf/crews/?page_size=100",
            "tuned": "/tuned/crews/?page_size=100",
            "flex": "/flex/crews/?expand=astronauts&page_size=100",
            "floor": "/floor/crews/?limit=100",
        },
        "c. 1 rocket, parts.material + price": {
            "cruddy": f"/api/assets/rockets/{rocket_pk}/?expand=parts.material",
            "drf": f"/drf/rockets/{rocket_pk}/",
            "tuned": f"/tuned/rockets/{rocket_pk}/",
            "flex": f"/flex/rockets/{rocket_pk}/?expand=parts,parts.material",
            "floor": f"/floor/rockets/{rocket_pk}/",
        },
        "d. filtered, sorted list, 100 missions": {
            "cruddy": f"/api/missions/?{since}&sort=-launch_date&{expand}&exclude=rocket.price&page_size=100",
            "drf": f"/drf/missions/?{since}&{ordering}&page_size=100",
            "tuned": f"/tuned/missions/?{since}&{ordering}&page_size=100",
            "flex": f"/flex/missions/?{since}&{ordering}&{flex_expand}&page_size=100",
            "floor": f"/floor/missions/?{since}&{ordering}&limit=100",
        },
    }


def normalize(value: Any) -> Any:
    """The data of a response, whatever its key order, list order and float rounding."""
    if isinstance(value, dict):
        return {
            key: normalize(item)
            for key, item in value.items()
            if key not in {"next", "previous", "page", "page_size", "pages"}
        }
    if isinstance(value, list):
        return sorted((normalize(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, float):
        return round(value, 6)
    return value


def fetch(client: Client, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")
    return json.loads(response.content)


class WSGIClient:
    """GET requests straight through Django's WSGI handler, as a server would send them: none of the
    test client's bookkeeping (signals, response copies) weighs on the figures."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.factory = RequestFactory()

    def get(self, url: str) -> bytes:
        path, _, query = url.partition("?")
        environ = self.factory._base_environ(PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD="GET")
        response = self.handler(environ, lambda status, headers, exc_info=None: None)
        try:
            return b"".join(response)
        finally:
            response.close()


def measure(client: WSGIClient, url: str, seconds: float) -> float:
    """Requests per second over at least ``seconds`` (and at least 3 requests)."""
    count, started = 0, time.perf_counter()
    while True:
        client.get(url)
        count += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds and count >= 3:
            return count / elapsed


def run(rounds: int, seconds: float) -> list[dict[str, Any]]:
    client, wsgi = Client(), WSGIClient()
    rocket_pk = build_dataset()
    table = []
    for scenario, urls in scenarios(rocket_pk).items():
        reference = normalize(fetch(client, urls["cruddy"]))
        queries: dict[str, int] = {}
        for name, url in urls.items():
            data = normalize(fetch(client, url))
            same = data == reference
            if not same:
                raise SystemExit(
                    f"{LABELS[name]} does not serve the same data as cruddy_django for {scenario}."
                )
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries[name] = len(captured.captured_queries)
        samples: dict[str, list[float]] = {name: [] for name in urls}
        for _ in range(rounds):  # interleaved, so that drift hurts every implementation alike
            for name, url in urls.items():
                wsgi.get(url)  # warm
                samples[name].append(measure(wsgi, url, seconds))
        rps = {name: statistics.median(values) for name, values in samples.items()}
        table.append({"scenario": scenario, "rps": rps, "queries": queries})
        print_scenario(table[-1], flush=True)
    return table


def print_scenario(row: dict[str, Any], flush: bool = False) -> None:
    print(f"\n{row['scenario']}")
    print(f"  {'implementation':<22}{'req/s':>9}{'queries':>9}{'cruddy is':>12}")
    cruddy = row["rps"]["cruddy"]
    for name in IMPLEMENTATIONS:
        ratio = "" if name == "cruddy" else f"{cruddy / row['rps'][name]:.2f}x"
        print(
            f"  {LABELS[name]:<22}{row['rps'][name]:>9.0f}{row['queries'][name]:>9}{ratio:>12}", flush=flush
        )


def print_summary(table: list[dict[str, Any]]) -> None:
    vendor = connection.vendor
    print(f"\nSummary on {vendor}: cruddy_django's speed over each baseline (target in brackets)")
    header = "".join(f"{LABELS[name]:>22}" for name in IMPLEMENTATIONS[1:])
    print(f"  {'scenario':<44}{header}")
    for row in table:
        cells = ""
        for name in IMPLEMENTATIONS[1:]:
            ratio = row["rps"]["cruddy"] / row["rps"][name]
            mark = "ok" if ratio >= TARGETS[name] else "MISS"
            cells += f"{f'{ratio:.2f}x [{TARGETS[name]}] {mark}':>22}"
        print(f"  {row['scenario']:<44}{cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds per scenario (default 5)")
    parser.add_argument("--seconds", type=float, default=0.4, help="length of a round (default 0.4)")
    arguments = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        print(
            f"Django {django.get_version()} on {connection.vendor}; rounds={arguments.rounds}, "
            f"{arguments.seconds}s each; requests through Django's WSGI handler, in process"
        )
        table = run(arguments.rounds, arguments.seconds)
        print_summary(table)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
