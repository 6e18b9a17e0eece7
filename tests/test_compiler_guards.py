"""The compiler's guards, as a client meets them: scope guards on every relation hop keep rows out of the
request's scope from deciding any answer (filter, column reference or sort), and every refusal is a
``QueryError`` naming the parameter, the bad part and a stable code (the 400 the filter backend sends)."""


import pytest
from django.contrib.auth.models import User
from django.test import RequestFactory

from cruddy_django import site
from cruddy_django.access import access_for
from cruddy_django.compiler import QueryCompiler
from cruddy_django.query import QueryError, parse_dotted
from tests.secureapp.models import Employee, Project, Team

pytestmark = pytest.mark.django_db


def names(response, key="name"):
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


def access(model, user=None):
    request = None
    if user is not None:
        request = RequestFactory().get("/")
        request.user = user
    return access_for(request, site.get_resource(model))


def refusal(model, node, user=None):
    """The error a compiled query raises, as the dict the API documents (detail, param, path, code)."""
    with pytest.raises(QueryError) as caught:
        QueryCompiler(access(model, user)).compile(node)
    return caught.value.to_dict()


def dotted(key, value):
    return parse_dotted([(key, value)])


def rows(model, node, user=None, field="name"):
    compiler = QueryCompiler(access(model, user))
    q = compiler.compile(node)
    return sorted(getattr(row, field) for row in compiler.prepare(model.objects.all()).filter(q))


# -- scope guards ---------------------------------------------------------------------------------------
@pytest.fixture
def company():
    """Red is led by a hidden employee (out of a non-staff request's scope), Blue by a visible one; the
    hidden lead works on the project Apollo, the visible lead on Gemini."""
    writer = User.objects.create_user("writer")
    admin = User.objects.create_user("admin", is_staff=True, is_superuser=True)
    hidden = Employee.objects.create(name="Hidden", salary=999, public=False, metadata={"rank": 1})
    visible = Employee.objects.create(name="Visible", salary=100, metadata={"rank": 2})
    red = Team.objects.create(name="Red", lead=hidden)
    blue = Team.objects.create(name="Blue", lead=visible)
    Project.objects.create(name="Apollo").members.add(hidden)
    Project.objects.create(name="Gemini").members.add(visible)
    return {"writer": writer, "admin": admin, "hidden": hidden, "visible": visible, "red": red, "blue": blue}


@pytest.mark.parametrize(("query", "writer_sees", "admin_sees"), [
    ("?.lead.projects*.name=Apollo", [], ["Red"]),
    ("?.lead.projects*.name=Gemini", ["Blue"], ["Blue"]),
    ("?.lead.projects*.name=ne~Nothing", ["Blue"], ["Blue", "Red"]),
])
def test_a_to_many_hop_behind_a_scoped_to_one_hop_keeps_its_scope(api, company, query, writer_sees, admin_sees):
    """The lead is crossed before the projects: a team whose lead the request may not see matches nothing."""
    api.force_authenticate(company["writer"])
    assert sorted(names(api.get(f"/api/secure/teams/{query}"))) == writer_sees
    api.force_authenticate(company["admin"])
    assert sorted(names(api.get(f"/api/secure/teams/{query}"))) == admin_sees


def test_a_group_behind_a_scoped_to_one_hop_keeps_its_scope(api, company):
    api.force_authenticate(company["writer"])
    query = "?.lead.projects*.name=ge~A;le~B"
    assert names(api.get(f"/api/secure/teams/{query}")) == []
    api.force_authenticate(company["admin"])
    assert names(api.get(f"/api/secure/teams/{query}")) == ["Red"]


def test_every_column_reference_of_a_condition_keeps_its_scope(api, company):
    """Team "Hidden" is led by Visible, whose team is Red, led by the hidden employee: the first reference
    reaches the hidden row over two hops, the second only Visible; the hidden row must decide nothing."""
    team = Team.objects.create(name="Hidden", lead=company["visible"])
    Employee.objects.filter(pk=company["visible"].pk).update(team=company["red"])
    query = "?.name=in~$lead.team.lead.name,$lead.name"
    assert names(api.get(f"/api/secure/teams/{query}")) == []
    api.force_authenticate(company["admin"])
    assert names(api.get(f"/api/secure/teams/{query}")) == [team.name]


@pytest.mark.parametrize("sort", ["lead.team.lead.name", "-lead.team.lead.name"])
def test_sorting_across_two_scoped_hops_never_depends_on_rows_out_of_scope(api, company, sort):
    """Green's lead (Visible) belongs to Red, whose lead is hidden; Yellow's lead to Blue: the hidden name
    must not move Green, whatever it is."""
    Employee.objects.filter(pk=company["visible"].pk).update(team=company["red"])
    other = Employee.objects.create(name="Other", team=company["blue"])
    Team.objects.create(name="Green", lead=company["visible"])
    Team.objects.create(name="Yellow", lead=other)
    orders = []
    for hidden_name in ["Aaron", "Zed"]:
        Employee.objects.filter(pk=company["hidden"].pk).update(name=hidden_name)
        orders.append(names(api.get(f"/api/secure/teams/?sort={sort}")))
    assert orders[0] == orders[1]
    assert orders[0].index("Green") != orders[0].index("Yellow")


def test_sorting_by_a_json_key(api, company):
    Employee.objects.create(name="Third", metadata={"rank": 0})
    api.force_authenticate(company["admin"])
    assert names(api.get("/api/secure/employees/?sort=metadata.rank")) == ["Third", "Hidden", "Visible"]
    assert names(api.get("/api/secure/employees/?sort=-metadata.rank")) == ["Visible", "Hidden", "Third"]


def test_sorting_by_a_json_key_across_a_scoped_hop_sorts_hidden_rows_as_null(api, company):
    """Red's lead is hidden: its rank sorts as null (last on SQLite and PostgreSQL with nulls last)."""
    Team.objects.create(name="Green", lead=Employee.objects.create(name="Third", metadata={"rank": 0}))
    assert names(api.get("/api/secure/teams/?sort=lead.metadata.rank:nl")) == ["Green", "Blue", "Red"]
    api.force_authenticate(company["admin"])
    assert names(api.get("/api/secure/teams/?sort=lead.metadata.rank:nl")) == ["Green", "Red", "Blue"]


@pytest.mark.parametrize(("query", "writer_sees", "admin_sees"), [
    ("?.lead.metadata.rank=2", ["Blue"], ["Blue"]),
    ("?.lead.metadata.rank=1", [], ["Red"]),
    ("?.lead.metadata.rank=gt~0", ["Blue"], ["Blue", "Red"]),
    ('?where={"lead.metadata.rank": {"*in": ["1", "2"]}}', ["Blue"], ["Blue", "Red"]),
])
def test_a_json_key_across_a_scoped_hop_is_compared_and_keeps_the_scope(api, company, query, writer_sees,
                                                                       admin_sees):
    """Text values compare with the key's text, read in the lead's JSON column (not in the relation's key)."""
    api.force_authenticate(company["writer"])
    assert sorted(names(api.get(f"/api/secure/teams/{query}"))) == writer_sees
    api.force_authenticate(company["admin"])
    assert sorted(names(api.get(f"/api/secure/teams/{query}"))) == admin_sees
