"""PostgreSQL columns: arrays (contains, contained_by, overlap, length, items), hstore (keys, containment),
ranges (an element or a range, overlap, bounds), search vectors (match, websearch) and citext, in the dialects,
in sorting and in writes. Elsewhere the operators are a 400 that says why."""

import json
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db):
    """A signed-in user without staff rights: the writes here are not about anonymous users."""
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(User.objects.create_user("writer"))
    return client

URL = "/api/zoo/pg-everything/"


def where(tree):
    return "where=" + quote(json.dumps(tree))


@pytest.fixture
def rows(api):
    from tests.zoo_pg.models import PgEverything

    first = api.post(URL, {"tags": ["red", "blue"], "scores": [1, 5, 9], "attributes": {"colour": "red"},
                           "ages": {"lower": 1, "upper": 10}, "prices": [1.5, "2.5"],
                           "dates": {"lower": "2024-01-01", "upper": None}, "nickname": "Alice"}, format="json")
    assert first.status_code == 201, first.json()
    second = api.post(URL, {"tags": ["green"], "scores": [], "attributes": {"size": "L"},
                            "ages": [20, 30], "nickname": "Bob"}, format="json")
    assert second.status_code == 201, second.json()
    PgEverything.objects.filter(pk=first.json()["id"]).update(document="'cat':1 'dog':2")
    return first.json(), second.json()


def names(response):
    assert response.status_code == 200, response.json()
    return sorted(row["nickname"] for row in response.json()["results"])


@pytest.mark.requires_postgres
def test_columns_read_as_json(rows):
    first, _second = rows
    assert first["tags"] == ["red", "blue"] and first["attributes"] == {"colour": "red"}
    assert first["ages"] == {"lower": 1, "upper": 10, "bounds": "[)"}
    assert first["prices"] == {"lower": "1.5", "upper": "2.5", "bounds": "[)"}
    assert first["dates"] == {"lower": "2024-01-01", "upper": None, "bounds": "[)"}


@pytest.mark.requires_postgres
@pytest.mark.parametrize(("query", "expected"), [
    (".tags=contains~red", ["Alice"]), (".tags=contains~red,blue", ["Alice"]), (".tags=overlap~red,green",
                                                                                 ["Alice", "Bob"]),
    (".tags=contained_by~red,blue,x", ["Alice"]), (".tags.len=gt~1", ["Alice"]), (".tags.0=eq~green", ["Bob"]),
    (".scores=contains~5", ["Alice"]), (".scores.1=ge~5", ["Alice"]), ("scores.len.$eq=0", ["Bob"]),
    (where({"tags": {"*overlap": ["blue", "green"]}}), ["Alice", "Bob"]), (where({"tags.len": {"*lt": 2}}), ["Bob"]),
    (where({"tags": {"*contains": ["red"]}}), ["Alice"]), (where({"tags": {"*eq": ["green"]}}), ["Bob"]),
])
def test_arrays(api, rows, query, expected):
    assert names(api.get(f"{URL}?{query}")) == expected


@pytest.mark.requires_postgres
@pytest.mark.parametrize(("query", "expected"), [
    (".ages=contains~5", ["Alice"]), (".ages=overlap~8,21", ["Alice", "Bob"]), (".ages=contained_by~0,100",
                                                                               ["Alice", "Bob"]),
    (".ages.lower=ge~20", ["Bob"]), (".ages.upper=lt~11", ["Alice"]), (".prices=contains~2", ["Alice"]),
    (".dates=contains~2030-05-01", ["Alice"]), (where({"ages": {"*contains": [2, 3]}}), ["Alice"]),
    (where({"ages": {"*overlap": {"lower": 9, "upper": 21, "bounds": "[]"}}}), ["Alice", "Bob"]),
    (".ages.empty=false", ["Alice", "Bob"]),
])
def test_ranges(api, rows, query, expected):
    assert names(api.get(f"{URL}?{query}")) == expected


@pytest.mark.requires_postgres
@pytest.mark.parametrize(("query", "expected"), [
    (".attributes.colour=red", ["Alice"]), ("attributes.size=L", ["Bob"]), (".attributes=has_key~size", ["Bob"]),
    (where({"attributes": {"*contains": {"colour": "red"}}}), ["Alice"]),
    (where({"attributes": {"*has_any": ["size", "weight"]}}), ["Bob"]),
    (".document=match~cat", ["Alice"]), (where({"document": {"*websearch": "dog -bird"}}), ["Alice"]),
    (where({"document": {"*match": "bird"}}), []),
    (".nickname=eq~alice", ["Alice"]), (".nickname=ilike~AL*", ["Alice"]),  # citext compares without case
])
def test_hstore_search_vectors_and_citext(api, rows, query, expected):
    assert names(api.get(f"{URL}?{query}")) == expected


@pytest.mark.requires_postgres
def test_parts_sort(api, rows):
    assert [row["nickname"] for row in api.get(f"{URL}?sort=-tags.len").json()["results"]] == ["Alice", "Bob"]
    assert [row["nickname"] for row in api.get(f"{URL}?sort=-ages.lower").json()["results"]] == ["Bob", "Alice"]


@pytest.mark.requires_postgres
@pytest.mark.parametrize(("query", "param", "message"), [
    (".tags.x=1", ".tags.x", "'x' in '.tags.x' is no part of tags: use 'len' (its length) or an index from 0."),
    (".ages.middle=1", ".ages.middle", "is no part of ages: use 'lower', 'upper' (its bounds) or 'empty'."),
    (".scores=contains~x", ".scores", "The value 'x' in '.scores' is not a valid integer."),
    (".ages=overlap~1", ".ages", "needs a range: [low, high]"),
    (".ages=overlap~a,b", ".ages", "The value 'a' in '.ages' is not a valid integer."),
    (".tags=like~r*", ".tags", "The operator 'like' cannot be used on '.tags' (array); use one of eq, ne, null, "
                               "contains, contained_by, overlap."),
    (".document=eq~cat", ".document", "The operator 'eq' cannot be used on '.document' (search); use one of match"),
    (".nickname=contains~a,b", ".nickname", "'contains' takes one value on '.nickname' (text)"),
])
def test_mistakes_are_400s(api, rows, query, param, message):
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert message in response.json()[param][0]


@pytest.mark.requires_postgres
@pytest.mark.parametrize(("body", "field", "message"), [
    ({"ages": {"lower": 5, "upper": 1}}, "ages", "The lower bound 5 is not valid: it is above the upper one."),
    ({"ages": "1-5"}, "ages", 'Expected a range: {"lower": low, "upper": high, "bounds": "[)"} or [low, high]'),
    ({"ages": {"lower": "x"}}, "ages", "The lower bound 'x' is not valid"),
    ({"scores": ["x"]}, "scores", "A valid integer is required."),
])
def test_bad_values_in_writes_are_400s(api, body, field, message):
    response = api.post(URL, body, format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])


@pytest.mark.parametrize(("query", "param", "message"), [
    (".char=overlap~a,b", ".char", "The operator 'overlap' cannot be used on '.char' (text); use one of "),
    (".text=match~cat", ".text", "needs PostgreSQL"),
    (".binary=eq~x", ".binary", "'.binary' cannot be filtered: its values (files, bytes) are not compared."),
])
def test_elsewhere_the_operators_are_clear_400s(api, query, param, message, db):
    from django.db import connection

    if "PostgreSQL" in message and connection.vendor == "postgresql":  # there, full-text search works
        assert api.get(f"/api/zoo/everything/?{query}").status_code == 200
        return
    response = api.get(f"/api/zoo/everything/?{query}")
    assert response.status_code == 400
    assert message in response.json()[param][0]


@pytest.mark.requires_postgres
def test_a_bound_beyond_the_columns_range_is_a_400(api):
    response = api.post(URL, {"ages": {"lower": 2**70, "upper": None}}, format="json")
    assert response.status_code == 400
    assert "The lower bound" in response.json()["ages"][0]
