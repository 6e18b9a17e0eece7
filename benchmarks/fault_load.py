"""Fault-and-load run of the example on its production server: readers and writers at once, a database
interruption and a killed worker in the middle, then SQL checks that nothing was lost, duplicated or
half-written. Prints the figures docs/deployment.md quotes; exits 1 when a check fails.

    python benchmarks/fault_load.py                                   # SQLite, gunicorn, 30 s
    python benchmarks/fault_load.py --database postgres://postgres@127.0.0.1:5432/cruddy_load
    python benchmarks/fault_load.py --asgi                            # uvicorn instead of gunicorn
    python benchmarks/fault_load.py --reads-only --no-faults          # throughput of reads only

It starts ``python3 dev.py serve`` on 127.0.0.1 (loopback only), bounded in time (``--seconds``) and in
requests (``--max-requests`` per client), and stops it at the end. Writers:

- single creates (POST one material), bulk creates (POST 10 at once, one tag per batch);
- upsert races (several clients PUT the same 20 codes at once);
- filtered PATCH (``?code=startswith~<batch>`` sets one description on the 10 rows of a batch) and filtered
  DELETE (the rows of a batch).

Checks: an acknowledged write is there exactly once; a refused one (4xx) is not; every batch has all its 10
rows or none, and one description across its rows; every upserted code exists exactly once; no 500; every
error answer is JSON. Answers lost with a killed worker (no response) may or may not have been applied: the
all-or-nothing checks still hold for them.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BATCH_SIZE = 10
UPSERT_KEYS = [f"U{index:02d}" for index in range(20)]


# -- the server ------------------------------------------------------------------------------------------------
@dataclass
class Server:
    port: int
    database_url: str
    asgi: bool
    workers: int
    threads: int
    log_path: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [sys.executable, str(ROOT / "dev.py"), "serve", "--bind", f"127.0.0.1:{self.port}",
                   "--workers", str(self.workers), "--threads", str(self.threads)]
        if self.asgi:
            command.append("--asgi")
        env = {**os.environ, "DATABASE_URL": self.database_url, "DJANGO_DEBUG": "0", "DJANGO_LOG_LEVEL": "WARNING"}
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log_path.open("w"),
                                        stderr=subprocess.STDOUT, start_new_session=True)
        wait_healthy(self.port, 180, self.process, self.log_path)

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        output = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(self.process.pid)], capture_output=True,
                                text=True).stdout
        # uvicorn's supervisor also runs multiprocessing's resource tracker: not a worker.
        return [int(line.split()[0]) for line in output.splitlines()
                if line.strip() and "resource_tracker" not in line]

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def wait_healthy(port: int, timeout: float, process: subprocess.Popen | None = None, log: Path | None = None) -> None:
    """Until ``GET /api/_health/`` answers 200; a guard against a server that never starts (or exited),
    showing its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log.read_text() if log else ''}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/_health/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server on port {port} did not answer in {timeout:.0f} s:\n"
                       f"{log.read_text() if log else ''}")


# -- the clients ---------------------------------------------------------------------------------------------------
@dataclass
class Outcome:
    kind: str
    status: int | None  # None: no answer (connection reset by a killed worker)
    seconds: float
    json_error: bool = True
    sample: str = ""  # the start of an error answer


@dataclass
class Ledger:
    """What the clients were told: the basis of the SQL checks."""

    outcomes: list[Outcome] = field(default_factory=list)
    singles: dict[str, int | None] = field(default_factory=dict)  # code -> status
    batches: dict[str, int | None] = field(default_factory=dict)  # tag -> status of the bulk create
    deletes: dict[str, list[int | None]] = field(default_factory=lambda: defaultdict(list))
    patches: dict[str, list[tuple[str, int | None]]] = field(default_factory=lambda: defaultdict(list))
    upserts: dict[str, list[tuple[str, int | None]]] = field(default_factory=lambda: defaultdict(list))
    created_batches: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)


class Client:
    def __init__(self, port: int, ledger: Ledger, run: str, deadline: float, max_requests: int, index: int) -> None:
        self.port, self.ledger, self.run, self.deadline = port, ledger, run, deadline
        self.max_requests = max_requests
        self.index = index
        self.random = random.Random(index)
        self.connection: http.client.HTTPConnection | None = None
        self.counter = 0
        self.cookies: dict[str, str] = {}

    def log_in(self) -> None:
        """Sign in as the demo user once, through DRF's login page: a session (Basic authentication would
        hash the password on every request, a deliberately slow ~0.3 s of CPU each)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request("GET", "/api-auth/login/")
        response = connection.getresponse()
        page = response.read().decode()
        self._keep_cookies(response)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the login page"
        body = f"username=demo&password=demo&csrfmiddlewaretoken={token.group(1)}&next=/api/"
        connection.request("POST", "/api-auth/login/", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": self._cookie_header()})
        response = connection.getresponse()
        response.read()
        self._keep_cookies(response)
        connection.close()
        assert "sessionid" in self.cookies, f"login failed: {response.status}"

    def _keep_cookies(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";")[0]

    def _cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, kind: str, method: str, path: str, body: object = None) -> tuple[int | None, object]:
        headers = {}
        if method != "GET":
            headers = {"Cookie": self._cookie_header(), "X-CSRFToken": self.cookies.get("csrftoken", "")}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
            status, content_type = response.status, response.getheader("Content-Type", "")
            if response.getheader("Connection", "").lower() == "close":
                self.connection.close()
                self.connection = None
        except (OSError, http.client.HTTPException):
            if self.connection is not None:
                self.connection.close()
            self.connection = None
            self.ledger.record(Outcome(kind, None, time.perf_counter() - started))
            return None, None
        elapsed = time.perf_counter() - started
        is_json = content_type.startswith("application/json")
        self.ledger.record(Outcome(kind, status, elapsed, json_error=status < 400 or is_json,
                                   sample=content[:160].decode(errors="replace") if status >= 400 else ""))
        try:
            data = json.loads(content) if is_json and content else None
        except ValueError:
            data = None
        return status, data

    def running(self) -> bool:
        self.counter += 1
        return time.monotonic() < self.deadline and self.counter <= self.max_requests

    def unique(self, prefix: str, width: int = 5) -> str:
        """A code no other client or request of this run makes: prefix, run, client, counter (base 36)."""
        self.counter += 1
        return f"{prefix}{self.run}{self.index:02d}{base36(self.counter, width)}"


def reader(client: Client, paths: list[str], by_path: bool = False) -> None:
    while client.running():
        path = client.random.choice(paths)
        client.request(f"GET {path}" if by_path else "read", "GET", path)


def single_writer(client: Client) -> None:
    while client.running():
        code = client.unique("S")
        status, _ = client.request("create", "POST", "/api/assets/materials/",
                                   {"code": code, "name": f"single {code}", "price": 1.5})
        with client.ledger.lock:
            client.ledger.singles[code] = status


def bulk_writer(client: Client) -> None:
    while client.running():
        tag = client.unique("B", width=3)  # 8 characters, then 2 for the row: codes are 10 at most
        rows = [{"code": f"{tag}{index:02d}", "name": f"bulk {tag}", "price": 2} for index in range(BATCH_SIZE)]
        status, _ = client.request("bulk create", "POST", "/api/assets/materials/", rows)
        with client.ledger.lock:
            client.ledger.batches[tag] = status
            if status == 201:
                client.ledger.created_batches.append(tag)


def upsert_racer(client: Client) -> None:
    while client.running():
        keys = client.random.sample(UPSERT_KEYS, 5)
        name = client.unique("N")
        status, _ = client.request("upsert", "PUT", "/api/assets/materials/",
                                   [{"code": key, "name": name, "price": 3} for key in keys])
        with client.ledger.lock:
            for key in keys:
                client.ledger.upserts[key].append((name, status))


def filtered_writer(client: Client) -> None:
    while client.running():
        with client.ledger.lock:
            batches = list(client.ledger.created_batches)
        if not batches:
            client.request("read", "GET", "/api/assets/materials/?page_size=1")
            continue
        tag = client.random.choice(batches)
        if client.random.random() < 0.7:
            token = client.unique("P")
            status, _ = client.request("filtered patch", "PATCH", f"/api/assets/materials/?.code=like~{tag}*",
                                       {"description": token})
            with client.ledger.lock:
                client.ledger.patches[tag].append((token, status))
        else:
            status, _ = client.request("filtered delete", "DELETE", f"/api/assets/materials/?.code=like~{tag}*")
            with client.ledger.lock:
                client.ledger.deletes[tag].append(status)
                if status in (200, 204) and tag in client.ledger.created_batches:
                    client.ledger.created_batches.remove(tag)


def base36(number: int, width: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    for _ in range(width):
        number, remainder = divmod(number, 36)
        text = digits[remainder] + text
    return text


# -- faults --------------------------------------------------------------------------------------------------------
def interrupt_database(database_url: str, seconds: float) -> str:
    """PostgreSQL: terminate every connection of the database, again and again for ``seconds`` (what clients
    see of a restart). SQLite: hold the write lock for ``seconds`` (another process writing)."""
    if database_url.startswith("sqlite"):
        connection = sqlite3.connect(urlsplit(database_url).path, timeout=60, isolation_level=None)
        connection.execute("BEGIN EXCLUSIVE")
        time.sleep(seconds)
        connection.execute("ROLLBACK")
        connection.close()
        return f"SQLite write lock held for {seconds:.0f} s"
    import psycopg

    name = urlsplit(database_url).path.lstrip("/")
    terminated = 0
    deadline = time.monotonic() + seconds
    with psycopg.connect(_maintenance_url(database_url), autocommit=True) as connection:
        while time.monotonic() < deadline:
            rows = connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                "pg_backend_pid()", [name]).fetchall()
            terminated += len(rows)
            time.sleep(0.05)
    return f"{terminated} PostgreSQL connections terminated over {seconds:.0f} s"


def kill_worker(server: Server) -> str:
    pids = server.worker_pids()
    if not pids:
        return "no worker to kill"
    victim = random.choice(pids)
    os.kill(victim, signal.SIGKILL)
    return f"worker {victim} killed (SIGKILL)"


def _maintenance_url(database_url: str) -> str:
    parts = urlsplit(database_url)
    return parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)


def prepare_database(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        return
    import psycopg

    name = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(_maintenance_url(database_url), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


# -- the checks ----------------------------------------------------------------------------------------------------
def stored_materials(database_url: str) -> list[tuple[str, str, str | None]]:
    sql = "SELECT code, name, description FROM assets_material"
    if database_url.startswith("sqlite"):
        with sqlite3.connect(urlsplit(database_url).path) as connection:
            return connection.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as connection:
        return connection.execute(sql).fetchall()


def check(ledger: Ledger, rows: list[tuple[str, str, str | None]]) -> list[str]:
    failures: list[str] = []
    by_code = Counter(code for code, _name, _description in rows)
    failures += [f"code {code} stored {count} times" for code, count in by_code.items() if count > 1]
    names = Counter(name for _code, name, _description in rows if name.startswith("single "))
    failures += [f"single create {name!r} stored {count} times" for name, count in names.items() if count > 1]
    for code, status in ledger.singles.items():
        if status == 201 and by_code[code] != 1:
            failures.append(f"acknowledged create {code} is missing")
        if status is not None and 400 <= status < 500 and by_code[code]:
            failures.append(f"refused create {code} ({status}) was stored")
    batch_rows: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for code, _name, description in rows:
        if code[:8] in ledger.batches:
            batch_rows[code[:8]].append((code, description))
    for tag, status in ledger.batches.items():
        stored = batch_rows.get(tag, [])
        if len(stored) not in (0, BATCH_SIZE):
            failures.append(f"batch {tag} is half-written: {len(stored)} of {BATCH_SIZE} rows")
        deleted = any(answer in (200, 204) for answer in ledger.deletes.get(tag, []))
        if status == 201 and not ledger.deletes.get(tag) and len(stored) != BATCH_SIZE:
            failures.append(f"acknowledged batch {tag} is missing")
        if deleted and stored:
            failures.append(f"batch {tag} was deleted (acknowledged) but {len(stored)} rows remain")
        if status is not None and 400 <= status < 500 and stored:
            failures.append(f"refused batch {tag} ({status}) was stored")
        descriptions = {description for _code, description in stored}
        if len(descriptions) > 1:
            failures.append(f"batch {tag} was half-patched: descriptions {sorted(map(str, descriptions))}")
    upserted = {code: name for code, name, _description in rows if code in UPSERT_KEYS}
    for key, attempts in ledger.upserts.items():
        acknowledged = [name for name, status in attempts if status == 200]
        if acknowledged and key not in upserted:
            failures.append(f"acknowledged upsert of {key} is missing")
        if key in upserted and upserted[key] not in {name for name, _status in attempts}:
            failures.append(f"upserted {key} holds {upserted[key]!r}, which no client wrote")
    return failures


# -- figures ---------------------------------------------------------------------------------------------------------
def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def report(ledger: Ledger, seconds: float, events: list[str]) -> None:
    outcomes = ledger.outcomes
    print(f"\n{len(outcomes)} requests in {seconds:.1f} s: {len(outcomes) / seconds:.0f} req/s")
    width = max([16, *(len(item.kind) + 2 for item in outcomes)])
    print(f"{'kind':<{width}}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}  answers")
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.kind].append(outcome)
    for kind, items in sorted(by_kind.items()):
        times = [item.seconds * 1000 for item in items if item.status is not None]
        statuses = Counter("no answer" if item.status is None else str(item.status) for item in items)
        answers = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
        print(f"{kind:<{width}}{len(items):>9}{len(items) / seconds:>8.0f}{percentile(times, 0.5):>9.1f}"
              f"{percentile(times, 0.99):>9.1f}  {answers}")
    errors = Counter("no answer" if item.status is None else item.status for item in outcomes
                     if item.status is None or item.status >= 400)
    print("errors by status:", dict(sorted(errors.items(), key=str)) or "none")
    samples = {(item.kind, item.status): item.sample for item in outcomes if item.sample}
    for (kind, status), sample in sorted(samples.items(), key=str):
        print(f"  {kind} {status}: {sample}")
    for event in events:
        print("fault:", event)


# -- main --------------------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="sqlite", help="'sqlite' (a file in a temporary folder) or a "
                        "postgres:// URL (the database is created when missing, and emptied)")
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--seconds", type=float, default=30, help="length of the load (default 30)")
    parser.add_argument("--max-requests", type=int, default=20_000, help="most requests per client")
    parser.add_argument("--asgi", action="store_true", help="uvicorn instead of gunicorn")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--writers", type=int, default=2, help="clients of each write kind (default 2)")
    parser.add_argument("--reads-only", action="store_true", help="no writers (and no write checks)")
    parser.add_argument("--read-path", action="append", help="URL path the readers GET (repeatable)")
    parser.add_argument("--no-faults", action="store_true")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="cruddy-load-"))
    database_url = f"sqlite:///{folder}/load.sqlite3" if options.database == "sqlite" else options.database
    prepare_database(database_url)
    server = Server(options.port, database_url, options.asgi, options.workers, options.threads, folder / "server.log")
    print(f"server: {'uvicorn (ASGI)' if options.asgi else 'gunicorn (WSGI)'}, {options.workers} workers"
          f"{'' if options.asgi else f' x {options.threads} threads'}; database: "
          f"{'SQLite' if database_url.startswith('sqlite') else 'PostgreSQL'}; log: {server.log_path}", flush=True)
    events: list[str] = []
    try:
        server.start()
        ledger = Ledger()
        run = base36(random.randrange(36**2), 2)
        deadline = time.monotonic() + options.seconds
        read_paths = options.read_path or ["/api/missions/?expand=crew,rocket&page_size=20", "/api/missions/1",
                                           "/api/missions/?.crew.name=like~*a*&sort=-launch_date",
                                           "/api/staff/crews/?expand=astronauts"]
        jobs: list[tuple] = [(reader, read_paths, options.reads_only)] * options.readers
        if not options.reads_only:
            jobs += [(single_writer,), (bulk_writer,), (upsert_racer,), (filtered_writer,)] * options.writers
        clients = [Client(options.port, ledger, run, deadline, options.max_requests, index)
                   for index in range(len(jobs))]
        for client, job in zip(clients, jobs, strict=True):
            if job[0] is not reader:
                client.log_in()
        deadline = time.monotonic() + options.seconds
        for client in clients:
            client.deadline = deadline
        threads = [threading.Thread(target=job[0], args=(client, *job[1:]))
                   for client, job in zip(clients, jobs, strict=True)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        if not options.no_faults:
            time.sleep(options.seconds / 3)
            events.append(f"at {time.monotonic() - started:.0f} s: "
                          + interrupt_database(database_url, min(3.0, options.seconds / 10)))
            time.sleep(max(0.0, started + 2 * options.seconds / 3 - time.monotonic()))
            events.append(f"at {time.monotonic() - started:.0f} s: " + kill_worker(server))
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        wait_healthy(options.port, timeout=60)
        events.append("healthy again after the load")
    finally:
        server.stop()
    report(ledger, elapsed, events)
    failures = [] if options.reads_only else check(ledger, stored_materials(database_url))
    server_errors = [outcome for outcome in ledger.outcomes if outcome.status is not None and outcome.status >= 500
                     and outcome.status != 503]
    failures += [f"{len(server_errors)} answers were 5xx other than 503"] if server_errors else []
    not_json = [outcome for outcome in ledger.outcomes if not outcome.json_error]
    failures += [f"{len(not_json)} error answers were not JSON"] if not_json else []
    log = server.log_path.read_text(errors="replace")
    if "cruddy_django.errors" in log and " 500 " in log:
        failures.append(f"the server logged 500s: see {server.log_path}")
    if failures:
        print("\nFAILED:\n- " + "\n- ".join(failures[:50]))
        return 1
    writes = sum(1 for outcome in ledger.outcomes if outcome.kind != "read")
    print(f"\nOK: {writes} writes checked: nothing lost, duplicated or half-written; no 500; every error was JSON.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
