"""The compiler's guards, as a client meets them: scope guards on every relation hop keep rows out of the
request's scope from deciding any answer (filter, column reference or sort), and every refusal is a
``QueryError`` naming the parameter, the bad part and a stable code (the 400 the filter backend sends)."""


import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import RequestFactory

from cruddy_django import site
from cruddy_django.access import access_for
from cruddy_django.compiler import QueryCompiler
from cruddy_django.policies import per_row
from cruddy_django.query import (
    Condition,
    FieldRef,
    Group,
    Not,
    Or,
    PathStep,
    QueryError,
    parse_dotted,
    parse_sort,
    parse_where,
)
from cruddy_django.test import override_resource
from example_project.assets.models import Rocket
from tests.secureapp.models import Employee, Project, Team
from tests.testapp.models import Author, Book, Tag
from tests.zoo.models import Comment, Everything

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


def test_a_group_keeps_the_scope_of_its_to_many_hop(api, company):
    """Conditions joined by ';' on one project: a project is matched on the rows the request may see."""
    Project.objects.filter(name="Apollo").update(name="Gemini II")
    api.force_authenticate(company["writer"])
    assert names(api.get("/api/secure/employees/?.projects*.name=ge~Gemini;le~Gemini Z")) == ["Visible"]
    api.force_authenticate(company["admin"])
    assert names(api.get("/api/secure/employees/?.projects*.name=ge~Gemini;le~Gemini Z")) == ["Hidden", "Visible"]


# -- refusals: each names the parameter, the bad part and a code -----------------------------------------
def where(text):
    return parse_where(text)


def built(path, operator, value, to_many=None, cast=None):
    """A condition as Python code builds it (``From Python`` in docs/querying.md)."""
    steps = tuple(PathStep(name, to_many) for name in path.split("."))
    return Condition(steps, operator, value, param="p", source=f"p.{path}", cast=cast)


def malformed(param, path, detail, code="malformed"):
    return {"detail": detail, "param": param, "path": path, "code": code}


REFUSALS = [
    # a column reference inside a to-many condition would compare with the outer row from the inner one
    (Team, dotted(".members*.name", "eq~$name"), malformed(
        ".members*.name", ".members*.name",
        "A column reference ('.members*.name') cannot be used inside a to-many condition.", "unsupported")),
    (Team, dotted(".members*.name", "in~x,$name"), malformed(
        ".members*.name", ".members*.name",
        "A column reference ('.members*.name') cannot be used inside a to-many condition.", "unsupported")),
    (Team, dotted(".members*", "eq~$id"), malformed(
        ".members*", ".members*", "A column reference ('.members*') cannot be used inside a to-many condition.",
        "unsupported")),
    (Team, dotted(".members*", "in~abc"), malformed(
        ".members*", ".members*", "The value 'abc' in '.members*' is not a valid integer.")),
    (Book, where('{"tags": {"*in": ["abc"]}}'), malformed(
        "where", "where.tags.*in", "The value 'abc' in 'where.tags.*in' is not a valid integer.")),
    # trees built in Python (the parsers refuse these before the compiler sees them)
    (Team, built("members", "null", "maybe", to_many=True), malformed(
        "p", "p.members", "'p.members' expects true or false, not 'maybe'.")),
    (Team, built("name", "null", "maybe"), malformed("p", "p.name", "'p.name' expects true or false, not 'maybe'.")),
    (Team, built("name", "gt", None), malformed(
        "p", "p.name", "'p.name' compares with null; only equality can (or use the null operator).")),
    (Team, built("name", "in", ("a", None)), malformed(
        "p", "p.name", "'p.name' compares with null; only equality can (or use the null operator).")),
    (Team, built("name", "like", "A%"), malformed("p", "p.name", "'p.name' needs a pattern.")),
    (Team, built("name", "between", ("a",)), malformed("p", "p.name", "'p.name' needs two values, low and high.")),
    (Team, built("name", "eq", FieldRef((PathStep("members", True),))), malformed(
        "p", "p.name", "'members*' is a to-many relation; it cannot be compared.")),
    # column references: known fields the request may read, of the same type
    (Team, dotted(".name", "eq~$bogus"), malformed(
        ".name", ".name", "Unknown field 'bogus' in '.name': teams can be compared on id, lead, members, name.",
        "unknown_field")),
    (Team, dotted(".name", "eq~$lead.salary"), malformed(
        ".name", ".name", "Unknown field 'salary' in '.name': employees can be compared on id, metadata, name, "
        "projects, public, team, user, vault.", "unknown_field")),
    (Team, dotted(".name", "eq~$members"), malformed(
        ".name", ".name", "'members' in '.name' is a to-many relation: mark it 'members*' (as in "
        "'.members*.id=1')."),),
    (Team, dotted(".name", "eq~$lead.metadata.x"), malformed(
        ".name", ".name", "'.name' compares a text column with a json column; a column reference needs two "
        "columns of the same type.")),
    (Everything, dotted(".char", "eq~$binary"), malformed(
        ".char", ".char", "'.char' compares a text column with an unfilterable column; a column reference needs "
        "two columns of the same type.")),
    (Rocket, dotted(".name", "eq~$price"), malformed(
        ".name", ".name", "'.name' compares a text column with a number column; a column reference needs two "
        "columns of the same type.")),
    # values
    (Team, dotted(".lead", "eq~abc"), malformed(
        ".lead", ".lead", "The value 'abc' in '.lead' is not a valid primary key.")),
    (Team, dotted(".lead", "in~1,abc"), malformed(
        ".lead", ".lead", "The value 'abc' in '.lead' is not a valid primary key.")),
    (Book, where('{"title": true}'), malformed(
        "where", "where.title", "'where.title' compares a text field with bool True.")),
    (Book, where('{"created_at": {"*lt": {"*datetime": "garbage"}}}'), malformed(
        "where", "where.created_at.*lt", "'garbage' in 'where.created_at.*lt' is not a date and time.")),
    (Team, where('{"name": {"*lt": {"*datetime": "2024-01-01"}}}'), malformed(
        "where", "where.name.*lt", "'where.name.*lt' compares a text column with a date and time; *datetime "
        "values suit date and datetime fields.")),
    (Book, dotted(".title", "contains~x,y"), malformed(
        ".title", ".title", "'contains' takes one value on '.title' (text); escape a comma as '\\,'.")),
    (Book, where('{"tags": {"*gt": 5}}'), malformed(
        "where", "where.tags.*gt", "The operator 'gt' cannot be used on 'where.tags.*gt' (to-many relation); use "
        "one of eq, in, null.", "unknown_operator")),
    # groups (';' on one related row): their hop path is checked like any other
    (Team, dotted(".members*.projects*.id", "ge~1;le~2"), malformed(
        "members*.projects*", "members*.projects*",
        "'members' in 'members*.projects*' is a to-many relation of teams; it cannot be filtered on.")),
    (Team, dotted(".bogus.members*.id", "ge~1;le~2"), malformed(
        "bogus.members*", "bogus.members*",
        "Unknown field 'bogus' in 'bogus.members*': teams can be filtered on id, lead, members, name.",
        "unknown_field")),
    (Team, dotted(".lead.salary*.id", "ge~1;le~2"), malformed(
        "lead.salary*", "lead.salary*", "Unknown field 'salary' in 'lead.salary*': employees can be filtered on "
        "id, metadata, name, projects, public, team, user, vault.", "unknown_field")),
    (Team, dotted(".lead.vault.x*.id", "ge~1;le~2"), malformed(
        "lead.vault.x*", "lead.vault.x*", "'vault' in 'lead.vault.x*' links employees to a model that is not on "
        "the API: it can be compared by primary key but not traversed.", "not_traversable")),
    (Team, dotted(".lead.name*.id", "ge~1;le~2"), malformed(
        "lead.name*", "lead.name*", "'name*' in 'lead.name*' marks a to-many hop, but 'name' is a to-one "
        "relation or a column: remove the '*'.")),
    (Team, dotted(".lead.team*.id", "ge~1;le~2"), malformed(
        "lead.team*", "lead.team*", "'team*' in 'lead.team*' marks a to-many hop, but 'team' is a to-one "
        "relation or a column: remove the '*'.")),
    (Team, dotted(".members*.name", "eq~$name;ne~x"), malformed(
        ".members*.name", ".members*.name[0]",
        "A column reference ('.members*.name[0]') cannot be used inside a to-many condition.", "unsupported")),
    (Team, Group((PathStep("members", True),), Not(built("name", "eq", FieldRef((PathStep("name"),))))), malformed(
        "p", "p.name", "A column reference ('p.name') cannot be used inside a to-many condition.", "unsupported")),
    (Everything, dotted(".binary", "eq~x"), malformed(
        ".binary", ".binary", "'.binary' cannot be filtered: its values (files, bytes) are not compared.",
        "not_filterable")),
    (Book, dotted(".metadata.in", "1"), malformed(
        ".metadata.in", ".metadata.in", "The JSON key 'in' in '.metadata.in' is also an operator name, so it cannot "
        "be used in a path.")),
    (Team, dotted(".pk.x", "1"), malformed(
        ".pk.x", ".pk.x", "'pk' in '.pk.x' is a column of teams, so nothing can follow it in the path.")),
    (Team, where('{"name": {"*regexp_match": "a"}}'), malformed(
        "where", "where.name.*regexp_match", "Regular-expression filters are disabled ('where.name.*regexp_match'); "
        "the site enables them with CRUDDY_DJANGO['ALLOW_REGEX'] = True.", "regex_disabled")),
    (Book, where('{"metadata": {"*contains": {"a": 1}}}'), malformed(
        "where", "where.metadata.*contains", "JSON containment ('where.metadata.*contains') needs PostgreSQL; this "
        f"database is {connection.vendor}.", "unsupported")),
    (Book, where('{"metadata": {"*contained_by": {"a": 1}}}'), malformed(
        "where", "where.metadata.*contained_by", "JSON containment ('where.metadata.*contained_by') needs "
        f"PostgreSQL; this database is {connection.vendor}.", "unsupported")),
    (Book, where('{"title": {"*websearch": "x"}}'), malformed(
        "where", "where.title.*websearch", "Full-text search ('where.title.*websearch') needs PostgreSQL; this "
        f"database is {connection.vendor}.", "unsupported")),
    (Book, where('{"title:tsvector": {"*match": "x"}}'), malformed(
        "where", "where.title:tsvector.*match", "Full-text search ('where.title:tsvector.*match') needs "
        f"PostgreSQL; this database is {connection.vendor}.", "unsupported")),
    (Book, built("title", "eq", "x", cast="tsvector"), malformed(
        "p", "p.title", f"Full-text search ('p.title') needs PostgreSQL; this database is {connection.vendor}.",
        "unsupported")),
    (Team, dotted(".lead*.name", "x"), malformed(
        ".lead*.name", ".lead*.name", "'lead*' in '.lead*.name' marks a to-many hop, but 'lead' is a to-one relation "
        "or a column: remove the '*'.")),
    (Team, where('{"lead.vault.code": 1}'), malformed(
        "where", "where.lead.vault.code", "'vault' in 'where.lead.vault.code' links employees to a model that is not "
        "on the API: it can be compared by primary key but not traversed.", "not_traversable")),
    (Book, where('{"metadata.a": {"*has_key": "x"}}'), malformed(
        "where", "where.metadata.a.*has_key", "'where.metadata.a.*has_key' cannot be compared with 'has_key'.",
        "unknown_operator")),
    (Book, dotted(".metadata.genre", "overlap~a,b"), malformed(
        ".metadata.genre", ".metadata.genre", "The operator 'overlap' cannot be used on '.metadata.genre' (json "
        "text); use one of eq, ne, gt, ge, lt, le, in, nin, null, between, like, nlike, ilike, nilike, contains, "
        "icontains, startswith, istartswith, endswith, iendswith, regex, contained_by, has_key, has_any, has_all.",
        "unknown_operator")),
    (Book, where('{"isbn:Integer": {"*gt": "abc"}}'), malformed(
        "where", "where.isbn:Integer.*gt", "The value 'abc' in 'where.isbn:Integer.*gt' is not a valid integer.")),
    (Comment, dotted(".target", "1"), malformed(
        ".target", ".target", "'target' in '.target' is a generic reference to a row of any resource: use "
        "'target.type' (the resource) or 'target.id' (its primary key).")),
    (Team, where('{"name": {"*match": "x"}}'), malformed(
        "where", "where.name.*match", f"Full-text search ('where.name.*match') needs PostgreSQL; this database is "
        f"{connection.vendor}.", "unsupported")),
]


@pytest.mark.parametrize(("model", "node", "expected"), REFUSALS)
def test_refusals_name_the_parameter_the_part_and_the_reason(model, node, expected):
    if expected["code"] == "unsupported" and "PostgreSQL" in expected["detail"] and connection.vendor == "postgresql":
        pytest.skip("full-text search runs on PostgreSQL")
    assert refusal(model, node) == expected


# -- what conditions return ------------------------------------------------------------------------------
@pytest.fixture
def library():
    author = Author.objects.create(name="Ann", email="ann@example.com")
    sf, poetry = Tag.objects.create(name="sf"), Tag.objects.create(name="poetry")
    dune = Book.objects.create(title="Dune", isbn="1", price=9, author=author, rating=4.5,
                               metadata={"genre": "sf", "keys": 1})
    abc = Book.objects.create(title="abc", isbn="2", price=5, author=author, rating=None,
                              metadata={"other": True, "nested": {"deep": 2}, "deep": 1})
    five = Book.objects.create(title="5", isbn="3", price=7, author=author, rating=None, metadata={})
    dune.tags.add(sf)
    abc.tags.add(sf, poetry)
    return {"sf": sf, "poetry": poetry, "dune": dune, "abc": abc, "five": five}


@pytest.mark.parametrize(("node", "expected"), [
    (where('{"rating": null}'), ["5", "abc"]),
    (where('{"rating": {"*eq": null}}'), ["5", "abc"]),
    (where('{"rating": {"*neq": null}}'), ["Dune"]),
    (where('{"title": 5}'), ["5"]),
    (dotted(".title", "like~ABC"), []),           # no wildcard: equality, which minds the case
    (dotted(".title", "like~abc"), ["abc"]),
    (dotted(".title", "ilike~ABC"), ["abc"]),
    (dotted(".title", "nilike~ABC"), ["5", "Dune"]),
    (dotted(".title", "nilike~d*"), ["5", "abc"]),
    (dotted(".title", "nlike~abc"), ["5", "Dune"]),
    (where('{"metadata": {"*has_key": "genre"}}'), ["Dune"]),
    (where('{"metadata": {"*has_any": ["genre", "other"]}}'), ["Dune", "abc"]),
    (where('{"metadata": {"*has_all": ["genre", "keys"]}}'), ["Dune"]),
    (where('{"metadata": {"*has_all": ["genre", "other"]}}'), []),
    (built("metadata", "has_any", "genre"), ["Dune"]),      # one key given alone is one key, not its letters
    (built("metadata", "has_all", "genre"), ["Dune"]),
    (where('{"metadata.genre": "sf"}'), ["Dune"]),
    (dotted(".metadata.keys", "1"), ["Dune"]),             # query-string text matches the number 1
    (where('{"metadata.keys": {"*in": ["1", "2"]}}'), ["Dune"]),
    (where('{"metadata.nested.deep": 2}'), ["abc"]),
    (where('{"metadata.nested.deep": {"*in": ["2"]}}'), ["abc"]),
    (built("rating", "eq", None), ["5", "abc"]),
    (built("rating", "ne", None), ["Dune"]),
    (built("tags", "eq", None, to_many=True), ["5"]),
    (where('{"metadata.keys": {"*gt": 0}}'), ["Dune"]),
    (where('{"pages:Text": {"*startswith": "10"}}'), ["5", "Dune", "abc"]),
])
def test_conditions_return_the_rows_they_describe(library, node, expected):
    assert rows(Book, node, field="title") == expected


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("where", '{"tags": {"*in": [%(sf)s]}}', ["Dune", "abc"]),
    ("where", '{"tags": {"*in": [%(poetry)s]}}', ["abc"]),
    ("where", '{"tags": {"*eq": %(poetry)s}}', ["abc"]),
    ("where", '{"tags": null}', ["5"]),
    ("where", '{"tags": {"*eq": null}}', ["5"]),
    ("where", '{"tags": {"*neq": null}}', ["Dune", "abc"]),
    (".tags*", "null~true", ["5"]),
    (".tags*", "null~false", ["Dune", "abc"]),
    (".tags*", "in~%(poetry)s", ["abc"]),
])
def test_a_to_many_relation_compared_as_a_whole(api, library, key, value, expected):
    """By the primary keys of its members, or by having none; each book once."""
    value = value % {"sf": library["sf"].pk, "poetry": library["poetry"].pk}
    response = api.get("/api/library/books/", {key: value, "sort": "title"})
    assert sorted(names(response, "title")) == expected


@pytest.mark.parametrize(("where_text", "anonymous_sees", "admin_sees"), [
    ('{"members": {"*in": [%(hidden)s]}}', [], ["Red"]),
    ('{"members": null}', ["Blue", "Red"], ["Blue"]),
    ('{"members": {"*neq": null}}', [], ["Red"]),
])
def test_a_to_many_relation_compared_as_a_whole_counts_only_members_in_scope(api, company, where_text,
                                                                           anonymous_sees, admin_sees):
    """Red's only member is hidden: for a request that may not see it, Red has no members."""
    Employee.objects.filter(pk=company["hidden"].pk).update(team=company["red"])
    query = {"where": where_text % {"hidden": company["hidden"].pk}}
    assert sorted(names(api.get("/api/secure/teams/", query))) == anonymous_sees
    api.force_authenticate(company["admin"])
    assert sorted(names(api.get("/api/secure/teams/", query))) == admin_sees


def test_a_column_reference_to_a_computed_field(library):
    """A computed number compares with a number column: rockets cheaper than their own id (in money units)."""
    from example_project.assets.models import Material, RocketPart

    steel = Material.objects.create(code="ST", name="Steel", price=1.0)
    cheap = Rocket.objects.create(code="C", name="Cheap")
    dear = Rocket.objects.create(code="D", name="Dear")
    RocketPart.objects.create(code="a", rocket=cheap, material=steel, quantity=1)
    RocketPart.objects.create(code="a", rocket=dear, material=steel, quantity=10_000)
    assert rows(Rocket, dotted(".id", "ge~$price")) == ["Cheap"]
    assert rows(Rocket, dotted(".id", "lt~$price")) == ["Dear"]


@pytest.mark.parametrize(("text", "detail"), [
    ('{"title": {"*eq": ["a"]}}', "'where.title.*eq' compares a text field with list ['a']."),
    ('{"title": {"*eq": {"a": 1}}}', "'where.title.*eq' compares a text field with dict {'a': 1}."),
])
def test_a_text_column_compares_with_text_only(text, detail):
    assert refusal(Book, where(text)) == malformed("where", "where.title.*eq", detail)


def test_a_cast_applies_across_a_to_many_hop():
    """isbn compared as a number: 100 > 50 (as text, "9" > "50")."""
    nine, hundred = Author.objects.create(name="Nine", email="9@x"), Author.objects.create(name="Hundred", email="h@x")
    Book.objects.create(title="a", isbn="9", price=1, author=nine)
    Book.objects.create(title="b", isbn="100", price=1, author=hundred)
    assert rows(Author, where('{"books.isbn:Integer": {"*gt": 50}}')) == ["Hundred"]
    assert rows(Author, where('{"books.isbn": {"*gt": "50"}}')) == ["Nine"]


def test_a_primary_key_that_is_a_relation_can_be_crossed():
    """An Ebook's primary key is its Publication: '.pk.writers*' reaches the publication's writers."""
    from tests.zoo.models import Authorship, Ebook, Writer

    ebook = Ebook.objects.create(title="E", isbn="1")
    Ebook.objects.create(title="F", isbn="2")
    Authorship.objects.create(writer=Writer.objects.create(name="Wanda"), publication=ebook)
    assert rows(Ebook, dotted(".pk.writers*.name", "Wanda"), field="title") == ["E"]
    assert rows(Ebook, dotted(".pk.writers*.name", "ne~Wanda"), field="title") == []


def test_a_computed_text_field_filters_and_compares_as_text(library):
    """A computed field's kind comes from its expression: text here, so text operators and text columns suit it."""
    from django.db.models.functions import Upper

    Rocket.objects.create(code="C", name="Cheap")
    Rocket.objects.create(code="L", name="LOUD")
    with override_resource(Rocket, computed={"label": Upper("name")}):
        assert rows(Rocket, where('{"label": {"*startswith": "CH"}}')) == ["Cheap"]
        assert rows(Rocket, dotted(".name", "eq~$label")) == ["LOUD"]
        assert rows(Rocket, dotted(".label", "ne~$name")) == ["Cheap"]
        assert refusal(Rocket, dotted(".id", "eq~$label")) == malformed(
            ".id", ".id", "'.id' compares an integer column with a text column; a column reference needs two columns "
            "of the same type.")


def test_id_names_the_primary_key_even_when_it_is_not_a_listed_field(company):
    with override_resource(Team, fields=["name", "lead", "members"]):
        assert rows(Team, dotted(".id", str(company["red"].pk))) == ["Red"]
        assert rows(Team, dotted(".lead.id", str(company["visible"].pk))) == ["Blue"]


@pytest.mark.parametrize(("node", "param", "path", "purpose"), [
    (dotted(".salary", "gt~100"), ".salary", ".salary", "filtered"),
    (where('{"salary": {"*gt": 100}}'), "where", "where.salary.*gt", "filtered"),
    (dotted(".name", "eq~$salary"), ".name", ".name", "compared"),
])
def test_a_field_shown_on_some_rows_only_is_never_queried(node, param, path, purpose):
    """A per-row read rule: filtering or comparing on it would tell its value on the rows that hide it."""
    own = per_row(lambda request, obj: obj.name == "mine")
    with override_resource(Employee, field_rules={"salary": {"read": own}}):
        assert refusal(Employee, node) == malformed(
            param, path, f"'salary' in '{path}' is shown on some rows only (a field rule decides per row), so "
            f"employees cannot be {purpose} on it.", "unknown_field")


def test_a_field_shown_on_some_rows_only_is_never_sorted_on():
    own = per_row(lambda request, obj: obj.name == "mine")
    with override_resource(Employee, field_rules={"salary": {"read": own}}), pytest.raises(QueryError) as caught:
        QueryCompiler(access(Employee)).compile_sort(parse_sort(["-salary"]))
    assert caught.value.to_dict() == malformed(
        "sort", "sort[0]", "'salary' in 'sort[0]' is shown on some rows only (a field rule decides per row), so "
        "employees cannot be sorted on it.", "unknown_field")


def test_an_unknown_field_lists_what_may_be_queried_computed_fields_included():
    assert refusal(Rocket, dotted(".cost", "1")) == malformed(
        ".cost", ".cost", "Unknown field 'cost' in '.cost': rockets can be filtered on code, description, id, "
        "missions, name, parts, price.", "unknown_field")


def test_the_compiler_built_from_a_resource_and_a_request_uses_that_requests_access(company):
    request = RequestFactory().get("/")
    request.user = company["admin"]
    compiler = QueryCompiler(site.get_resource(Team), request)
    q = compiler.compile(dotted(".lead.name", "Hidden"))
    assert [team.name for team in Team.objects.filter(q)] == ["Red"]
    anonymous = QueryCompiler(site.get_resource(Team), None)
    assert not Team.objects.filter(anonymous.compile(dotted(".lead.name", "Hidden"))).exists()


@pytest.mark.parametrize(("query", "writer_sees", "admin_sees"), [
    ("?.lead.team=%(red)s", [], ["Red"]),                  # a key read across the scoped lead
    ("?.lead.team.id=%(red)s", [], ["Red"]),
    ("?.lead.team.members*.name=ge~A;le~Z", [], ["Red"]),  # a group behind two to-one hops
])
def test_a_relation_key_across_a_scoped_hop_keeps_the_scope(api, company, query, writer_sees, admin_sees):
    """The hidden lead belongs to Red (and is Red's only member): only a request that may see it finds Red."""
    Employee.objects.filter(pk=company["hidden"].pk).update(team=company["red"])
    Employee.objects.create(name="Member", team=company["red"])
    url = "/api/secure/teams/" + query % {"red": company["red"].pk}
    api.force_authenticate(company["writer"])
    assert names(api.get(url)) == writer_sees
    api.force_authenticate(company["admin"])
    assert names(api.get(url)) == admin_sees


def test_a_reference_inside_an_or_inside_a_to_many_condition_is_refused():
    inner = Or((built("name", "eq", FieldRef((PathStep("name"),))), built("name", "eq", "x")))
    assert refusal(Team, Group((PathStep("members", True),), inner)) == malformed(
        "p", "p.name", "A column reference ('p.name') cannot be used inside a to-many condition.", "unsupported")


@pytest.mark.parametrize("operator", ["contains", "contained_by"])
def test_json_containment_on_a_key_needs_postgresql(operator):
    if connection.vendor == "postgresql":
        pytest.skip("tests/test_compiler_postgres.py runs containment there")
    assert refusal(Book, where(f'{{"metadata.words": {{"*{operator}": ["a"]}}}}')) == malformed(
        "where", f"where.metadata.words.*{operator}", f"JSON containment ('where.metadata.words.*{operator}') needs "
        "PostgreSQL; this database is sqlite.", "unsupported")


@pytest.mark.parametrize(("key", "value"), [(".id", "en"), (".pk", "en"), (".id", "in~en,xx"), (".id", "ne~fr")])
def test_id_and_pk_name_a_primary_key_of_another_name(key, value):
    from tests.zoo.models import Language

    Language.objects.create(code="en", name="English")
    Language.objects.create(code="fr", name="French")
    assert rows(Language, dotted(key, value)) == ["English"]


def test_a_whole_json_column_compares_with_numbers_a_database_holds():
    assert refusal(Book, where('{"metadata": {"*eq": 99999999999999999999999}}')) == malformed(
        "where", "where.metadata.*eq", "The number 99999999999999999999999 in 'where.metadata.*eq' is beyond the "
        "64-bit range a database column holds.")


def test_a_reference_never_crosses_a_to_many_hop():
    """Built in Python (the path grammar has no '*' in references): a join would compare with any member."""
    reference = FieldRef((PathStep("members", True), PathStep("name")))
    assert refusal(Team, built("name", "eq", reference)) == malformed(
        "p", "p.name", "'members' in 'p.name' is a to-many relation of teams; it cannot be compared on.")


@pytest.mark.parametrize("sort", ["members*", "-members*", "lead.projects*"])
def test_a_to_many_relation_is_never_sorted_on(api, company, sort):
    """Sorting by a join would repeat a team once per member and order teams by members out of scope."""
    Employee.objects.filter(pk=company["hidden"].pk).update(team=company["blue"])
    Employee.objects.filter(pk=company["visible"].pk).update(team=company["red"])
    Employee.objects.create(name="Second", team=company["red"])
    response = api.get(f"/api/secure/teams/?sort={sort}")
    assert response.status_code == 400
    owner = "teams" if sort.lstrip("-").startswith("members") else "employees"
    name = sort.lstrip("-").split(".")[-1].rstrip("*")
    assert response.json() == {"sort": [f"'{name}' in 'sort[0]' is a to-many relation of {owner}; it cannot be "
                                         "sorted on."]}


def test_the_refusal_of_a_to_many_sort_names_the_sort_key():
    with pytest.raises(QueryError) as caught:
        QueryCompiler(access(Team)).compile_sort(parse_sort(["name", "-members*"]))
    assert caught.value.to_dict() == malformed(
        "sort", "sort[1]", "'members' in 'sort[1]' is a to-many relation of teams; it cannot be sorted on.")
