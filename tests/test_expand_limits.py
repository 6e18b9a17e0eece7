"""Bounded responses: a to-many relation shows at most ``expand_limit`` rows per parent (expanded or as pks),
with ``_more`` linking to the relation route, on both read paths and at a constant number of queries; a
request whose page and expansions could exceed ``MAX_RESPONSE_ROWS`` is a 400 naming a cheaper request."""

import pytest
from django.test import override_settings

from example_project.assets.models import Material, Rocket, RocketPart
from example_project.ops.models import Mission, Station
from example_project.staff.models import Astronaut, Crew

pytestmark = pytest.mark.django_db

FAST = {"TITLE": "Test API"}
DRF = {"TITLE": "Test API", "FAST_READS": False}


@pytest.fixture(params=[FAST, DRF], ids=["fast", "drf"])
def read_path(request):
    with override_settings(CRUDDY_DJANGO=request.param):
        yield request.param


@pytest.fixture
def fleet(reconfigure):
    """Rocket R0 has 5 parts, R1 one; crew C0 flies 7 missions and has 4 astronauts. Limits: 3 parts, 2
    missions, 2 astronauts per parent."""
    reconfigure(RocketPart, expand_limit=3)
    reconfigure(Mission, expand_limit=2)
    reconfigure(Astronaut, expand_limit=2)
    materials = Material.objects.bulk_create(Material(code=f"M{k}", name="m", price=1) for k in range(5))
    big, small = Rocket.objects.create(code="R0", name="Big"), Rocket.objects.create(code="R1", name="Small")
    RocketPart.objects.bulk_create([RocketPart(code=f"P{k}", rocket=big, material=materials[k], quantity=1)
                                    for k in range(5)])
    RocketPart.objects.create(code="P0", rocket=small, material=materials[0], quantity=1)
    crew = Crew.objects.create(code="C0", name="Crew")
    crew.astronauts.set(Astronaut.objects.bulk_create(
        Astronaut(code=f"A{k}", name=f"A{k}", role="pilot") for k in range(4)))
    station = Station.objects.create(code="S", name="S")
    Mission.objects.bulk_create(Mission(code=f"X{k}", name="m", crew=crew, rocket=big, station=station)
                                for k in range(7))
    return {"big": big, "small": small, "crew": crew}


def test_an_expansion_holds_expand_limit_rows_per_parent_and_links_to_the_rest(api, fleet, read_path,
                                                                             django_assert_num_queries):
    with django_assert_num_queries(3):  # count, page, parts
        body = api.get("/api/assets/rockets/?expand=parts").json()
    big, small = body["results"]
    assert [part["code"] for part in big["parts"]] == ["P0", "P1", "P2"]  # the parts' list order
    assert big["_more"] == {"parts": f"http://testserver/api/assets/rockets/{fleet['big'].pk}/parts/"}
    assert [part["code"] for part in small["parts"]] == ["P0"] and "_more" not in small
    everything = api.get(big["_more"]["parts"]).json()
    assert [part["code"] for part in everything["results"]] == ["P0", "P1", "P2", "P3", "P4"]


def test_one_row_holds_the_same_rows_as_the_list_shows_for_it(api, fleet, read_path, django_assert_num_queries):
    with django_assert_num_queries(2):  # the rocket, its parts (a LIMIT: one parent needs no window function)
        big = api.get(f"/api/assets/rockets/{fleet['big'].pk}/?expand=parts").json()
    listed = api.get("/api/assets/rockets/?expand=parts").json()["results"][0]
    assert big == listed
    assert [part["code"] for part in big["parts"]] == ["P0", "P1", "P2"]
    assert big["_more"] == {"parts": f"http://testserver/api/assets/rockets/{fleet['big'].pk}/parts/"}


def test_a_parent_with_more_rows_than_the_others_can_make_up_for(api, fleet, read_path, django_assert_num_queries):
    """Rows are read in one plain query while parents have at most limit + 1 on average; past that, some
    parent has more, and a second query numbers each parent's rows."""
    big = fleet["big"]
    materials = Material.objects.bulk_create(Material(code=f"N{k}", name="n", price=1) for k in range(4))
    RocketPart.objects.bulk_create([RocketPart(code=f"Q{k}", rocket=big, material=material, quantity=1)
                                    for k, material in enumerate(materials)])  # 9 parts: more than 2 x 4
    # fast path: count, page, the parts (too many), the first 4 of each rocket; DRF's prefetch: always a window
    with django_assert_num_queries(4 if read_path is FAST else 3):
        body = api.get("/api/assets/rockets/?expand=parts").json()
    big_row, small_row = body["results"]
    assert [part["code"] for part in big_row["parts"]] == ["P0", "P1", "P2"] and "_more" in big_row
    assert [part["code"] for part in small_row["parts"]] == ["P0"] and "_more" not in small_row


def test_lists_of_pks_are_bounded_too(api, fleet, read_path):
    crew = api.get(f"/api/staff/crews/{fleet['crew'].pk}/").json()
    assert len(crew["astronauts"]) == 2
    assert crew["_more"] == {"astronauts": f"http://testserver/api/staff/crews/{fleet['crew'].pk}/astronauts/"}


def test_nested_expansions_carry_their_own_more(api, fleet, read_path, django_assert_num_queries):
    """The attack of the issue: every mission expanding its crew's missions (a 253 MB response)."""
    with django_assert_num_queries(4):  # count, page, crews' missions, crews' astronaut pks
        body = api.get("/api/missions/?expand=crew.missions&page_size=100").json()
    assert len(body["results"]) == 7
    for mission in body["results"]:
        crew = mission["crew"]
        assert [item["code"] for item in crew["missions"]] == ["X0", "X1"]
        assert crew["_more"] == {
            "astronauts": f"http://testserver/api/staff/crews/{fleet['crew'].pk}/astronauts/",
            "missions": f"http://testserver/api/staff/crews/{fleet['crew'].pk}/missions/"}
        assert "_more" not in mission


def test_both_paths_give_the_same_bytes(api, fleet):
    url = "/api/missions/?expand=crew.missions,crew.astronauts"
    fast = api.get(url).content
    with override_settings(CRUDDY_DJANGO=DRF):
        assert api.get(url).content == fast


def test_a_page_that_could_exceed_max_response_rows_is_a_400_naming_a_smaller_page(api, fleet, settings):
    settings.CRUDDY_DJANGO = {**FAST, "MAX_RESPONSE_ROWS": 100}
    response = api.get("/api/assets/rockets/?expand=parts&page_size=50")  # 50 rockets x (1 + 3 parts)
    assert response.status_code == 400
    assert response.json() == {"page_size": [
        "This request could return 200 rows (50 per page, each with up to 4 rows with its expansions), more "
        "than max_response_rows (100); ask for page_size=25 or less, or expand fewer to-many relations."]}
    assert api.get("/api/assets/rockets/?expand=parts&page_size=25").status_code == 200


def test_expansions_that_no_page_can_hold_are_a_400_naming_them(api, fleet, settings):
    settings.CRUDDY_DJANGO = {**FAST, "MAX_RESPONSE_ROWS": 5}
    response = api.get(f"/api/staff/crews/{fleet['crew'].pk}/?expand=missions.crew.missions")
    assert response.status_code == 400
    assert response.json() == {"expand": [
        "One row with these expansions could bring 9 rows (to-many relations hold up to their expand_limit "
        "rows each), more than max_response_rows (5); expand fewer or shallower to-many relations."]}
