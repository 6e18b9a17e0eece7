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


UNKNOWN_TO_FILTERS = "employees can be filtered on id, metadata, name, projects, public, team, user, vault."
OFF_THE_API = "links employees to a model that is not on the API: it can be compared by primary key but not traversed."

# (query, the parameter the 400 names, what it says): each attack is refused for the reason it is named for.
HIDDEN_FIELD_ATTACKS = [
    ("?.notes=like~*cats*", ".notes", f"Unknown field 'notes' in '.notes': {UNKNOWN_TO_FILTERS}"),
    ("?where={\"notes\": {\"*contains\": \"cats\"}}", "where",
     f"Unknown field 'notes' in 'where.notes.*contains': {UNKNOWN_TO_FILTERS}"),
    ("?notes.$eq=likes%20cats", "notes.$eq", f"Unknown field 'notes' in 'notes.$eq': {UNKNOWN_TO_FILTERS}"),
    ("?notes__icontains=cats", "notes__icontains", "Unknown filter 'notes__icontains': employees accepts"),
    ("?notes=likes%20cats", "notes", "Unknown filter 'notes': employees accepts"),
    ("?sort=notes", "sort", "Unknown field 'notes' in 'sort[0]': employees can be sorted on id, metadata,"),
    ("?ordering=-notes", "ordering", "Unknown field 'notes' in 'ordering[0]': employees can be sorted on"),
    ("?.salary=gt~500", ".salary", f"Unknown field 'salary' in '.salary': {UNKNOWN_TO_FILTERS}"),
    ("?where={\"salary\": {\"*gt\": 500}}", "where",
     f"Unknown field 'salary' in 'where.salary.*gt': {UNKNOWN_TO_FILTERS}"),
    ("?salary.$gt=500", "salary.$gt", f"Unknown field 'salary' in 'salary.$gt': {UNKNOWN_TO_FILTERS}"),
    ("?salary__gt=500", "salary__gt", f"Unknown field 'salary' in 'salary__gt': {UNKNOWN_TO_FILTERS}"),
    ("?sort=-salary", "sort", "Unknown field 'salary' in 'sort[0]': employees can be sorted on"),
    ("?.user.password=like~pbkdf2*", ".user.password", f"'user' in '.user.password' {OFF_THE_API}"),
    ("?where={\"user.password\": {\"*startswith\": \"pbkdf2\"}}", "where",
     f"'user' in 'where.user.password.*startswith' {OFF_THE_API}"),
    ("?user.password.$ne=x", "user.password.$ne", f"'user' in 'user.password.$ne' {OFF_THE_API}"),
    ("?user__password__startswith=pbkdf2", "user__password__startswith",
     "Unknown filter 'user__password__startswith': employees accepts"),
    ("?user__username=admin", "user__username", "Unknown filter 'user__username': employees accepts"),
    ("?sort=user.password", "sort", f"'user' in 'sort[0]' {OFF_THE_API}"),
    ("?.vault.code=TOP-SECRET", ".vault.code", f"'vault' in '.vault.code' {OFF_THE_API}"),
    ("?vault__code=TOP-SECRET", "vault__code", "Unknown filter 'vault__code': employees accepts"),
    ("?.team.members*.notes=like~*plans*", ".team.members*.notes",
     f"Unknown field 'notes' in '.team.members*.notes': {UNKNOWN_TO_FILTERS}"),
    ("?.projects*.members*.salary=gt~500", ".projects*.members*.salary",
     f"Unknown field 'salary' in '.projects*.members*.salary': {UNKNOWN_TO_FILTERS}"),
    ("?where={\"projects.members.notes\": \"secret plans\"}", "where",
     f"Unknown field 'notes' in 'where.projects.members.notes': {UNKNOWN_TO_FILTERS}"),
    ("?.user=in~" + ",".join(["1"] * 501), ".user",
     "The list at '.user' has 501 items; at most 500 are allowed (max_in_items)."),
]


def refusal(response, param):
    """The one message of a 400 that names ``param``."""
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert list(body) == [param], body
    [message] = body[param]
    return message


@pytest.mark.parametrize(("query", "param", "reason"), HIDDEN_FIELD_ATTACKS,
                         ids=[query[:40] for query, _, _ in HIDDEN_FIELD_ATTACKS])
def test_unreadable_fields_and_unregistered_models_are_refused_in_every_dialect(api, world, query, param, reason):
    message = refusal(api.get(f"/api/secure/employees/{query}"), param)
    assert message.startswith(reason), message
    # What the refusal lists as usable never includes a hidden field or the unregistered models' fields.
    usable = message.partition(": ")[2]
    assert not any(secret in usable for secret in ("salary", "notes", "password", "username", "code")), usable


@pytest.mark.parametrize(("body", "param", "reason"), [
    ({"where": {"salary": {"*gt": 500}}}, "where", f"Unknown field 'salary' in 'where.salary.*gt': "
                                                   f"{UNKNOWN_TO_FILTERS}"),
    ({"where": {"vault.code": "TOP-SECRET"}}, "where", f"'vault' in 'where.vault.code' {OFF_THE_API}"),
    ({"sort": "notes"}, "sort", "Unknown field 'notes' in 'sort[0]': employees can be sorted on"),
])
def test_the_get_body_obeys_the_same_allow_list(api, world, body, param, reason):
    response = api.generic("GET", "/api/secure/employees/", json.dumps(body), content_type="application/json")
    assert refusal(response, param).startswith(reason)


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


@pytest.mark.parametrize(("query", "param", "reason"), [
    ("?where=" + "[" * 1000 + "]" * 1000, "where", "'where' is nested too deeply (max_depth)."),
    ("?where=" + '{"*not":' * 100 + "{}" + "}" * 100, "where", "'where' is nested too deeply (max_depth)."),
    ("?where=" + "[" * 100000, "where",
     "The value of 'where' is 100000 characters long; at most 8192 are allowed (max_param_length)."),
    ("?page_size=100000000", "page_size", "'page_size' may be at most 1000 (got 100000000)."),
    ("?limit=99999999999999999999999999", "limit", "'limit' may be at most 1000 (got 99999999999999999999999999)."),
    ("?.name=in~" + ",".join("x" for _ in range(10000)), ".name",
     "The value of '.name' is 20002 characters long; at most 8192 are allowed (max_param_length)."),
    ("?.name=in~" + ",".join("x" for _ in range(600)), ".name",
     "The list at '.name' has 600 items; at most 500 are allowed (max_in_items)."),
    ("?sort=" + ",".join(f"name{index}" for index in range(50)), "sort",
     "'sort' has more than 8 keys (max_sort_keys)."),
    ("?name.$re=(a%2B)%2B$", "name.$re", "Regular-expression filters are disabled ('name.$re'); the site enables "
                                         "them with CRUDDY_DJANGO['ALLOW_REGEX'] = True."),
    ("?where={\"name\": {\"*regexp_match\": \"(a+)+$\"}}", "where",
     "Regular-expression filters are disabled ('where.name.*regexp_match')"),
    ("?." + ".".join(["team"] * 50) + ".name=x", "." + ".".join(["team"] * 50) + ".name",
     "has 51 parts; at most 8 are allowed (max_path_length)."),
], ids=["brackets", "not-chain", "long-where", "page_size", "limit", "long-in", "in-items", "sort-keys", "regex",
        "regex-where", "long-path"])
def test_resource_exhaustion_attempts_are_400(api, world, query, param, reason):
    message = refusal(api.get(f"/api/secure/employees/{query}"), param)
    assert reason in message, message


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


EXPOSED = "employees expose id, name, public, team, user, vault, metadata, projects."
NOT_EXPANDABLE = ("cannot be expanded (its model is not on the API); select it without a nested field to get its "
                  "primary key.")


@pytest.mark.parametrize(("query", "param", "reason"), [
    ("?fields=id,notes", "fields", f"Unknown field 'notes' in 'fields': {EXPOSED}"),
    ("?fields=id,salary", "fields", f"Unknown field 'salary' in 'fields': {EXPOSED}"),
    ("?exclude=notes", "exclude", f"Unknown field 'notes' in 'exclude': {EXPOSED}"),
    ("?expand=user", "expand", f"'user' in 'expand': 'user' {NOT_EXPANDABLE}"),
    ("?expand=vault", "expand", f"'vault' in 'expand': 'vault' {NOT_EXPANDABLE}"),
    ("?fields=user.password", "fields", f"'user.password' in 'fields': 'user' {NOT_EXPANDABLE}"),
    ("?fields=team.members.salary", "fields", f"Unknown field 'team.members.salary' in 'fields': {EXPOSED}"),
    ("?fields=team.members.notes", "fields", f"Unknown field 'team.members.notes' in 'fields': {EXPOSED}"),
    ("?include={\"__all__\": {\"notes\": true}}", "include", f"Unknown field 'notes' in 'include': {EXPOSED}"),
    ("?include={\"__all__\": {\"user\": {\"password\": true}}}", "include",
     f"'user' in 'include': 'user' {NOT_EXPANDABLE}"),
    ("?include={\"__all__\": {\"team\": {\"members\": {\"salary\": true}}}}", "include",
     f"Unknown field 'team.members.salary' in 'include': {EXPOSED}"),
    ("?view=nope", "view", "Unknown view 'nope' in 'view': employees define none."),
    ("?expand=" + ".".join(["team", "members"] * 10), "expand", "in 'expand' nests relations deeper than 4 levels."),
], ids=lambda value: value[:30] if isinstance(value, str) else None)
def test_selection_cannot_reach_unreadable_fields_or_unregistered_models(api, world, query, param, reason):
    message = refusal(api.get(f"/api/secure/employees/{query}"), param)
    assert reason in message, message


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
    assert refusal(api.get(f"/api/secure/teams/{world['team'].pk}/members/?.salary=gt~0"), ".salary").startswith(
        f"Unknown field 'salary' in '.salary': {UNKNOWN_TO_FILTERS}")
    assert api.get(f"/api/secure/employees/{world['visible'].pk}/vault/").status_code == 404
    assert api.get(f"/api/secure/employees/{world['visible'].pk}/user/").status_code == 404
    assert api.get(f"/api/secure/employees/{world['hidden'].pk}/team/").status_code == 404


def test_meta_lists_only_what_the_user_may_read(api, world):
    fields = {field["name"] for field in api.get("/api/secure/employees/_meta").json()["fields"]}
    assert "salary" not in fields and "notes" not in fields and "name" in fields
    api.force_authenticate(world["admin"])
    fields = {field["name"] for field in api.get("/api/secure/employees/_meta").json()["fields"]}
    assert "salary" in fields and "notes" not in fields
