"""Golden files for the example project's _meta, as an anonymous visitor and as staff sees it.

On a mismatch the new output is written next to the golden file as ``<name>.new`` and the test fails: review
the difference (``diff tests/golden/<name> tests/golden/<name>.new``), then move the file over the old one.
"""

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from cruddy_django.meta.diagram import mermaid_er
from example_project import settings as example_settings

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
EXAMPLE_APPS = {"assets", "ops", "staff"}


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    new = path.with_name(path.name + ".new")
    if path.exists() and path.read_text() == text:
        new.unlink(missing_ok=True)
        return
    new.write_text(text)
    pytest.fail(f"{name} differs from the golden file (or there is none yet). Review it with\n"
                f"    diff {path} {new}\nand, when the change is intended, `mv {new} {path}`.")


@pytest.fixture
def example_meta(api, settings):
    settings.CRUDDY_DJANGO = example_settings.CRUDDY_DJANGO

    def fetch():
        response = api.get("/api/_meta")
        assert response.status_code == 200
        body = response.json()
        body["resources"] = [resource for resource in body["resources"]
                             if resource["model"].split(".")[0] in EXAMPLE_APPS]
        return body

    return fetch


def dump(body) -> str:
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def test_golden_meta_anonymous(example_meta):
    assert_golden("meta_example_anonymous.json", dump(example_meta()))


def test_golden_meta_staff(api, example_meta):
    api.force_authenticate(User.objects.create_user("boss", is_staff=True))
    assert_golden("meta_example_staff.json", dump(example_meta()))


def test_golden_diagram(example_meta):
    assert_golden("diagram_example.mmd", mermaid_er(example_meta()["resources"]))
