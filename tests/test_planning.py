"""Query planning: a read costs a fixed number of queries whatever the page size, scopes reach every
related queryset, and computed fields are evaluated by the database."""

import pytest
from django.test import override_settings
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from cruddy_django import site
from cruddy_django.computed import annotate_computed
from cruddy_django.reads import read_rows
from example_project.assets.models import Material, Rocket, RocketPart
from example_project.ops.models import Mission, Station
from example_project.staff.models import Astronaut, Crew

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(signed_in_api):
    """Writes need a signed-in user (the default policies); reads behave the same for it."""
    return signed_in_api


# Two levels of to-many expansions on 50 rows: 10 rows per parent keeps them under MAX_RESPONSE_ROWS.
FAST_PATH = {"TITLE": "Test API", "EXPAND_LIMIT": 10}
DRF_PATH = {**FAST_PATH, "FAST_READS": False}


def build_world(size: int) -> None:
    """``size`` of everything: astronauts in two crews each, crews with missions, rockets with parts."""
    materials = Material.objects.bulk_create(Material(code=f"M{i}", name=f"M{i}", price=i + 1) for i in range(3))
    station = Station.objects.create(code="S", name="Station")
    astronauts = Astronaut.objects.bulk_create(
        Astronaut(code=f"A{i}", name=f"Astronaut {i}", role="doctor" if i % 2 else "pilot") for i in range(size)
    )
    crews = Crew.objects.bulk_create(Crew(code=f"C{i}", name=f"Crew {i}", lead=astronauts[i]) for i in range(size))
    for index, crew in enumerate(crews):
        crew.astronauts.set([astronauts[index], astronauts[(index + 1) % size]])
    rockets = Rocket.objects.bulk_create(Rocket(code=f"R{i}", name=f"Rocket {i}") for i in range(size))
    RocketPart.objects.bulk_create(
        RocketPart(code=f"P{k}", rocket=rocket, material=materials[k], quantity=k + 1)
        for rocket in rockets
        for k in range(2)
    )
    Mission.objects.bulk_create(
        Mission(code=f"X{i}-{k}", name="m", crew=crews[i], rocket=rockets[i], station=station)
        for i in range(size)
        for k in range(2)
    )


# url -> queries on the fast path: count + main + one per hop
QUERY_COUNTS = [
    ("/api/missions/", 2),
    ("/api/missions/?expand=crew,crew.lead,rocket,station", 3),  # + the crews' astronaut pks
    ("/api/missions/?fields=code,crew.astronauts.name", 3),
    ("/api/staff/crews/", 3),
    ("/api/staff/crews/?expand=astronauts", 3),
    ("/api/staff/astronauts/?fields=code,crews.code,crews.missions.code", 4),  # two levels of to-many
    ("/api/staff/astronauts/?expand=crews.missions", 5),  # ... and the crews' astronaut pks
    ("/api/staff/crews/?expand=astronauts.crews", 5),  # ... and the inner crews' astronaut pks
    ("/api/assets/rockets/?expand=parts.material", 3),
    ("/api/assets/rockets/?fields=id,price,parts.material.code&ordering=-price", 3),
]


@pytest.mark.parametrize(("url", "queries"), QUERY_COUNTS)
@pytest.mark.parametrize("size", [2, 50])
@override_settings(CRUDDY_DJANGO=FAST_PATH)
def test_a_list_costs_the_same_queries_for_2_and_50_rows(api, django_assert_num_queries, url, queries, size):
    build_world(size)
    separator = "&" if "?" in url else "?"
    with django_assert_num_queries(queries):
        response = api.get(f"{url}{separator}page_size={size}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == size


@pytest.mark.parametrize(("url", "queries"), QUERY_COUNTS)
@override_settings(CRUDDY_DJANGO=DRF_PATH)
def test_the_drf_path_is_just_as_constant(api, django_assert_max_num_queries, url, queries):
    build_world(2)
    separator = "&" if "?" in url else "?"
    with django_assert_max_num_queries(queries + 1) as small:  # a to-one with a computed field: a Prefetch
        api.get(f"{url}{separator}page_size=2")
    Mission.objects.all().delete()
    for model in (Crew, RocketPart, Rocket, Material, Station, Astronaut):
        model.objects.all().delete()
    build_world(50)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = api.get(f"{url}{separator}page_size=50")
    assert len(response.json()["results"]) == 50
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_single_row_costs_one_query_plus_one_per_hop(api, django_assert_num_queries):
    build_world(3)
    rocket = Rocket.objects.first()
    with django_assert_num_queries(2):
        body = api.get(f"/api/assets/rockets/{rocket.pk}/?expand=parts.material").json()
    assert [part["material"]["code"] for part in body["parts"]] == ["M0", "M1"]
    assert api.get("/api/assets/rockets/999999/").status_code == 404
    assert api.get("/api/assets/rockets/not-a-number/").status_code == 404


def test_an_object_policy_still_sees_the_instance(api, reconfigure, django_assert_num_queries):
    build_world(2)
    rocket = Rocket.objects.first()
    seen = []

    def only_rocket_zero(request, view, obj=None):
        seen.append(obj)
        return obj is None or obj.code == "R0"

    reconfigure(Rocket, policies={"retrieve": [only_rocket_zero]})
    with django_assert_num_queries(3):  # the instance for the policy, the row, its parts
        assert api.get(f"/api/assets/rockets/{rocket.pk}/?expand=parts").status_code == 200
    assert seen[-1] == rocket
    assert api.get(f"/api/assets/rockets/{Rocket.objects.last().pk}/").status_code == 403


@pytest.fixture(params=[True, False], ids=["fast", "drf"])
def pilots_only(request, reconfigure, settings):
    """Astronauts scoped to pilots, on both read paths."""
    settings.CRUDDY_DJANGO = {"TITLE": "Test API", "FAST_READS": request.param}
    reconfigure(Astronaut, scope=lambda request, queryset: queryset.filter(role="pilot"))


def test_scopes_apply_to_every_related_queryset(api, pilots_only):
    build_world(4)  # astronauts 0 and 2 are pilots
    pilots = set(Astronaut.objects.filter(role="pilot").values_list("pk", flat=True))
    crews = api.get("/api/staff/crews/?expand=astronauts&fields=code,lead,astronauts.code").json()["results"]
    assert [[member["code"] for member in crew["astronauts"]] for crew in crews] == [
        ["A0"],
        ["A2"],
        ["A2"],
        ["A0"],
    ]
    plain = api.get("/api/staff/crews/").json()["results"]
    assert all(set(crew["astronauts"]) <= pilots for crew in plain)
    missions = api.get("/api/missions/?fields=code,crew.lead.code").json()["results"]
    # a lead outside the scope reads as null once expanded, like a row the request cannot list
    assert [mission["crew"]["lead"] for mission in missions[::2]] == [
        {"code": "A0"},
        None,
        {"code": "A2"},
        None,
    ]


def test_computed_fields_are_right_whatever_else_is_joined(api):
    build_world(2)
    rocket = Rocket.objects.first()  # parts: 1 x M0 (price 1) and 2 x M1 (price 2) -> 5.0; two missions
    body = api.get(f"/api/assets/rockets/{rocket.pk}/?expand=parts,missions").json()
    assert body["price"] == 5.0
    assert len(body["missions"]) == 2
    assert api.get("/api/missions/?expand=rocket").json()["results"][0]["rocket"]["price"] == 5.0
    queryset = annotate_computed(
        site.get_resource(Rocket), Rocket.objects.filter(missions__code__startswith="X"), ["price"]
    )
    assert set(queryset.values_list("price", flat=True)) == {5.0}


def test_computed_fields_sort(api):
    build_world(2)
    cheap = Rocket.objects.create(code="CHEAP", name="Cheap")
    RocketPart.objects.create(code="P", rocket=cheap, material=Material.objects.get(code="M0"), quantity=1)
    codes = [row["code"] for row in api.get("/api/assets/rockets/?ordering=-price,code").json()["results"]]
    assert codes == ["R0", "R1", "CHEAP"]
    codes = [row["code"] for row in api.get("/api/assets/rockets/?ordering=price").json()["results"]]
    assert codes == ["CHEAP", "R0", "R1"]


def test_writes_return_the_computed_fields_too(api):
    build_world(1)
    created = api.post("/api/assets/rockets/", {"code": "NEW", "name": "New"})
    assert created.status_code == 201
    assert created.json() == {
        "id": created.json()["id"],
        "code": "NEW",
        "name": "New",
        "description": None,
        "price": None,
    }
    rocket = Rocket.objects.get(code="R0")
    assert api.patch(f"/api/assets/rockets/{rocket.pk}/", {"name": "Renamed"}).json()["price"] == 5.0


def test_read_rows_serves_other_views_such_as_relation_routes():
    build_world(2)
    crew = Crew.objects.first()
    request = Request(APIRequestFactory().get("/", {"fields": "code,name"}))
    queryset = Astronaut.objects.filter(crews=crew).order_by("pk")
    rows, plan = read_rows(site.get_resource(Astronaut), request, queryset)
    assert plan.fast
    assert rows == [{"code": "A0", "name": "Astronaut 0"}, {"code": "A1", "name": "Astronaut 1"}]


def test_django_filter_lookups_still_filter_and_refuse_bad_values(api, django_assert_num_queries):
    build_world(3)
    with django_assert_num_queries(2):
        body = api.get("/api/assets/materials/?code=M1&price__gte=1").json()
    assert [row["code"] for row in body["results"]] == ["M1"]
    response = api.get("/api/assets/materials/?price__gte=cheap")
    assert response.status_code == 400
    assert "price__gte" in response.json()


def test_the_query_language_filters_and_sorts_on_computed_fields(api, django_assert_num_queries):
    build_world(3)  # every rocket costs 5.0
    cheap = Rocket.objects.create(code="CHEAP", name="Cheap")
    RocketPart.objects.create(code="P", rocket=cheap, material=Material.objects.get(code="M0"), quantity=1)
    with django_assert_num_queries(3):
        body = api.get("/api/assets/rockets/?.price=lt~5&expand=parts.material").json()
    assert [(row["code"], row["price"], len(row["parts"])) for row in body["results"]] == [("CHEAP", 1.0, 1)]
    codes = [row["code"] for row in api.get("/api/assets/rockets/?sort=price,-code&fields=code").json()["results"]]
    assert codes == ["CHEAP", "R2", "R1", "R0"]
