"""docs/settings.md lists every CRUDDY_DJANGO key with its true default, and nothing else."""

import ast
import re
from pathlib import Path

from cruddy_django.conf import DEFAULTS

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "settings.md"
ROW = re.compile(r"^\| `([A-Z_]+)` \| `(.+?)` \|", re.MULTILINE)


def documented() -> dict[str, str]:
    return dict(ROW.findall(REFERENCE.read_text()))


def test_every_setting_is_documented_with_its_default():
    rows = documented()
    missing = sorted(set(DEFAULTS) - set(rows))
    assert not missing, f"docs/settings.md lacks a row for {missing}: add `| `KEY` | `default` | meaning |`"
    wrong = {key: rows[key] for key in DEFAULTS if ast.literal_eval(rows[key]) != DEFAULTS[key]}
    assert not wrong, f"docs/settings.md shows wrong defaults: {wrong}"


def test_the_reference_names_no_setting_that_does_not_exist():
    assert sorted(set(documented()) - set(DEFAULTS)) == []


def test_installation_shows_no_defaults_of_its_own():
    """One place for the defaults: the installation guide links to the reference."""
    installation = (REFERENCE.parent / "installation.md").read_text()
    assert "settings.md" in installation
    assert "RENDERER_CLASSES" not in installation
