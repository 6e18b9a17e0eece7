#!/usr/bin/env python3
"""One entry point for the developer tasks, needing nothing but Python 3.11+ and pip.

    python3 dev.py demo     # virtualenv, install, migrate, seed, serve the missions API on 127.0.0.1:8000
    python3 dev.py serve    # the same data on a production server: gunicorn (or uvicorn with --asgi), DEBUG off
    python3 dev.py test     # the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)
    python3 dev.py lint     # ruff, mypy and the import-linter layer contracts
    python3 dev.py bench    # the side-by-side benchmarks
    python3 dev.py mutate cruddy_django/access -- tests/test_access.py   # mutation testing (mutmut)

Each task creates `.venv` and installs the project into it when needed (again only when pyproject.toml
changes), so it works on a fresh clone.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
MARKER = VENV / ".installed"
EXTRAS = "dev,bench"


def run(*command: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(map(str, command)), flush=True)
    result = subprocess.run([str(part) for part in command], cwd=ROOT, env=env)
    if result.returncode:
        sys.exit(result.returncode)


def ensure_environment() -> None:
    """Create the virtualenv and install the project with its dev extras, once per pyproject change."""
    if sys.version_info < (3, 11):  # noqa: UP036  (dev.py may be started by an older python3)
        sys.exit(f"cruddy_django needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    fingerprint = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + EXTRAS.encode()).hexdigest()
    if MARKER.exists() and MARKER.read_text() == fingerprint and PYTHON.exists():
        return
    if not PYTHON.exists():
        print(f"+ creating a virtualenv in {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", f".[{EXTRAS}]")
    MARKER.write_text(fingerprint)


def demo(arguments: list[str]) -> None:
    """Django's development server, DEBUG on, on fresh demo data."""
    env = {**os.environ, "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1")}
    # Fresh, identical demo data on every start: migrated, emptied (ids from 1 again), seeded with --seed 42.
    run(PYTHON, "manage.py", "reset_demo", env=env)
    run(PYTHON, "manage.py", "runserver", *(arguments or ["127.0.0.1:8000"]), env=env)


def serve(arguments: list[str]) -> None:
    """The example on a production server, DEBUG off, settings from the environment (docs/deployment.md)."""
    parser = argparse.ArgumentParser(prog="python3 dev.py serve")
    parser.add_argument("--asgi", action="store_true", help="uvicorn and example_project/asgi.py, not gunicorn")
    parser.add_argument("--bind", default="127.0.0.1:8000", help="host:port (default 127.0.0.1:8000)")
    parser.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    parser.add_argument("--threads", type=int, help="threads per gunicorn worker, and database connections "
                        "per worker (default 4)")
    parser.add_argument("--keep-data", action="store_true", help="do not reset the demo data")
    options = parser.parse_args(arguments)
    env = dict(os.environ)
    env.setdefault("DJANGO_DEBUG", "0")
    env["BIND"] = options.bind
    if options.workers:
        env["WEB_CONCURRENCY"] = str(options.workers)
    if options.threads:
        env["WEB_THREADS"] = str(options.threads)
    if not options.keep_data:
        run(PYTHON, "manage.py", "reset_demo", env=env)
    run(PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0", env=env)
    if options.asgi:
        host, _, port = options.bind.rpartition(":")
        workers = options.workers or os.cpu_count() or 1
        command = [str(BIN / "uvicorn"), "example_project.asgi:application", "--host", host.strip("[]"),
                   "--port", port, "--workers", str(workers), "--lifespan", "off", "--no-access-log"]
    else:
        command = [str(BIN / "gunicorn"), "--config", "example_project/gunicorn.conf.py", "example_project.wsgi"]
    print("+", " ".join(command), flush=True)
    os.chdir(ROOT)
    os.execve(command[0], command, env)  # the server takes this process's place: signals reach it directly


def test(arguments: list[str]) -> None:
    run(PYTHON, "-m", "pytest", *arguments)


def lint(arguments: list[str]) -> None:
    """ruff, then mypy (django-stubs, djangorestframework-stubs), then the import-linter layer contracts."""
    run(PYTHON, "-m", "ruff", "check", ".", *arguments)
    run(PYTHON, "-m", "mypy")
    run(BIN / "lint-imports")


def bench(arguments: list[str]) -> None:
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        run(PYTHON, script, *arguments)


MUTATION_EXIT_CODES = {1: "killed", 3: "killed", 36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout",
                       255: "timeout", 37: "killed", 0: "survived", 5: "no tests", 33: "no tests"}

# By default every test but the slow property-based schema run and the browser screenshot, which exercise the
# wiring rather than one module (run them as usual with `dev.py test`).
DEFAULT_MUTATION_TESTS = ["tests", "--ignore=tests/test_schemathesis.py", "--ignore=tests/test_overview_browser.py"]

# What the tests read besides the package and themselves.
MUTATION_ALSO_COPY = ["example_project", "manage.py", "benchmarks", "docs", "README.md", "dev.py"]


def mutate(arguments: list[str]) -> None:
    """mutmut on the given modules, run against the given tests (default: all of them).

        python3 dev.py mutate MODULE... [-- TEST...] [--rerun]

    A MODULE is a file or folder of the package. Each selection works in its own `.mutmut/<name>/`, so a
    second run re-tests only what changed; `--rerun` starts afresh. Prints each module's score, then the
    survivors (`.venv/bin/mutmut show NAME` inside that folder shows one).
    """
    rerun = "--rerun" in arguments
    arguments = [argument for argument in arguments if argument != "--rerun"]
    modules, _, tests = (arguments[: arguments.index("--")], None, arguments[arguments.index("--") + 1 :]) \
        if "--" in arguments else (arguments, None, [])
    if not modules:
        sys.exit("usage: python3 dev.py mutate MODULE... [-- TEST...] [--rerun]")
    patterns = []
    for module in modules:
        path = ROOT / module.rstrip("/")
        if not path.exists() or ROOT / "cruddy_django" not in (path, *path.parents):
            sys.exit(f"{module}: not a file or folder of cruddy_django/")
        relative = path.relative_to(ROOT).as_posix()
        patterns.append(f"{relative}/*" if path.is_dir() else relative)
    work = ROOT / ".mutmut" / re.sub(r"[^A-Za-z0-9]+", "-", "+".join(modules)).strip("-")
    if rerun and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    for name in ("cruddy_django", "tests", *MUTATION_ALSO_COPY):
        link = work / name
        if not link.exists():
            link.symlink_to(ROOT / name)
    pyproject = (ROOT / "pyproject.toml").read_text()
    pytest_section = re.search(r"^\[tool\.pytest\.ini_options\]\n(?:[^\[].*\n|\n)*", pyproject, re.M)
    assert pytest_section, "pyproject.toml has no [tool.pytest.ini_options]"
    (work / "pyproject.toml").write_text(pytest_section.group(0) + "\n[tool.mutmut]\n" + "\n".join([
        'source_paths = ["cruddy_django"]',
        f"only_mutate = {json.dumps(patterns)}",
        f"also_copy = {json.dumps(MUTATION_ALSO_COPY)}",
        f"pytest_add_cli_args_test_selection = {json.dumps(tests or DEFAULT_MUTATION_TESTS)}",
    ]) + "\n")
    command = [str(BIN / "mutmut"), "run"]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        command += ["--max-children", "1"]  # the workers would share one test database
    result = subprocess.run(command, cwd=work)
    mutation_report(work, patterns)
    if result.returncode:
        sys.exit(result.returncode)


def mutation_report(work: Path, patterns: list[str]) -> None:
    """Each mutated module's score: killed (or timed out) mutants over all of them; no test counts as a survivor."""
    print(f"\nMutation score ({work.relative_to(ROOT)}):")
    totals = {"killed": 0, "all": 0}
    survivors: list[str] = []
    for meta in sorted((work / "mutants" / "cruddy_django").rglob("*.py.meta")):
        codes = json.loads(meta.read_text()).get("exit_code_by_key", {})
        if not codes:
            continue
        statuses = {name: MUTATION_EXIT_CODES.get(code, "suspicious") for name, code in codes.items()}
        killed = sum(status in ("killed", "timeout") for status in statuses.values())
        totals["killed"] += killed
        totals["all"] += len(statuses)
        survivors += sorted(f"{name} ({status})" for name, status in statuses.items()
                            if status not in ("killed", "timeout"))
        module = meta.relative_to(work / "mutants").as_posix().removesuffix(".meta")
        print(f"  {module:45} {killed:5} / {len(statuses):5}  {100 * killed / len(statuses):5.1f}%")
    if totals["all"]:
        print(f"  {'all':45} {totals['killed']:5} / {totals['all']:5}  "
              f"{100 * totals['killed'] / totals['all']:5.1f}%")
    if survivors:
        print("Survivors:", *survivors, sep="\n  ")


TASKS = {"demo": demo, "serve": serve, "test": test, "lint": lint, "bench": bench, "mutate": mutate}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        sys.exit(f"usage: python3 dev.py {{{'|'.join(TASKS)}}} [arguments...]")
    ensure_environment()
    TASKS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
