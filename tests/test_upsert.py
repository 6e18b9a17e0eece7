"""PUT on a collection: insert or update by natural key or pk, in bulk, with on_conflict and dry runs."""

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection

from example_project.assets.models import Material, Rocket, RocketPart
from tests.testapp.models import Country


@pytest.fixture
def api(signed_in_api):
    """Writes need a signed-in user (the default policies); reads behave the same for it."""
    return signed_in_api


ROCKETS = "/api/assets/rockets/"


@pytest.mark.django_db
def test_upsert_inserts_new_keys_and_updates_known_ones_keeping_pk_and_omitted_fields(api):
    ariane = Rocket.objects.create(code="ARI-5", name="Ariane 5", description="Heavy")
    response = api.put(ROCKETS, [{"code": "SAT-V", "name": "Saturn V"},
                                 {"code": "ARI-5", "name": "Ariane 5 ECA"}], format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [item["code"] for item in body] == ["SAT-V", "ARI-5"]
    assert body[1] == {"id": ariane.pk, "code": "ARI-5", "name": "Ariane 5 ECA", "description": "Heavy",
                       "price": None}
    ariane.refresh_from_db()
    assert (ariane.name, ariane.description) == ("Ariane 5 ECA", "Heavy")
    assert Rocket.objects.count() == 2


@pytest.mark.django_db
def test_a_plain_object_answers_with_an_object_and_the_envelope_with_a_list(api):
    response = api.put(ROCKETS, {"code": "A", "name": "A"}, format="json")
    assert response.json()["code"] == "A"
    response = api.put(ROCKETS, {"payload": {"code": "A", "name": "B"}}, format="json")
    assert [item["name"] for item in response.json()] == ["B"]
    assert Rocket.objects.count() == 1


@pytest.mark.django_db
def test_a_new_row_needs_every_required_field_and_an_update_does_not(api):
    Rocket.objects.create(code="OLD", name="Old")
    response = api.put(ROCKETS, [{"code": "OLD", "description": "kept name"}, {"code": "NEW"}], format="json")
    assert response.status_code == 400
    assert response.json() == {"1": {"name": ["This field is required."]}}
    assert Rocket.objects.get(code="OLD").description is None


@pytest.mark.django_db
def test_a_pk_identifies_the_row_and_may_change_its_key(api):
    rocket = Rocket.objects.create(code="OLD", name="Old")
    response = api.put(ROCKETS, [{"id": rocket.pk, "code": "RENAMED"}], format="json")
    assert response.status_code == 200
    rocket.refresh_from_db()
    assert rocket.code == "RENAMED"
    response = api.put(ROCKETS, [{"id": 9999, "code": "X", "name": "X"}], format="json")
    assert response.status_code == 400
    assert response.json() == {"0": {"id": ["No row has the id 9999."]}}


@pytest.mark.django_db
def test_on_conflict_skip_leaves_stored_rows_alone_and_does_not_return_them(api):
    Rocket.objects.create(code="OLD", name="Old")
    changes = [{"code": "OLD", "name": "Changed"}, {"code": "NEW", "name": "New"}]
    response = api.put(ROCKETS, {"payload": changes,
                                 "on_conflict": "skip"}, format="json")
    assert response.status_code == 200
    assert [item["code"] for item in response.json()] == ["NEW"]
    assert Rocket.objects.get(code="OLD").name == "Old"
    response = api.put(ROCKETS, {"payload": [], "on_conflict": "merge"}, format="json")
    assert response.status_code == 400
    assert "on_conflict" in response.json()


@pytest.mark.django_db
def test_unique_together_keys_match_rows(api):
    rocket = Rocket.objects.create(code="R", name="R")
    steel = Material.objects.create(code="S", name="Steel", price=1)
    iron = Material.objects.create(code="I", name="Iron", price=1)
    part = RocketPart.objects.create(rocket=rocket, code="0010", material=steel, quantity=1)
    response = api.put("/api/assets/rocket-parts/", [
        {"rocket": rocket.pk, "code": "0010", "quantity": 5},
        {"rocket": rocket.pk, "code": "0020", "material": iron.pk, "quantity": 2},
    ], format="json")
    assert response.status_code == 200, response.json()
    assert response.json()[0]["id"] == part.pk
    part.refresh_from_db()
    assert (part.quantity, part.material_id) == (5, steel.pk)
    assert RocketPart.objects.count() == 2


@pytest.mark.django_db
def test_a_natural_primary_key_is_the_upsert_key(api):
    Country.objects.create(code="FR", name="France")
    response = api.put("/api/geo/countries/", [{"code": "FR", "name": "République française"},
                                               {"code": "DE", "name": "Germany"}], format="json")
    assert response.status_code == 200, response.json()
    assert dict(Country.objects.values_list("code", "name")) == {
        "FR": "République française", "DE": "Germany"}


@pytest.mark.django_db
def test_repeated_keys_in_one_request_are_refused(api):
    response = api.put(ROCKETS, [{"code": "A", "name": "A"}, {"code": "A", "name": "B"}], format="json")
    assert response.status_code == 400
    assert response.json() == {"1": {"code": ["Item 0 of this request has the same code."]}}
    assert not Rocket.objects.exists()


@pytest.mark.django_db
def test_an_upsert_dry_run_writes_nothing(api):
    rocket = Rocket.objects.create(code="OLD", name="Old")
    changes = [{"code": "OLD", "name": "Changed"}, {"code": "NEW", "name": "New"}]
    response = api.put(ROCKETS, {"payload": changes,
                                 "dry_run": True}, format="json")
    assert response.status_code == 200
    assert [(item["id"], item["name"]) for item in response.json()] == [(rocket.pk, "Changed"), (None, "New")]
    assert list(Rocket.objects.values_list("code", "name")) == [("OLD", "Old")]


@pytest.mark.django_db
def test_a_key_outside_the_scope_is_refused_and_untouched(api, reconfigure):
    Rocket.objects.create(code="HIDDEN", name="Hidden")
    reconfigure(Rocket, scope=lambda request, queryset: queryset.exclude(code="HIDDEN"))
    response = api.put(ROCKETS, [{"code": "HIDDEN", "name": "Mine now"}], format="json")
    assert response.status_code == 400
    assert "may not change it" in response.json()["0"]["code"][0]
    assert Rocket.objects.get(code="HIDDEN").name == "Hidden"


@pytest.mark.django_db
def test_upsert_needs_the_create_policies_too(api, reconfigure):
    from cruddy_django.policies import deny_all

    reconfigure(Rocket, policies={"create": [deny_all]})
    response = api.put(ROCKETS, [{"code": "A", "name": "A"}], format="json")
    assert response.status_code == 403
    assert not Rocket.objects.exists()
    reconfigure(Rocket, policies={"create": [deny_all], "upsert": []})
    assert api.put(ROCKETS, [{"code": "A", "name": "A"}], format="json").status_code == 200


@pytest.mark.django_db
def test_an_upsert_of_many_rows_costs_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    Rocket.objects.bulk_create([Rocket(code=f"R{i}", name="old") for i in range(50)])
    payload = [{"code": f"R{i}", "name": "new"} for i in range(100)]
    with django_assert_max_num_queries(10):
        response = api.put(ROCKETS, payload, format="json")
    assert response.status_code == 200
    assert Rocket.objects.filter(name="new").count() == 100


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_upserts_of_one_key_make_one_row_and_no_500():
    from rest_framework.test import APIClient

    barrier = threading.Barrier(8)
    statuses: list[int] = []
    racer = User.objects.create_user("racer")  # writes need a signed-in user

    def upsert(index: int) -> None:
        try:
            barrier.wait()
            client = APIClient()
            client.force_authenticate(racer)
            response = client.put(ROCKETS, [{"code": "RACE", "name": f"Writer {index}"},
                                                 {"code": f"OWN{index}", "name": "own"}], format="json")
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=upsert, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 8
    assert Rocket.objects.filter(code="RACE").count() == 1
    assert Rocket.objects.count() == 9
