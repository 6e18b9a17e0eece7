"""The attacker's tests for paths that cross a scoped to-one relation: every way a query names a value across
the hop (django-filter lookups, ``$`` column references, sort keys, search) treats a related row outside the
request's scope as absent, so no answer depends on it."""

import json

import pytest
from django.contrib.auth.models import User

from tests.secureapp.models import Employee, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams():
    admin = User.objects.create_user("admin", is_staff=True, is_superuser=True)
    hidden = Employee.objects.create(name="Hidden", salary=999, public=False)
    visible = Employee.objects.create(name="Visible", salary=100)
    red = Team.objects.create(name="Red", lead=hidden)
    blue = Team.objects.create(name="Blue", lead=visible)
    return {"admin": admin, "hidden": hidden, "visible": visible, "red": red, "blue": blue}


def names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


@pytest.mark.parametrize("query", [
    "?lead__name=Hidden",
    "?lead__name__startswith=Hid",
    "?lead__name__icontains=idd",
    "?lead__name__in=Hidden,Nobody",
    "?lead__public=false",
])
def test_django_filter_lookups_across_a_to_one_relation_respect_its_scope(api, teams, query):
    assert names(api.get(f"/api/secure/teams/{query}")) == []
    api.force_authenticate(teams["admin"])
    assert names(api.get(f"/api/secure/teams/{query}")) == ["Red"]


def test_django_filter_lookups_still_find_rows_in_scope(api, teams):
    assert names(api.get("/api/secure/teams/?lead__name=Visible")) == ["Blue"]


@pytest.mark.parametrize("query", [
    "?.name=gt~$lead.name",      # "Red" > "Hidden"
    "?.lead.name=lt~$name",
    "?.name=ne~$lead.name",
])
def test_column_references_across_a_to_one_relation_respect_its_scope(api, teams, query):
    assert "Red" not in names(api.get(f"/api/secure/teams/{query}"))
    api.force_authenticate(teams["admin"])
    assert "Red" in names(api.get(f"/api/secure/teams/{query}"))


def test_column_references_in_the_get_body_respect_the_scope(api, teams):
    body = json.dumps({"filter": {"name": "gt~$lead.name"}})
    response = api.generic("GET", "/api/secure/teams/", body, content_type="application/json")
    assert names(response) == []


@pytest.mark.parametrize("sort", ["lead.name", "-lead.name", "lead.name:nf", "-lead.name:nl"])
def test_sorting_across_a_to_one_relation_never_depends_on_rows_out_of_scope(api, teams, sort):
    """An ordering oracle: the order must stay the same whatever the hidden lead's values are."""
    Team.objects.create(name="Green", lead=None)
    first = names(api.get(f"/api/secure/teams/?sort={sort}"))
    Employee.objects.filter(pk=teams["hidden"].pk).update(name="Aaron")
    second = names(api.get(f"/api/secure/teams/?sort={sort}"))
    Employee.objects.filter(pk=teams["hidden"].pk).update(name="Zed")
    third = names(api.get(f"/api/secure/teams/?sort={sort}"))
    assert first == second == third


def test_sorting_sorts_an_out_of_scope_value_as_null(api, teams):
    """Red's lead is hidden: Red sorts with Green, whose lead is null, by the pk tie-breaker."""
    green = Team.objects.create(name="Green", lead=None)
    assert green.pk > teams["red"].pk
    assert names(api.get("/api/secure/teams/?sort=lead.name:nf")) == ["Red", "Green", "Blue"]
    assert names(api.get("/api/secure/teams/?sort=lead.name:nl")) == ["Blue", "Red", "Green"]
    api.force_authenticate(teams["admin"])
    assert names(api.get("/api/secure/teams/?sort=lead.name:nl")) == ["Red", "Blue", "Green"]


@pytest.mark.parametrize(("query", "staff_sees"), [
    ("cats", []),            # notes: not exposed to anyone
    ("100", ["Visible"]),    # salary: readable by staff only
    ("admin", []),           # user__username: auth.User is not on the API
    ("Visible", ["Visible"]),
])
def test_search_skips_fields_the_request_may_not_read(api, query, staff_sees):
    admin = User.objects.create_user("admin", is_staff=True)
    Employee.objects.create(name="Visible", salary=100, notes="likes cats", user=admin)
    expected = ["Visible"] if query == "Visible" else []
    assert names(api.get(f"/api/secure/employees/?search={query}")) == expected
    api.force_authenticate(admin)
    assert names(api.get(f"/api/secure/employees/?search={query}")) == staff_sees


def test_search_across_relations_respects_their_scope(api, teams):
    Employee.objects.filter(pk=teams["hidden"].pk).update(team=teams["red"])
    assert names(api.get("/api/secure/teams/?search=Hidden")) == []
    assert names(api.get("/api/secure/teams/?search=Visible")) == ["Blue"]
    api.force_authenticate(teams["admin"])
    assert names(api.get("/api/secure/teams/?search=Hidden")) == ["Red"]


def test_search_terms_are_literal_text_and_bounded(api, teams):
    assert names(api.get("/api/secure/teams/?search=%25")) == []
    assert names(api.get("/api/secure/teams/?search=R_d")) == []
    response = api.get("/api/secure/teams/?search=" + "+".join(f"t{index}" for index in range(40)))
    assert response.status_code == 400
    assert response.json() == {"search": [
        "The search has 40 terms over 3 fields, 120 conditions; at most 100 are allowed (max_clauses)."]}


def test_a_computed_aggregate_over_a_scoped_relation_is_kept_from_narrower_scopes(api, teams, reconfigure):
    """Computed expressions are the developer's SQL: an aggregate counts rows out of the reader's scope, so the
    documented way (docs/security.md) is a read rule on it; then nothing reveals it to those it would tell."""
    from django.db.models import Count

    from tests.secureapp.models import is_staff

    reconfigure(Team, computed={"headcount": Count("members")}, field_rules={"headcount": {"read": is_staff}})
    Employee.objects.filter(pk__in=[teams["hidden"].pk, teams["visible"].pk]).update(team=teams["red"])
    red = api.get(f"/api/secure/teams/{teams['red'].pk}/").json()
    assert "headcount" not in red
    for query in ("?.headcount=gt~1", "?sort=headcount", "?fields=headcount"):
        response = api.get(f"/api/secure/teams/{query}")
        assert response.status_code == 400 and "headcount" in str(response.json()), query
    api.force_authenticate(teams["admin"])
    assert api.get(f"/api/secure/teams/{teams['red'].pk}/").json()["headcount"] == 2
    assert names(api.get("/api/secure/teams/?.headcount=gt~1")) == ["Red"]
