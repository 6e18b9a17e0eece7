"""Every shell example of README.md and docs/*.md runs as written against the demo.

The demo (``python3 dev.py demo``: ``reset_demo``, then runserver) is started on a free port; each fenced
``bash``/``sh``/``shell``/``console`` block's ``curl`` commands run in one bash process, in order (so
``ID=$(curl ...)`` carries to the next line), with ``http://127.0.0.1:8000`` pointed at that server. Each
curl must answer 2xx, or the status its comment names first (``# 400 {"detail": ...}``); a list it answers
must not be empty (an example that finds nothing shows nothing). Any other command must be listed in
``NOT_RUN`` with the reason: a new kind of command in the docs fails here until someone decides. A block
that is not about the demo says so on the line above its fence, naming the test that runs it:
``<!-- docs-test: the quickstart's own project, run by tests/test_quickstart.py -->``.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers import ROOT, example_server

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELL_LANGUAGES = {"bash", "sh", "shell", "console"}
DEMO_URL = "http://127.0.0.1:8000"

# Commands that are not run against the demo: the start of the command, and why.
NOT_RUN = {
    "python3 dev.py": "the developer tasks themselves: this suite runs inside `dev.py test`, CI runs them all",
    "make ": "the same tasks through make",
    "tox": "the Django/Python matrix, run by CI's legs",
    "DATABASE_URL=": "the suite on PostgreSQL: CI runs it",
    "pip install": "installs packages (tests/test_quickstart.py installs nothing, it uses this checkout)",
    "python -m pip install": "installs packages",
    "python benchmarks/": "benchmarks run for minutes; the docs quote their output with the command",
    "python manage.py seed": "tests/test_seeding_command.py covers the command; reset_demo runs it here",
    "python manage.py migrate": "run by reset_demo for this test's demo",
    "python manage.py runserver": "this test's demo server",
    "CRUDDY_SCHEMATHESIS_EXAMPLES=": "the property-based run of the schema at CI's size: CI runs it",
    "python manage.py check": "tests/test_checks.py runs the checks (and check --deploy on the production profile)",
    "python manage.py collectstatic": "run by `dev.py serve` and the Dockerfile",
    "django-admin startproject": "tests/test_quickstart.py follows the quickstart in a new project",
    "python manage.py startapp": "tests/test_quickstart.py follows the quickstart in a new project",
    "cd ": "moves into a project folder",
    "docker ": "builds and runs the image of docs/deployment.md (no container runtime in CI)",
    "DJANGO_SETTINGS_MODULE=example_project.production": "tests/test_checks.py runs check --deploy on it",
    "gunicorn ": "docs/deployment.md's server commands: `dev.py serve` runs them in benchmarks/fault_load.py",
    "uvicorn ": "docs/deployment.md's server commands: `dev.py serve --asgi` runs them in fault_load.py",
}


@dataclass
class Command:
    text: str  # continuation lines joined
    expected: int | None  # the status its comment names, if any


@dataclass
class Block:
    document: str
    line: int
    commands: list[Command]
    elsewhere: str = ""  # "<!-- docs-test: ... -->" above the fence: run by another test, named there

    @property
    def id(self) -> str:
        return f"{self.document}:{self.line}"


def _commands(lines: list[str], console: bool) -> list[Command]:
    commands: list[Command] = []
    pending = ""
    for raw in lines:
        line = raw.rstrip()
        if console:
            if not line.startswith("$ ") and not pending:
                continue  # output
            line = line[2:] if line.startswith("$ ") else line
        stripped = line.strip()
        if not pending and stripped.startswith("#"):
            status = re.match(r"#\s*(\d{3})\b", stripped)
            if status and commands and commands[-1].expected is None:
                commands[-1].expected = int(status.group(1))
            continue
        if not stripped and not pending:
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        text = pending + line
        if _open_quote(text):  # a quoted argument that goes on over the next lines (a JSON body)
            pending = text + "\n"
            continue
        pending = ""
        code, comment = _split_comment(text)
        status = re.match(r"\s*(\d{3})\b", comment) if comment is not None else None
        commands.append(Command(code.strip(), int(status.group(1)) if status else None))
    return commands


def _open_quote(text: str) -> bool:
    try:
        shlex.split(text, comments=True)
    except ValueError:
        return True
    return False


def _split_comment(text: str) -> tuple[str, str | None]:
    """The command and its trailing comment (a ``#`` outside quotes, after a space)."""
    quote = None
    for index, char in enumerate(text):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and index and text[index - 1] == " ":
            return text[:index], text[index + 1:]
    return text, None


def shell_blocks() -> list[Block]:
    blocks = []
    for document in DOCUMENTS:
        lines = document.read_text().splitlines()
        index = 0
        while index < len(lines):
            opening = re.match(r"^```(\w+)\s*$", lines[index])
            if opening:
                end = next(number for number in range(index + 1, len(lines)) if lines[number].startswith("```"))
                language = opening.group(1)
                if language in SHELL_LANGUAGES:
                    name = str(document.relative_to(ROOT))
                    marker = re.match(r"<!-- docs-test: (.+?) -->", lines[index - 1]) if index else None
                    blocks.append(Block(name, index + 1, _commands(lines[index + 1:end], language == "console"),
                                        elsewhere=marker.group(1) if marker else ""))
                index = end
            index += 1
    return blocks


BLOCKS = [block for block in shell_blocks() if not block.elsewhere]
CURL_BLOCKS = [block for block in BLOCKS if any("curl " in command.text for command in block.commands)]


def test_blocks_run_elsewhere_name_an_existing_test():
    for block in shell_blocks():
        if block.elsewhere:
            test = re.search(r"tests/\w+\.py", block.elsewhere)
            assert test and (ROOT / test.group(0)).exists(), f"{block.id}: {block.elsewhere}"


def test_every_shell_command_is_run_or_excused():
    unknown = [f"{block.id}: {command.text}" for block in BLOCKS for command in block.commands
               if "curl " not in command.text and not command.text.startswith(tuple(NOT_RUN))]
    assert not unknown, ("Shell examples that this test neither runs nor excuses; run them (curl against the "
                         "demo) or add their command to NOT_RUN with the reason:\n" + "\n".join(unknown))


def test_every_curl_example_names_the_demo_url():
    wrong = [f"{block.id}: {command.text}" for block in CURL_BLOCKS for command in block.commands
             if "curl " in command.text and DEMO_URL not in command.text]
    assert not wrong, f"curl examples must use absolute URLs on {DEMO_URL}:\n" + "\n".join(wrong)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_database):
    if shutil.which("curl") is None or shutil.which("bash") is None:
        pytest.skip("needs curl and bash")
    folder = tmp_path_factory.mktemp("docs-demo")
    with example_server(folder, demo_database, "runserver") as base_url:
        yield base_url, folder


PRELUDE = r"""
set -euo pipefail
curl() {
  local number body code
  number=$(wc -l < "$CURL_LOG")
  body="$CURL_DIR/body-$number"
  code=$(command curl --silent --show-error --max-time 60 --output "$body" --write-out '%{http_code}' "$@")
  printf '%s\n' "$code" >> "$CURL_LOG"
  cat "$body"
}
"""


def run_curl_examples(block: Block, base_url: str, folder: Path) -> None:
    """Run the block's curl commands in one bash, against ``base_url``, and check every answer."""
    curls = [command for command in block.commands if "curl " in command.text]
    script = PRELUDE + "\n".join(command.text.replace(DEMO_URL, base_url) for command in curls) + "\n"
    log = folder / "statuses"
    log.write_text("")
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=300,
                            env={"PATH": "/usr/bin:/bin:/usr/local/bin", "CURL_LOG": str(log),
                                 "CURL_DIR": str(folder)})
    statuses = [int(line) for line in log.read_text().split()]
    assert result.returncode == 0, f"{block.id} failed:\n{result.stdout}\n{result.stderr}"
    assert len(statuses) == len(curls), f"{block.id}: {len(curls)} curl commands, {len(statuses)} answers"
    for number, (command, status) in enumerate(zip(curls, statuses, strict=True)):
        body = (folder / f"body-{number}").read_text()
        _check_answer(block, command, status, body)


@pytest.mark.parametrize("block", CURL_BLOCKS, ids=[block.id for block in CURL_BLOCKS])
def test_the_curl_examples_run_against_the_demo(block, demo, tmp_path):
    run_curl_examples(block, demo[0], tmp_path)


def _check_answer(block: Block, command: Command, status: int, body: str) -> None:
    expected = command.expected
    assert (status == expected) if expected else (200 <= status < 300), (
        f"{block.id}: {command.text}\n-> {status} (expected {expected or '2xx'}): {body[:500]}")
    try:
        data = json.loads(body) if body.strip() else None
    except ValueError:
        return
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        assert data["results"], f"{block.id}: {command.text}\n-> an empty list: show an example that finds rows"
