"""PATCH and DELETE on a collection: every row the filter selects; a filter is required; max_bulk; the
Plateforme playground requests of the missions example."""

import pytest
from django.test import override_settings

from example_project.assets.models import Material, Rocket

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(signed_in_api):
    """Writes need a signed-in user (the default policies); reads behave the same for it."""
    return signed_in_api


ROCKETS = "/api/assets/rockets/"


@pytest.fixture
def rockets():
    return Rocket.objects.bulk_create(
        [Rocket(code=code, name=f"Rocket {code}", description="old")
         for code in ("A-2", "B-1", "C-12", "D-22")])


def test_patch_updates_every_matched_row_and_returns_them(api, rockets):
    response = api.patch(f"{ROCKETS}?code__endswith=2", {"description": None}, format="json")
    assert response.status_code == 200, response.json()
    assert [item["code"] for item in response.json()] == ["A-2", "C-12", "D-22"]
    assert all(item["description"] is None for item in response.json())
    assert Rocket.objects.get(code="B-1").description == "old"
    assert Rocket.objects.filter(description__isnull=True).count() == 3


def test_patch_and_delete_without_a_filter_are_refused(api, rockets):
    for method in (api.patch, api.delete):
        response = method(ROCKETS, {"description": "x"} if method == api.patch else None, format="json")
        assert response.status_code == 400
        assert "no filter" in response.json()["detail"]
    for ignored in ("?page=1", "?code__icontains=", "?unknown=1"):
        assert api.delete(f"{ROCKETS}{ignored}").status_code == 400
    assert Rocket.objects.count() == 4
    assert not Rocket.objects.exclude(description="old").exists()


def test_a_patch_that_fails_on_any_row_changes_nothing(api, rockets):
    response = api.patch(f"{ROCKETS}?code__icontains=-", {"code": "SAME"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {f"id={rocket.pk}" for rocket in rockets[1:]}
    assert body[f"id={rockets[1].pk}"] == {"code": ["Item 0 of this request has the same value."]}
    response = api.patch(f"{ROCKETS}?code__icontains=-", {"name": "N" * 101}, format="json")
    assert "no more than 100" in response.json()["name"][0]
    assert sorted(Rocket.objects.values_list("code", flat=True)) == ["A-2", "B-1", "C-12", "D-22"]


def test_patch_dry_run_writes_nothing(api, rockets):
    response = api.patch(f"{ROCKETS}?code__startswith=A", {"payload": {"name": "Z"}, "dry_run": True},
                         format="json")
    assert response.status_code == 200
    assert response.json()[0]["name"] == "Z"
    assert Rocket.objects.get(code="A-2").name == "Rocket A-2"


def test_delete_removes_every_matched_row(api, rockets):
    response = api.delete(f"{ROCKETS}?code__endswith=2")
    assert response.status_code == 204
    assert list(Rocket.objects.values_list("code", flat=True)) == ["B-1"]


@pytest.mark.parametrize("where", ["query", "body"])
def test_delete_returns_the_deleted_rows_when_asked(api, rockets, where):
    url = f"{ROCKETS}?code__in=A-2,B-1"
    if where == "query":
        response = api.delete(url + "&return_result=true")
    else:
        response = api.delete(url, {"return_result": True}, format="json")
    assert response.status_code == 200
    assert sorted(item["code"] for item in response.json()) == ["A-2", "B-1"]
    assert Rocket.objects.count() == 2


def test_delete_dry_run_deletes_nothing(api, rockets):
    response = api.delete(f"{ROCKETS}?code=A-2&dry_run=true&return_result=true")
    assert response.status_code == 200
    assert response.json()[0]["code"] == "A-2"
    assert Rocket.objects.count() == 4


@override_settings(CRUDDY_DJANGO={"MAX_BULK": 2})
def test_max_bulk_bounds_filtered_writes(api, rockets):
    response = api.delete(f"{ROCKETS}?code__endswith=2")
    assert response.status_code == 400
    assert "more than 2 rows" in response.json()["detail"]
    response = api.patch(f"{ROCKETS}?code__endswith=2", {"name": "x"}, format="json")
    assert response.status_code == 400
    assert Rocket.objects.count() == 4 and not Rocket.objects.filter(name="x").exists()
    assert api.delete(f"{ROCKETS}?code__endswith=22").status_code == 204


def test_max_bulk_per_resource(api, rockets, reconfigure):
    reconfigure(Rocket, max_bulk=1)
    assert api.delete(f"{ROCKETS}?code__endswith=2").status_code == 400
    assert api.delete(f"{ROCKETS}?code=B-1").status_code == 204


def test_filtered_writes_stay_inside_the_scope(api, rockets, reconfigure):
    reconfigure(Rocket, scope=lambda request, queryset: queryset.exclude(code="A-2"))
    response = api.delete(f"{ROCKETS}?code__endswith=2&return_result=true")
    assert sorted(item["code"] for item in response.json()) == ["C-12", "D-22"]
    assert Rocket.objects.filter(code="A-2").exists()


def test_a_bulk_patch_costs_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    Material.objects.bulk_create([Material(code=f"M{i}", name="m", price=1) for i in range(100)])
    with django_assert_max_num_queries(6):
        response = api.patch("/api/assets/materials/?code__startswith=M", {"price": 2}, format="json")
    assert response.status_code == 200
    assert Material.objects.filter(price=2).count() == 100


def test_single_delete_returns_the_row_when_asked(api, rockets):
    rocket = rockets[0]
    response = api.delete(f"{ROCKETS}{rocket.pk}", {"return_result": True}, format="json")
    assert response.status_code == 200
    assert response.json() == {"id": rocket.pk, "code": "A-2", "name": "Rocket A-2", "description": "old",
                               "price": None}
    assert not Rocket.objects.filter(pk=rocket.pk).exists()
    assert api.delete(f"{ROCKETS}{rockets[1].pk}?return_result=false").status_code == 204


def test_the_missions_playground_requests(api):
    """The Plateforme playground of the missions example (seed 000), ids aside."""
    Rocket.objects.bulk_create([Rocket(code=code, name=code, description="d")
                                for code in ("9112122", "3142734512", "1000")])
    # Add some rockets, with a dry run.
    before = Rocket.objects.count()
    response = api.post("/api/assets/rockets", {"payload": [{"code": "SAT-V", "name": "Saturn V"},
                                                            {"code": "ARI-5", "name": "Ariane 5"}],
                                                "dry_run": True}, format="json")
    assert response.json() == [
        {"id": None, "code": "SAT-V", "name": "Saturn V", "description": None, "price": None},
        {"id": None, "code": "ARI-5", "name": "Ariane 5", "description": None, "price": None}]
    assert Rocket.objects.count() == before
    # Update rockets: clear the description of every rocket whose code ends with 2.
    response = api.patch("/api/assets/rockets?.code=like~*2",
                         {"payload": {"description": None}, "include": {"__all__": {"id": True}}},
                         format="json")
    changed = Rocket.objects.filter(code__in=["9112122", "3142734512"]).order_by("pk")
    assert response.json() == [{"id": pk} for pk in changed.values_list("pk", flat=True)]  # the include's shape
    assert list(Rocket.objects.order_by("pk").values_list("code", "description")) == [
        ("9112122", None), ("3142734512", None), ("1000", "d")]
    # Upsert rockets.
    response = api.put("/api/assets/rockets", {"payload": {"code": "ARI-6", "name": "Ariane 6",
                                                           "description": "European launch vehicle."}},
                       format="json")
    [ariane] = response.json()
    assert ariane == {"id": ariane["id"], "code": "ARI-6", "name": "Ariane 6",
                      "description": "European launch vehicle.", "price": None}
    # Delete rockets: the rocket just upserted, returning it.
    response = api.delete(f"/api/assets/rockets/{ariane['id']}", {"return_result": True}, format="json")
    assert response.json() == ariane
    assert not Rocket.objects.filter(code="ARI-6").exists()


def test_disabled_actions_switch_off_their_bulk_forms(api, rockets, reconfigure):
    reconfigure(Rocket, disable={"create", "destroy", "bulk_update"})
    assert api.put(ROCKETS, [{"code": "N", "name": "N"}], format="json").status_code == 405
    assert api.delete(f"{ROCKETS}?code=A-2").status_code == 405
    assert api.patch(f"{ROCKETS}?code=A-2", {"name": "x"}, format="json").status_code == 405
    assert Rocket.objects.count() == 4 and not Rocket.objects.filter(name="x").exists()


def test_the_browsable_api_renders_the_write_forms(api, rockets):
    from example_project.staff.models import Crew

    crew = Crew.objects.create(code="C", name="C")
    for url in (ROCKETS, f"{ROCKETS}{rockets[0].pk}/", f"/api/staff/crews/{crew.pk}/astronauts/",
                "/api/w/owners/"):
        response = api.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url


@pytest.mark.parametrize("query", [
    "?.code=like~*2",                                  # Plateforme's dotted form
    '?where={"code": {"*endswith": "2"}}',             # cruddy's JSON where
    "?code.$ne=B-1",                                   # backo
    "?code__endswith=2",                               # django-filter lookups
])
def test_every_query_dialect_selects_rows_for_patch_and_delete(api, rockets, query):
    response = api.patch(f"{ROCKETS}{query}", {"payload": {"description": None}}, format="json")
    assert response.status_code == 200, response.json()
    assert sorted(item["code"] for item in response.json()) == ["A-2", "C-12", "D-22"]
    response = api.delete(f"{ROCKETS}{query}&return_result=true")
    assert sorted(item["code"] for item in response.json()) == ["A-2", "C-12", "D-22"]
    assert list(Rocket.objects.values_list("code", "description")) == [("B-1", "old")]


def test_a_filter_in_the_envelope_selects_rows(api, rockets):
    response = api.patch(ROCKETS, {"payload": {"name": "x"}, "filter": {"code": "like~*2"}}, format="json")
    assert response.status_code == 200, response.json()
    assert Rocket.objects.filter(name="x").count() == 3
    response = api.delete(ROCKETS, {"filter": {"code": "eq~B-1"}, "return_result": True}, format="json")
    assert [item["code"] for item in response.json()] == ["B-1"]
    assert Rocket.objects.count() == 3


def test_a_bad_filter_is_a_400_and_touches_nothing(api, rockets):
    response = api.delete(f"{ROCKETS}?.nope=eq~1")
    assert response.status_code == 400
    assert Rocket.objects.count() == 4
