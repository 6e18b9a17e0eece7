"""docs/quickstart.md, followed word for word in a new project: its shell commands, its files, its requests.

The commands run as written, except the three that set up the environment this suite already runs in
(the virtualenv, its activation, ``pip install``: cruddy_django is importable from this checkout) and
``runserver``, which is started on a free port (the curl examples are pointed at it).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.fault_load import wait_healthy
from tests.servers import free_port
from tests.test_docs_examples import DEMO_URL, run_curl_examples, shell_blocks

QUICKSTART = Path(__file__).resolve().parent.parent / "docs" / "quickstart.md"
ENVIRONMENT_SET_UP = ("python3 -m venv", ". .venv/bin/activate", "pip install")


def python_files(text: str) -> dict[str, tuple[str, str]]:
    """``# path`` or ``# path (at the end)`` first lines of the python blocks -> (mode, code)."""
    files = {}
    for code in re.findall(r"```python\n(.*?)```", text, re.DOTALL):
        first = re.match(r"# (\S+\.py)( \(at the end\))?\n", code)
        if first:
            files[first.group(1)] = ("append" if first.group(2) else "write", code)
    return files


def test_the_quickstart_works_in_a_new_project(tmp_path):
    blocks = [block for block in shell_blocks() if block.document == "docs/quickstart.md"]
    assert blocks and all("test_quickstart.py" in block.elsewhere for block in blocks)
    tools = tmp_path / "bin"
    tools.mkdir()
    for name, command in (("python", sys.executable), ("django-admin", f"{sys.executable} -m django")):
        (tools / name).write_text(f"#!/bin/sh\nexec {command} \"$@\"\n")  # this suite's interpreter
        (tools / name).chmod(0o755)
    project = tmp_path / "project"
    project.mkdir()
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("DJANGO_", "DATABASE_")) and key != "PYTHONPATH"}
    environment["PATH"] = f"{tools}:{environment['PATH']}"
    files = python_files(QUICKSTART.read_text())
    setup, migrate, requests = blocks
    for block in (setup, migrate):
        for command in block.commands:
            if command.text.startswith(ENVIRONMENT_SET_UP) or command.text.startswith("python manage.py runserver"):
                continue
            result = subprocess.run(["bash", "-c", command.text], cwd=project, env=environment,
                                    capture_output=True, text=True, timeout=300)
            assert result.returncode == 0, f"{command.text}:\n{result.stdout}\n{result.stderr}"
        if block is setup:  # the files of steps 2 to 4, as the page shows them
            for name, (mode, code) in files.items():
                path = project / name
                path.write_text(path.read_text() + "\n" + code if mode == "append" else code)
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                                  cwd=project, env=environment, stdout=output, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        wait_healthy(port, 120, server, log)
        assert DEMO_URL in requests.commands[0].text
        run_curl_examples(requests, f"http://127.0.0.1:{port}", tmp_path)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.mark.parametrize("name", ["library/settings.py", "books/models.py", "library/urls.py"])
def test_the_quickstart_shows_every_file_it_needs(name):
    assert name in python_files(QUICKSTART.read_text())
