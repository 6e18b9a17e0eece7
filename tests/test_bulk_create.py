"""POST on a collection: one object or an array, Plateforme's envelope, dry runs and max_bulk."""

import pytest
from django.test import override_settings

from example_project.assets.models import Material, Rocket
from example_project.ops.models import Mission, Station
from example_project.staff.models import Astronaut, Crew
from tests.writeapp.models import Gadget

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(signed_in_api):
    """Writes need a signed-in user (the default policies); reads behave the same for it."""
    return signed_in_api


MATERIALS = "/api/assets/materials/"


def materials(count, start=0):
    return [{"code": f"M{i}", "name": f"Material {i}", "price": i + 1} for i in range(start, start + count)]


def test_an_array_creates_every_row_in_order(api):
    response = api.post(MATERIALS, materials(3), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [item["code"] for item in body] == ["M0", "M1", "M2"]
    assert [item["id"] for item in body] == list(
        Material.objects.filter(code__in=["M0", "M1", "M2"]).order_by("code").values_list("pk", flat=True))
    assert body[1] == {"id": body[1]["id"], "code": "M1", "name": "Material 1", "description": None,
                       "price": 2.0}


def test_many_rows_cost_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    # savepoint + unique check + INSERT + read back + release: never one INSERT per row
    with django_assert_max_num_queries(6):
        response = api.post(MATERIALS, materials(200), format="json")
    assert response.status_code == 201
    assert Material.objects.count() == 200


def test_one_bad_row_writes_nothing_and_names_its_index_and_field(api):
    rows = materials(3)
    rows[1]["price"] = 0
    rows[2]["code"] = "X" * 11
    response = api.post(MATERIALS, rows, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"1", "2"}
    assert "greater than 0" in body["1"]["price"][0]
    assert "no more than 10 characters" in body["2"]["code"][0]
    assert Material.objects.count() == 0


def test_unique_values_are_checked_against_the_table_and_inside_the_array(api):
    Material.objects.create(code="M1", name="Old", price=1)
    rows = [*materials(3), {"code": "M2", "name": "Again", "price": 5}]
    response = api.post(MATERIALS, rows, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "already exists" in body["1"]["code"][0]
    assert body["3"]["code"] == ["Item 2 of this request has the same value."]
    assert set(body) == {"1", "3"}
    assert Material.objects.count() == 1


def test_related_pks_are_checked_for_the_whole_array_at_once(api, django_assert_max_num_queries):
    rocket = Rocket.objects.create(code="R", name="R")
    station = Station.objects.create(code="S", name="S")
    crew = Crew.objects.create(code="C", name="C")
    rows = [{"code": f"M{i}", "name": "m", "crew": crew.pk, "rocket": rocket.pk, "station": station.pk}
            for i in range(30)]
    rows[7]["crew"] = 999
    response = api.post("/api/missions/", rows, format="json")
    assert response.status_code == 400
    assert response.json() == {"7": {"crew": ['Invalid pk "999" - object does not exist.']}}
    rows[7]["crew"] = crew.pk
    with django_assert_max_num_queries(9):
        response = api.post("/api/missions/", rows, format="json")
    assert response.status_code == 201
    assert Mission.objects.filter(crew=crew).count() == 30


def test_many_to_many_values_are_written_for_the_whole_array(api):
    ada = Astronaut.objects.create(code="A", name="Ada", role="pilot")
    bo = Astronaut.objects.create(code="B", name="Bo", role="doctor")
    rows = [{"code": "C1", "name": "One", "astronauts": [ada.pk, bo.pk]},
            {"code": "C2", "name": "Two", "astronauts": [bo.pk]}, {"code": "C3", "name": "Three"}]
    response = api.post("/api/staff/crews/", rows, format="json")
    assert response.status_code == 201, response.json()
    assert [sorted(item["astronauts"]) for item in response.json()] == [sorted([ada.pk, bo.pk]), [bo.pk], []]
    assert list(Crew.objects.get(code="C2").astronauts.all()) == [bo]


def test_the_envelope_answers_with_a_list_even_for_one_object(api):
    response = api.post(MATERIALS, {"payload": materials(1)[0]}, format="json")
    assert response.status_code == 201
    assert isinstance(response.json(), list) and response.json()[0]["code"] == "M0"


def test_a_dry_run_validates_answers_and_writes_nothing(api):
    before = Material.objects.count()
    response = api.post(MATERIALS, {"payload": materials(2), "dry_run": True}, format="json")
    assert response.status_code == 200
    assert [(item["id"], item["code"]) for item in response.json()] == [(None, "M0"), (None, "M1")]
    assert Material.objects.count() == before


def test_a_dry_run_still_reports_errors(api):
    Material.objects.create(code="M0", name="Old", price=1)
    response = api.post(MATERIALS, {"payload": materials(2), "dry_run": True}, format="json")
    assert response.status_code == 400
    assert "already exists" in response.json()["0"]["code"][0]
    assert Material.objects.count() == 1


def test_a_dry_run_catches_database_constraints(api, monkeypatch):
    from cruddy_django.validators import GreaterThanValidator

    monkeypatch.setattr(GreaterThanValidator, "compare", lambda self, a, b: False)
    response = api.post(MATERIALS, {"payload": [{"code": "N", "name": "n", "price": -1}], "dry_run": True},
                        format="json")
    assert response.status_code == 409
    assert Material.objects.count() == 0


def test_bad_flags_and_bodies_are_400s_naming_them(api):
    response = api.post(MATERIALS, {"payload": materials(1), "dry_run": "maybe"}, format="json")
    assert response.status_code == 400
    assert "dry_run" in response.json()
    response = api.post(MATERIALS, {"payload": 3}, format="json")
    assert response.status_code == 400
    assert "payload" in response.json()


def test_return_result_false_answers_204(api):
    response = api.post(MATERIALS, {"payload": materials(2), "return_result": False}, format="json")
    assert response.status_code == 204
    assert Material.objects.count() == 2


@override_settings(CRUDDY_DJANGO={"MAX_BULK": 3})
def test_max_bulk_bounds_an_array(api):
    response = api.post(MATERIALS, materials(4), format="json")
    assert response.status_code == 400
    assert "at most 3 (max_bulk)" in response.json()["detail"]
    assert Material.objects.count() == 0
    assert api.post(MATERIALS, materials(3), format="json").status_code == 201


def test_an_empty_array_creates_nothing(api):
    response = api.post(MATERIALS, [], format="json")
    assert response.status_code == 201
    assert response.json() == []


def test_a_custom_save_runs_for_every_row_as_in_a_single_request(api):
    single = api.post("/api/w/gadgets/", {"code": "G0", "name": "lamp"}, format="json")
    assert single.json()["name"] == "LAMP"
    response = api.post("/api/w/gadgets/", [{"code": "G1", "name": "fan"}, {"code": "G2", "name": "cup"}],
                        format="json")
    assert response.status_code == 201
    assert [item["name"] for item in response.json()] == ["FAN", "CUP"]
    assert sorted(Gadget.objects.values_list("name", flat=True)) == ["CUP", "FAN", "LAMP"]
