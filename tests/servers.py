"""The example project on a real server in a subprocess, on its own SQLite file with the demo data, for the
tests that need real HTTP: concurrent writers, the documentation's shell examples.

    template = demo_database(tmp_path_factory.mktemp("demo"))   # once: reset_demo on a SQLite file
    with example_server(tmp_path, template, "gunicorn") as base_url:   # "http://127.0.0.1:<port>"
        ...

Ports: the first free one in ``CRUDDY_TEST_PORTS`` ("8150-8159") when it is set, else one the system picks.
The server binds the loopback address only and is stopped (its whole process group) when the block ends.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.fault_load import wait_healthy

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    wanted = os.environ.get("CRUDDY_TEST_PORTS")
    candidates = [0]
    if wanted:
        first, _, last = wanted.partition("-")
        candidates = list(range(int(first), int(last or first) + 1))
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in CRUDDY_TEST_PORTS={wanted}")


def example_environment(folder: Path, **extra: str) -> dict[str, str]:
    """The environment of the example on a SQLite file in ``folder`` (whatever DATABASE_URL the tests use)."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    environment.update(DJANGO_SETTINGS_MODULE="example_project.settings", DATABASE_URL=f"sqlite:///{folder}/db.sqlite3",
                       DJANGO_LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1", **extra)
    return environment


def demo_database(folder: Path) -> Path:
    """A SQLite file in ``folder`` with the demo data (``manage.py reset_demo``: seed 42, the demo account)."""
    subprocess.run([sys.executable, "manage.py", "reset_demo"], cwd=ROOT, env=example_environment(folder),
                   check=True, capture_output=True)
    return folder / "db.sqlite3"


@contextmanager
def example_server(folder: Path, template: Path, server: str = "runserver", **environment: str) -> Iterator[str]:
    """Run the example on a copy of the demo database ``template`` in ``folder``, on ``runserver`` (the
    demo's server, DEBUG on) or ``gunicorn`` (``dev.py serve``'s, DEBUG off)."""
    port = free_port()
    env = example_environment(folder, **environment)
    shutil.copyfile(template, folder / "db.sqlite3")
    if server == "runserver":
        env.setdefault("DJANGO_DEBUG", "1")
        command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    else:
        command = [sys.executable, "-m", "gunicorn", "--config", "example_project/gunicorn.conf.py",
                   "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "example_project.wsgi"]
    log = folder / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        wait_healthy(port, 120, process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
