"""docs/api.md names every public name, and every name it lists exists."""

import importlib
import re
from pathlib import Path

import cruddy_django

REFERENCE = (Path(__file__).resolve().parent.parent / "docs" / "api.md").read_text()


def test_every_public_name_of_the_package_is_documented():
    rows = set(re.findall(r"^\| `([\w.]+)` \|", REFERENCE, re.MULTILINE))
    assert sorted(set(cruddy_django.__all__) - rows) == []


def test_every_documented_name_exists():
    for name in re.findall(r"^\| `([\w.]+)` \|", REFERENCE, re.MULTILINE):
        module, _, attribute = name.rpartition(".") if "." in name else ("cruddy_django", "", name)
        assert hasattr(importlib.import_module(module), attribute), name
