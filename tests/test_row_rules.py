"""Field rules that depend on the row (``policies.per_row``): the field shows on the rows where the rule holds,
on list, retrieve and expansions, in selections and ``_meta`` — and is never filtered, sorted or compared,
since it is not readable on every row. Rules that do not depend on the row keep the fast read path."""

import pytest
from django.contrib.auth.models import User

from cruddy_django import site
from cruddy_django.policies import per_row
from cruddy_django.reads.rows import fast_eligible
from tests.secureapp.models import Employee, Team

pytestmark = pytest.mark.django_db

EMPLOYEES = "/api/secure/employees/"


def own_row(request, obj):
    return obj.user_id is not None and obj.user_id == request.user.pk


@pytest.fixture
def people(api, reconfigure):
    reconfigure(Employee, field_rules={"salary": {"read": per_row(own_row)}})
    me = User.objects.create_user("me")
    team = Team.objects.create(name="T")
    mine = Employee.objects.create(name="Me", salary=100, user=me, team=team)
    theirs = Employee.objects.create(name="Them", salary=200, team=team)
    api.force_authenticate(me)
    return mine, theirs, team


def salaries(rows):
    return {row["name"]: row.get("salary", "hidden") for row in rows}


def test_list_and_retrieve_show_the_field_where_the_rule_holds(api, people):
    mine, theirs, _team = people
    assert salaries(api.get(EMPLOYEES).json()["results"]) == {"Me": 100, "Them": "hidden"}
    assert api.get(f"{EMPLOYEES}{mine.pk}/").json()["salary"] == 100
    assert "salary" not in api.get(f"{EMPLOYEES}{theirs.pk}/").json()


def test_selections_and_expansions_follow_the_rule_per_row(api, people, django_assert_max_num_queries):
    _mine, _theirs, team = people
    assert salaries(api.get(f"{EMPLOYEES}?fields=name,salary").json()["results"]) == {"Me": 100, "Them": "hidden"}
    with django_assert_max_num_queries(4):
        rows = api.get(f"/api/secure/teams/{team.pk}/?expand=members").json()["members"]
    assert salaries(rows) == {"Me": 100, "Them": "hidden"}


@pytest.mark.parametrize(("query", "param"), [
    (".salary=gt~1", ".salary"), ("where={\"salary\": 100}", "where"), ("salary.$gt=1", "salary.$gt"),
    ("sort=salary", "sort"), (".name=eq~$salary", ".name"),
])
def test_the_field_is_never_queried(api, people, query, param):
    response = api.get(f"{EMPLOYEES}?{query}")
    assert response.status_code == 400
    assert "'salary' in " in response.json()[param][0]
    assert "is shown on some rows only (a field rule decides per row)" in response.json()[param][0]


def test_django_filter_lookups_on_it_are_refused(api, people):
    response = api.get(f"{EMPLOYEES}?salary=100")
    assert response.status_code == 400
    assert "is shown on some rows only" in response.json()["salary"][0]


def test_meta_says_it_shows_on_some_rows(api, people):
    _mine, theirs, _team = people
    field = next(field for field in api.get(f"{EMPLOYEES}_meta").json()["fields"] if field["name"] == "salary")
    assert field["per_row"] is True and field["operators"] == [] and field["sortable"] is False
    names = {field["name"] for field in api.post(f"{EMPLOYEES}_meta", {"id": theirs.pk}, format="json").json()[
        "fields"]}
    assert "salary" not in names


def test_rules_that_do_not_depend_on_the_row_keep_the_fast_path(reconfigure):
    employees = site.get_resource(Employee)
    reconfigure(Employee, field_rules={"salary": {"read": lambda request, obj: False}})
    assert fast_eligible(employees)
    reconfigure(Employee, field_rules={"salary": {"read": per_row(own_row)}})
    assert not fast_eligible(employees)


def test_a_row_rule_is_never_asked_about_every_row(api, reconfigure):
    asked = []

    def rule(request, obj):
        asked.append(obj)
        return True

    reconfigure(Employee, field_rules={"salary": {"read": per_row(rule)}})
    Employee.objects.create(name="A", salary=1)
    api.force_authenticate(User.objects.create_user("staff", is_staff=True))
    assert api.get(EMPLOYEES).json()["results"][0]["salary"] == 1
    assert asked and None not in asked
