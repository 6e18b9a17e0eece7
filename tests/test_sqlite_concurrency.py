"""Concurrent writes on SQLite through a real server (gunicorn, 2 workers x 4 threads) with the example's
settings (WAL, IMMEDIATE transactions, a busy timeout): none fails with "database is locked"."""

import sqlite3
import threading
from urllib.parse import urlsplit

import pytest

from benchmarks.fault_load import Client, Ledger
from tests.servers import example_server

WRITERS = 8


@pytest.fixture(scope="module")
def gunicorn_on_sqlite(tmp_path_factory, demo_database):
    folder = tmp_path_factory.mktemp("sqlite-concurrency")
    with example_server(folder, demo_database, "gunicorn") as base_url:
        yield base_url, folder


def _write(client: Client, index: int, barrier: threading.Barrier, statuses: list) -> None:
    barrier.wait()  # every writer starts at once
    for number in range(6):
        code = f"W{index}N{number}"
        statuses.append(client.request("create", "POST", "/api/assets/materials/",
                                       {"code": code, "name": code, "price": 1})[0])
    rows = [{"code": f"W{index}B{number}", "name": "bulk", "price": 2} for number in range(10)]
    statuses.append(client.request("bulk create", "POST", "/api/assets/materials/", rows)[0])
    shared = [{"code": f"SHARED{number}", "name": f"from {index}", "price": 3} for number in range(5)]
    statuses.append(client.request("upsert", "PUT", "/api/assets/materials/", shared)[0])
    statuses.append(client.request("filtered patch", "PATCH", f"/api/assets/materials/?.code=like~W{index}B*",
                                   {"description": f"patched by {index}"})[0])


def test_concurrent_writers_never_meet_database_is_locked(gunicorn_on_sqlite):
    base_url, folder = gunicorn_on_sqlite
    port = urlsplit(base_url).port
    statuses: list = []
    barrier = threading.Barrier(WRITERS)
    clients = [Client(port, Ledger(), "t", float("inf"), 10_000, index) for index in range(WRITERS)]
    clients[0].log_in()  # one session for all (a login hashes the password: slow on purpose)
    for client in clients[1:]:
        client.cookies = clients[0].cookies
    threads = [threading.Thread(target=_write, args=(client, index, barrier, statuses))
               for index, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log = (folder / "server.log").read_text()
    assert "database is locked" not in log
    assert sorted(set(statuses)) == [200, 201], [outcome.sample for client in clients
                                                 for outcome in client.ledger.outcomes if outcome.sample][:3]
    with sqlite3.connect(folder / "db.sqlite3") as database:
        count = database.execute("SELECT count(*) FROM assets_material WHERE code LIKE 'W%'").fetchone()[0]
        shared = database.execute("SELECT count(*) FROM assets_material WHERE code LIKE 'SHARED%'").fetchone()[0]
        patched = database.execute("SELECT count(DISTINCT description) FROM assets_material WHERE code LIKE 'W%B%'"
                                   ).fetchone()[0]
    assert (count, shared, patched) == (WRITERS * 16, 5, WRITERS)
