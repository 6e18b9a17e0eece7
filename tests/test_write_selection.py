"""Write responses honour the selection, as docs/writes.md says: ``fields``, ``exclude``, ``expand`` and an
envelope's ``include`` shape the answer of POST, PUT, PATCH (one row or filtered) and upserts, and values read
the same as in a GET."""

import pytest
from django.contrib.auth.models import User

from example_project.assets.models import Material, Rocket, RocketPart
from tests.secureapp.models import Employee

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db):
    """A signed-in user without staff rights: the writes here are not about anonymous users."""
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(User.objects.create_user("writer"))
    return client

MATERIALS, ROCKETS = "/api/assets/materials/", "/api/assets/rockets/"


@pytest.fixture
def rocket():
    steel = Material.objects.create(code="ST", name="Steel", price=2.5)
    rocket = Rocket.objects.create(code="R1", name="One", description="first")
    RocketPart.objects.create(code="P1", rocket=rocket, material=steel, quantity=2)
    return rocket


def test_post_honours_fields_exclude_and_expand(api):
    response = api.post(f"{MATERIALS}?fields=id,code", {"code": "AL", "name": "Al", "price": 3}, format="json")
    assert response.status_code == 201 and response.json() == {"id": response.json()["id"], "code": "AL"}
    response = api.post(f"{MATERIALS}?exclude=description,id", [{"code": "CU", "name": "Cu", "price": 1}],
                        format="json")
    assert response.json() == [{"code": "CU", "name": "Cu", "price": 1.0}]


def test_put_and_patch_on_a_row_honour_the_selection(api, rocket):
    response = api.patch(f"{ROCKETS}{rocket.pk}/?fields=name,parts.code", {"name": "Uno"}, format="json")
    assert response.json() == {"name": "Uno", "parts": [{"code": "P1"}]}
    response = api.put(f"{ROCKETS}{rocket.pk}/?expand=parts.material&exclude=description",
                       {"code": "R1", "name": "Eins"}, format="json")
    assert response.json()["parts"][0]["material"]["code"] == "ST" and "description" not in response.json()


def test_an_envelopes_include_tree_shapes_the_answer(api, rocket):
    response = api.post(ROCKETS, {"payload": {"code": "R2", "name": "Two"},
                                  "include": {"__all__": {"code": True, "parts": {"__all__": {"code": True}}}}},
                        format="json")
    assert response.json() == [{"code": "R2", "parts": []}]
    response = api.patch(f"{ROCKETS}?code=R1", {"payload": {"description": None}, "include": {"name": True}},
                         format="json")
    assert response.json() == [{"name": "One"}]


def test_upserts_and_dry_runs_honour_the_selection(api, rocket):
    response = api.put(f"{ROCKETS}?fields=id,code,name", [{"code": "R1", "name": "Again"}, {"code": "R3", "name":
                                                                                            "Three"}], format="json")
    assert [row["name"] for row in response.json()] == ["Again", "Three"]
    assert set(response.json()[0]) == {"id", "code", "name"}
    response = api.post(f"{ROCKETS}?dry_run=true&fields=id,code", {"code": "R4", "name": "Four"}, format="json")
    assert response.json() == {"id": None, "code": "R4"}


def test_a_bad_selection_is_a_400_and_writes_nothing(api):
    response = api.post(f"{MATERIALS}?fields=nope", {"code": "AL", "name": "Al", "price": 3}, format="json")
    assert response.status_code == 400 and "Unknown field 'nope' in 'fields'" in response.json()["fields"][0]
    assert not Material.objects.exists()


def test_values_read_as_in_a_get(api):
    created = api.post(MATERIALS, {"code": "AL", "name": "Al", "price": "2.50"}, format="json").json()
    assert created == api.get(f"{MATERIALS}{created['id']}/").json()
    assert created["price"] == 2.5
    rows = api.post(ROCKETS, [{"code": "A", "name": "A"}, {"code": "B", "name": "B"}], format="json").json()
    assert rows == api.get(f"{ROCKETS}?sort=id").json()["results"]


def test_field_rules_hold_in_write_answers(api):
    api.force_authenticate(User.objects.create_user("user"))
    response = api.post("/api/secure/employees/?fields=id,name", {"name": "Eve"}, format="json")
    assert response.status_code == 201 and set(response.json()) == {"id", "name"}
    response = api.post("/api/secure/employees/?fields=salary", {"name": "Eve"}, format="json")
    assert response.status_code == 400 and "Unknown field 'salary'" in response.json()["fields"][0]
    assert Employee.objects.count() == 1
