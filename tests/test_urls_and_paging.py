"""URL layout (with and without slashes, namespaces), the list envelope and paging parameters."""

import pytest
from django.urls import reverse

from example_project.assets.models import Material
from tests.testapp.models import Note

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(signed_in_api):
    """Writes need a signed-in user (the default policies); reads behave the same for it."""
    return signed_in_api


EXAMPLE_COLLECTIONS = [
    "/api/assets/materials/", "/api/assets/rockets/", "/api/assets/rocket-parts/", "/api/staff/astronauts/",
    "/api/staff/crews/", "/api/missions/", "/api/stations/",
]


@pytest.mark.parametrize("url", EXAMPLE_COLLECTIONS)
def test_every_example_collection_answers_with_and_without_slash(api, url):
    assert api.get(url).status_code == 200
    assert api.get(url.rstrip("/")).status_code == 200


def test_a_post_without_trailing_slash_is_not_redirected(api):
    response = api.post("/api/assets/materials", {"code": "A", "name": "A", "price": 1})
    assert response.status_code == 201


def test_detail_routes_answer_with_and_without_slash(api):
    material = Material.objects.create(code="A", name="A", price=1)
    assert api.get(f"/api/assets/materials/{material.pk}").status_code == 200
    assert api.patch(f"/api/assets/materials/{material.pk}", {"name": "B"}).status_code == 200
    assert api.delete(f"/api/assets/materials/{material.pk}").status_code == 204


def test_custom_path_and_empty_namespace(api):
    Note.objects.create(text="hello")
    assert api.get("/api/memos/").json()["count"] == 1
    assert api.get("/api/notes/").status_code == 404


def test_url_names_live_in_the_site_namespace():
    assert reverse("cruddy:assets-rocket-parts-list") == "/api/assets/rocket-parts/"
    assert reverse("cruddy:missions-detail", args=[3]) == "/api/missions/3/"
    assert reverse("cruddy:geo-countries-detail", args=["FR"]) == "/api/geo/countries/FR/"


@pytest.fixture
def materials():
    return Material.objects.bulk_create(
        Material(code=f"M{index:03d}", name=f"Material {index}", price=index + 1) for index in range(25)
    )


def test_the_envelope_carries_page_facts(api, materials):
    body = api.get("/api/assets/materials/?page=2&page_size=10").json()
    assert {key: body[key] for key in ("count", "page", "page_size", "pages")} == {
        "count": 25, "page": 2, "page_size": 10, "pages": 3}
    assert body["next"] == "http://testserver/api/assets/materials/?page=3&page_size=10"
    assert body["previous"] == "http://testserver/api/assets/materials/?page_size=10"
    assert [row["code"] for row in body["results"]] == [f"M{index:03d}" for index in range(10, 20)]


def test_the_default_page_size_comes_from_settings_and_the_resource(api, materials, settings):
    assert api.get("/api/assets/materials/").json()["page_size"] == 20
    settings.CRUDDY_DJANGO = {"PAGE_SIZE": 7}
    assert len(api.get("/api/assets/materials/").json()["results"]) == 7
    Note.objects.bulk_create(Note(text=str(index), position=index) for index in range(5))
    body = api.get("/api/memos/").json()
    assert (body["page_size"], body["pages"]) == (3, 2)


def test_limit_and_offset(api, materials):
    body = api.get("/api/assets/materials/?limit=5&offset=20").json()
    assert [row["code"] for row in body["results"]] == [f"M{index:03d}" for index in range(20, 25)]
    assert body["next"] is None
    assert body["previous"] == "http://testserver/api/assets/materials/?limit=5&offset=15"


def test_the_last_page_and_beyond(api, materials):
    body = api.get("/api/assets/materials/?page=3&page_size=10").json()
    assert (len(body["results"]), body["next"]) == (5, None)
    body = api.get("/api/assets/materials/?page=9&page_size=10").json()
    assert (body["results"], body["count"]) == ([], 25)


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("page=abc", "page", "whole number"),
        ("page=0", "page", "at least 1"),
        ("page_size=0", "page_size", "at least 1"),
        ("page_size=1001", "page_size", "at most 1000"),
        ("limit=-1", "limit", "at least 1"),
        ("offset=-5", "offset", "at least 0"),
    ],
)
def test_bad_paging_parameters_are_400_naming_them(api, query, parameter, message):
    response = api.get(f"/api/assets/materials/?{query}")
    assert response.status_code == 400
    assert message in response.json()[parameter][0]


def test_the_resource_maximum_page_size_applies(api):
    response = api.get("/api/memos/?page_size=11")
    assert response.status_code == 400
    assert "at most 10" in response.json()["page_size"][0]


def test_default_order_is_meta_ordering_else_the_primary_key(api):
    for index, position in enumerate([3, 1, 2]):
        Note.objects.create(text=f"n{index}", position=position)
    assert [row["position"] for row in api.get("/api/memos/").json()["results"]] == [1, 2, 3]
    Material.objects.create(code="B", name="B", price=1)
    Material.objects.create(code="A", name="A", price=1)
    assert [row["code"] for row in api.get("/api/assets/materials/").json()["results"]] == ["B", "A"]


def test_a_list_costs_two_queries_whatever_the_page_size(api, materials, django_assert_num_queries):
    with django_assert_num_queries(2):
        api.get("/api/assets/materials/?page_size=2")
    with django_assert_num_queries(2):
        api.get("/api/assets/materials/?page_size=25")
