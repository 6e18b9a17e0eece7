"""The attacker's tests: whatever a user can filter or sort is a subset of what that user can read.

Each attack must get a 400/403/404, or an answer that does not depend on the secret."""

import json

import pytest
from django.contrib.auth.models import User

from tests.secureapp.models import Employee, Project, Team, Vault

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    admin = User.objects.create_user("admin", password="pbkdf2-secret", is_staff=True, is_superuser=True)
    alice = User.objects.create_user("alice", password="alice-password")
    team = Team.objects.create(name="Red")
    vault = Vault.objects.create(code="TOP-SECRET")
    visible = Employee.objects.create(name="Visible", salary=100, team=team, user=admin, vault=vault,
                                      notes="likes cats", metadata={"level": 3})
    hidden = Employee.objects.create(name="Hidden", salary=999, public=False, team=team, user=alice,
                                     notes="secret plans")
    team.lead = hidden
    team.save()
    project = Project.objects.create(name="Apollo", owner=alice)
    project.members.set([visible, hidden])
    return {"admin": admin, "alice": alice, "team": team, "visible": visible, "hidden": hidden,
            "project": project}


def status_and_names(response):
    names = [row["name"] for row in response.json()["results"]] if response.status_code == 200 else None
    return response.status_code, names


HIDDEN_FIELD_ATTACKS = [
    "?.notes=like~*cats*",
    "?where={\"notes\": {\"*contains\": \"cats\"}}",
    "?notes.$eq=likes%20cats",
    "?notes__icontains=cats",
    "?notes=likes%20cats",
    "?sort=notes",
    "?ordering=-notes",
    "?.salary=gt~500",
    "?where={\"salary\": {\"*gt\": 500}}",
    "?salary.$gt=500",
    "?salary__gt=500",
    "?sort=-salary",
    "?.user.password=like~pbkdf2*",
    "?where={\"user.password\": {\"*startswith\": \"pbkdf2\"}}",
    "?user.password.$ne=x",
    "?user__password__startswith=pbkdf2",
    "?user__username=admin",
    "?sort=user.password",
    "?.vault.code=TOP-SECRET",
    "?vault__code=TOP-SECRET",
    "?.team.members*.notes=like~*plans*",
    "?.projects*.members*.salary=gt~500",
    "?where={\"projects.members.notes\": \"secret plans\"}",
    "?.user=in~" + ",".join(["1"] * 501),
]


@pytest.mark.parametrize("query", HIDDEN_FIELD_ATTACKS)
def test_unreadable_fields_and_unregistered_models_are_refused_in_every_dialect(api, world, query):
    response = api.get(f"/api/secure/employees/{query}")
    assert response.status_code == 400, (query, response.content)


@pytest.mark.parametrize("body", [
    {"filter": {"notes": "like~*cats*"}},
    {"filter": {"user.password": "like~pbkdf2*"}},
    {"where": {"salary": {"*gt": 500}}},
    {"where": {"vault.code": "TOP-SECRET"}},
    {"sort": "notes"},
])
def test_the_get_body_obeys_the_same_allow_list(api, world, body):
    response = api.generic("GET", "/api/secure/employees/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400, (body, response.content)


def test_a_field_rule_opens_the_field_to_those_who_may_read_it(api, world):
    api.force_authenticate(world["admin"])
    assert status_and_names(api.get("/api/secure/employees/?.salary=gt~500")) == (200, ["Hidden"])
    assert status_and_names(api.get("/api/secure/employees/?sort=-salary"))[1] == ["Hidden", "Visible"]


def test_rows_outside_the_scope_are_404_and_never_listed(api, world):
    assert api.get(f"/api/secure/employees/{world['hidden'].pk}/").status_code == 404
    assert status_and_names(api.get("/api/secure/employees/")) == (200, ["Visible"])


@pytest.mark.parametrize("query", [
    "?.members*.name=Hidden",
    "?where={\"members.name\": \"Hidden\"}",
    "?members.name=Hidden",
    "?.members*.name=like~Hid*",
])
def test_filters_across_relations_cannot_see_rows_outside_the_target_scope(api, world, query):
    """A boolean oracle through a to-many relation: the team has a hidden member named Hidden."""
    assert status_and_names(api.get(f"/api/secure/teams/{query}")) == (200, [])
    api.force_authenticate(world["admin"])
    assert status_and_names(api.get(f"/api/secure/teams/{query}")) == (200, ["Red"])


def test_filters_across_a_to_one_relation_cannot_see_rows_outside_its_scope(api, world):
    assert status_and_names(api.get("/api/secure/teams/?.lead.name=Hidden")) == (200, [])
    assert status_and_names(api.get("/api/secure/teams/?sort=lead.name")) == (200, ["Red"])
    api.force_authenticate(world["admin"])
    assert status_and_names(api.get("/api/secure/teams/?.lead.name=Hidden")) == (200, ["Red"])


def test_a_many_to_many_pivot_cannot_reach_unreadable_fields(api, world):
    api.force_authenticate(world["alice"])
    response = api.get("/api/secure/projects/?.members*.salary=gt~500")
    assert response.status_code == 400
    assert "Unknown field 'salary'" in response.json()[".members*.salary"][0]
    assert status_and_names(api.get("/api/secure/projects/?.members*.name=Hidden")) == (200, [])


@pytest.mark.parametrize("query", [
    "?where=" + "[" * 1000 + "]" * 1000,
    "?where=" + '{"*not":' * 1000 + "{}" + "}" * 1000,
    "?where=" + "[" * 100000,
    "?page_size=100000000",
    "?limit=99999999999999999999999999",
    "?.name=in~" + ",".join("x" for _ in range(10000)),
    "?sort=" + ",".join(f"name{index}" for index in range(50)),
    "?name.$re=(a%2B)%2B$",
    "?where={\"name\": {\"*regexp_match\": \"(a+)+$\"}}",
    "?." + ".".join(["team"] * 50) + ".name=x",
])
def test_resource_exhaustion_attempts_are_400(api, world, query):
    response = api.get(f"/api/secure/employees/{query}")
    assert response.status_code == 400, (query[:80], response.content[:200])


def test_policies_guard_the_query_surface_too(api, world):
    assert api.get("/api/secure/projects/?.name=Apollo").status_code in {401, 403}
    api.force_authenticate(world["admin"])
    assert api.delete(f"/api/secure/projects/{world['project'].pk}/").status_code == 403
    api.force_authenticate(world["alice"])
    assert api.delete(f"/api/secure/projects/{world['project'].pk}/").status_code == 204


def test_answers_do_not_depend_on_unreadable_values(api, world):
    """The same probes against two different secrets give identical answers."""
    first = [api.get(f"/api/secure/employees/{query}").content for query in HIDDEN_FIELD_ATTACKS[:8]]
    Employee.objects.filter(pk=world["visible"].pk).update(notes="likes dogs", salary=5)
    second = [api.get(f"/api/secure/employees/{query}").content for query in HIDDEN_FIELD_ATTACKS[:8]]
    assert first == second


def test_unreadable_fields_are_absent_from_output_not_null(api, world):
    row = api.get(f"/api/secure/employees/{world['visible'].pk}/").json()
    assert "salary" not in row and "notes" not in row
    api.force_authenticate(world["admin"])
    assert api.get(f"/api/secure/employees/{world['visible'].pk}/").json()["salary"] == 100


def test_unwritable_fields_are_refused_and_never_stored(api, world):
    staff = User.objects.create_user("staff", is_staff=True)
    api.force_authenticate(staff)  # may read salaries, may not write them (superusers only)
    url = f"/api/secure/employees/{world['visible'].pk}/"
    response = api.patch(url, {"salary": 1}, format="json")
    assert response.status_code == 400
    assert response.json() == {"salary": ["You may not set this field."]}
    response = api.post("/api/secure/employees/", {"name": "New", "salary": 5}, format="json")
    assert response.status_code == 400
    assert not Employee.objects.filter(name="New").exists()
    response = api.post("/api/secure/employees/", {"name": "New"}, format="json")
    assert response.status_code == 201
    assert Employee.objects.get(name="New").salary == 0
    api.force_authenticate(world["admin"])
    assert api.patch(url, {"salary": 1}, format="json").status_code == 200


def test_data_a_user_cannot_see_is_not_lost_on_save(api, world):
    api.force_authenticate(User.objects.create_user("bob"))
    url = f"/api/secure/employees/{world['visible'].pk}/"
    response = api.put(url, {"name": "Renamed", "public": True}, format="json")
    assert response.status_code == 200, response.json()
    world["visible"].refresh_from_db()
    assert (world["visible"].name, world["visible"].salary, world["visible"].notes) == (
        "Renamed", 100, "likes cats")


def test_writes_outside_the_scope_are_404(api, world):
    api.force_authenticate(User.objects.create_user("bob"))
    url = f"/api/secure/employees/{world['hidden'].pk}/"
    assert api.patch(url, {"name": "x"}, format="json").status_code == 404
    assert api.delete(url).status_code == 404
    assert api.delete("/api/secure/employees/?.name=Hidden").status_code in {200, 204}
    assert Employee.objects.filter(pk=world["hidden"].pk).exists()


@pytest.mark.parametrize("query", [
    "?fields=id,notes",
    "?fields=id,salary",
    "?exclude=notes",
    "?expand=user",
    "?expand=vault",
    "?fields=user.password",
    "?fields=team.members.salary",
    "?fields=team.members.notes",
    "?include={\"__all__\": {\"notes\": true}}",
    "?include={\"__all__\": {\"user\": {\"password\": true}}}",
    "?include={\"__all__\": {\"team\": {\"members\": {\"salary\": true}}}}",
    "?view=nope",
    "?expand=" + ".".join(["team", "members"] * 10),
])
def test_selection_cannot_reach_unreadable_fields_or_unregistered_models(api, world, query):
    response = api.get(f"/api/secure/employees/{query}")
    assert response.status_code == 400, (query, response.content)


def test_expanded_relations_stay_within_the_target_scope(api, world):
    team = api.get(f"/api/secure/teams/{world['team'].pk}/?expand=members,lead").json()
    assert [member["name"] for member in team["members"]] == ["Visible"]
    assert team["lead"] is None  # the lead is hidden: an expanded to-one outside the scope reads as null
    assert "salary" not in team["members"][0]
    api.force_authenticate(world["admin"])
    team = api.get(f"/api/secure/teams/{world['team'].pk}/?expand=members,lead").json()
    assert sorted(member["name"] for member in team["members"]) == ["Hidden", "Visible"]
    assert team["lead"]["salary"] == 999


def test_relation_routes_stay_within_scopes_and_the_registry(api, world):
    members = api.get(f"/api/secure/teams/{world['team'].pk}/members/").json()
    assert [row["name"] for row in members["results"]] == ["Visible"]
    assert api.get(f"/api/secure/teams/{world['team'].pk}/members/?.salary=gt~0").status_code == 400
    assert api.get(f"/api/secure/employees/{world['visible'].pk}/vault/").status_code == 404
    assert api.get(f"/api/secure/employees/{world['visible'].pk}/user/").status_code == 404
    assert api.get(f"/api/secure/employees/{world['hidden'].pk}/team/").status_code == 404


def test_meta_lists_only_what_the_user_may_read(api, world):
    fields = {field["name"] for field in api.get("/api/secure/employees/_meta").json()["fields"]}
    assert "salary" not in fields and "notes" not in fields and "name" in fields
    api.force_authenticate(world["admin"])
    fields = {field["name"] for field in api.get("/api/secure/employees/_meta").json()["fields"]}
    assert "salary" in fields and "notes" not in fields
