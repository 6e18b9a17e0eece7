"""The attacker's tests for hostile input: values no column can hold, types the database would refuse at run
time, and patterns meant to keep it busy. Each is a 400 that names the parameter and the reason, on SQLite and
PostgreSQL alike; never a 500."""

import json
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.secureapp.models import Employee, Folder, Team

pytestmark = pytest.mark.django_db

BIG = 99999999999999999999999


@pytest.fixture
def staff(api):
    admin = User.objects.create_user("admin", is_staff=True, is_superuser=True)
    api.force_authenticate(admin)
    team = Team.objects.create(name="Red")
    Employee.objects.create(name="12", team=team, metadata={"level": 3, "when": "2024-01-01"})
    Employee.objects.create(name="abc", team=team, metadata={"level": "high"})
    Employee.objects.create(name="2024-02-29", team=team)
    Employee.objects.create(name="2023-02-29", team=team)
    return admin


def where(value):
    return "?where=" + quote(json.dumps(value))


def error_of(response, param):
    assert response.status_code == 400, response.content
    return response.json()[param][0]


def names(response):
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


# -- integers beyond 64 bits (SQLite raised OverflowError) ---------------------------------------------------

@pytest.mark.parametrize(("query", "param", "reason"), [
    (where({"metadata.level": BIG}), "where", "beyond the 64-bit range"),
    (where({"metadata.level": {"*in": [1, BIG]}}), "where", "beyond the 64-bit range"),
    (f"?id__in=1,{BIG}", "id__in", "less than or equal to 9223372036854775807"),
    (f"?salary__range=1,{BIG}", "salary__range", "less than or equal to 9223372036854775807"),
    (f"?.id=in~1,{BIG}", ".id", "is not a valid integer"),
    (f"?id.$in={BIG}", "id.$in", "is not a valid integer"),
])
def test_integers_beyond_64_bits_are_400_in_every_dialect(api, staff, query, param, reason):
    assert reason in error_of(api.get(f"/api/secure/employees/{query}"), param)


def test_integers_beyond_64_bits_are_400_in_keys_of_writes(api, staff):
    response = api.put("/api/secure/employees/", [{"id": BIG, "name": "x"}], format="json")
    assert response.status_code == 400
    assert "beyond the 64-bit range" in response.json()["0"]["id"][0]
    folder = Folder.objects.create(name="f")
    response = api.put(f"/api/secure/folders/{folder.pk}/badges/", [BIG], format="json")
    assert response.json() == {"badges": [f"No badge with id {BIG}."]}


# -- NUL characters (PostgreSQL raised DataError) -----------------------------------------------------------

@pytest.mark.parametrize(("query", "param"), [
    ("?.name=a%00b", ".name"),
    ("?.name=like~*a%00b*", ".name"),
    ("?name=a%00b", "name"),
    ("?name__icontains=a%00b", "name__icontains"),
    ("?name.$eq=a%00b", "name.$eq"),
    ("?search=a%00b", "search"),
    ("?sort=na%00me", "sort"),
    ("?fields=na%00me", "fields"),
    (where({"name": "a\u0000b"}), "where"),
    (where({"metadata.level": {"*in": ["a\u0000b"]}}), "where"),
])
def test_nul_characters_are_400_in_every_dialect(api, staff, query, param):
    assert "NUL character" in error_of(api.get(f"/api/secure/employees/{query}"), param)


def test_nul_characters_are_400_in_a_get_body(api, staff):
    body = json.dumps({"filter": {"name": "a\u0000b"}})
    response = api.generic("GET", "/api/secure/employees/", body, content_type="application/json")
    assert response.status_code == 400
    assert "NUL character" in response.json()["detail"]


@pytest.mark.parametrize(("method", "url", "body", "where_it_is"), [
    ("post", "/api/secure/employees/", {"name": "x", "metadata": {"a": "b\u0000"}}, "metadata.a"),
    ("post", "/api/secure/employees/", {"name": "x", "metadata": {"a\u0000": 1}}, "metadata.a\u0000"),
    ("post", "/api/secure/employees/", [{"name": "x"}, {"name": "y\u0000"}], "[1].name"),
    ("put", "/api/secure/employees/", [{"name": "x\u0000"}], "[0].name"),
    ("patch", "/api/secure/employees/?name=abc", {"name": "a\u0000"}, "name"),
])
def test_nul_characters_are_400_in_write_bodies(api, staff, method, url, body, where_it_is):
    response = getattr(api, method)(url, body, format="json")
    assert "NUL character" in error_of(response, where_it_is)
    assert Employee.objects.count() == 4


# -- types the database would refuse (ProgrammingError, DataError, TypeError) -------------------------------

@pytest.mark.parametrize(("query", "param", "reason"), [
    (where({"name": {"*eq": {"*datetime": "2024-01-01T00:00:00"}}}), "where",
     "compares a text column with a date and time"),
    (where({"salary": {"*gt": {"*datetime": "2024-01-01T00:00:00"}}}), "where",
     "compares an integer column with a date and time"),
    (where({"metadata.when": {"*eq": {"*datetime": "2024-01-01T00:00:00"}}}), "where",
     "compares a json column with a date and time"),
    (where({"public:Date": {"*eq": "2024-01-01"}}), "where", "cannot cast a boolean column to Date"),
    (where({"metadata:Integer": {"*eq": 5}}), "where", "cannot cast a json column to Integer"),
    ("?.name=gt~$public", ".name", "compares a text column with a boolean column"),
    ("?.name=eq~$team", ".name", "compares a text column with an integer column"),
    ("?.metadata=eq~$name", ".metadata", "compares a json column with a text column"),
    ("?.id=eq~$salary", None, None),  # two integers: fine
])
def test_comparisons_of_incompatible_types_are_400_before_any_sql(api, staff, query, param, reason):
    response = api.get(f"/api/secure/employees/{query}")
    if param is None:
        assert response.status_code == 200
    else:
        assert reason in error_of(response, param)


def test_a_column_cast_the_data_cannot_take_reads_as_null_instead_of_failing(api, staff):
    """"abc" is no integer and 2023-02-29 no date: those rows simply do not match (PostgreSQL would abort
    the query, an error-vs-200 oracle on any row the query reads)."""
    assert names(api.get(f"/api/secure/employees/{where({'name:Integer': {'*eq': 12}})}")) == ["12"]
    assert names(api.get(f"/api/secure/employees/{where({'name:Date': {'*eq': '2024-02-29'}})}")) == [
        "2024-02-29"]
    assert names(api.get(f"/api/secure/employees/{where({'name:Float': {'*eq': 12}})}")) == ["12"]


@pytest.mark.requires_postgres
def test_an_unknown_text_search_configuration_is_400(api, staff):
    message = error_of(api.get(f"/api/secure/employees/{where({'name:tsvector:klingon': {'*match': 'x'}})}"),
                       "where")
    assert message.startswith("Unknown text search configuration 'klingon'")
    assert "english" in message
    response = api.get(f"/api/secure/employees/{where({'name:tsvector:english': {'*match': 'abc'}})}")
    assert names(response) == ["abc"]


# -- patterns and parameters meant to keep the database busy ------------------------------------------------

def test_like_with_wildcards_in_the_middle_runs_as_sql_like(api, staff):
    """Patterns with several wildcards used to fall back to a regular expression (Python's, on SQLite: a
    backtracking blow-up); now every like is the database's own LIKE, with literal % and _ escaped."""
    Employee.objects.create(name="x" * 50)
    Employee.objects.create(name="a%b_c")
    with CaptureQueriesContext(connection) as queries:
        assert names(api.get("/api/secure/employees/?.name=like~*x*x*x*x*x*x*y")) == []
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert " LIKE " in sql and "REGEXP" not in sql.upper() and "~" not in sql
    assert names(api.get("/api/secure/employees/?.name=like~x*x*x")) == ["x" * 50]
    assert names(api.get("/api/secure/employees/?.name=like~a%25*_c")) == ["a%b_c"]
    assert names(api.get("/api/secure/employees/?.name=like~a_*c")) == []  # _ is literal: no a_ prefix
    assert names(api.get("/api/secure/employees/?.name=ilike~A%25B*C")) == ["a%b_c"]


@pytest.mark.parametrize("param", ["fields", "expand", "sort", "search", "selection", "name__in", "view", "_"])
def test_every_parameter_is_bounded_by_max_param_length(api, staff, param):
    response = api.get(f"/api/secure/employees/?{param}=" + "a" * 9000)
    assert error_of(response, param) == (
        f"The value of '{param}' is 9000 characters long; at most 8192 are allowed (max_param_length).")


def test_django_filter_lists_are_bounded_by_max_in_items(api, staff):
    response = api.get("/api/secure/employees/?id__in=" + ",".join(["1"] * 501))
    assert error_of(response, "id__in") == (
        "The list at 'id__in' has 501 items; at most 500 are allowed (max_in_items).")
    assert api.get("/api/secure/employees/?id__in=" + ",".join(["1"] * 500)).status_code == 200


def test_boolean_fields_offer_no_list_lookup(api, staff):
    """django-filter's list widget split a bool: `?public__in=false` was a 500."""
    response = api.get("/api/secure/employees/?public__in=false")
    assert response.status_code == 400
    assert "Unknown filter 'public__in'" in response.json()["public__in"][0]
    assert api.get("/api/secure/teams/?lead__public=false").status_code == 200
