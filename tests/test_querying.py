"""The query language over HTTP: every dialect, sorting, paging aliases, and the errors that name the problem."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from example_project.assets.models import Rocket
from example_project.ops.models import Mission, Station
from example_project.staff.models import Astronaut, Crew
from tests.testapp.models import Author, Book, Tag

pytestmark = pytest.mark.django_db


def codes(response):
    assert response.status_code == 200, response.json()
    return [row["code"] for row in response.json()["results"]]


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def space():
    rows = [("SAT-V", "Saturn V", "Moon rocket"), ("ARI-5", "Ariane 5", None), ("FAL-9", "Falcon 9", "Reusable"),
            ("X_%2", "Literal", "underscore and percent"), ("XY%22", "Other", None), ("LM-2", "Long March 2", None)]
    rockets = {code: Rocket.objects.create(code=code, name=name, description=description)
               for code, name, description in rows}
    astronauts = [Astronaut.objects.create(code=f"A{index}", name=name, role=role) for index, (name, role) in
                  enumerate([("Neil", "pilot"), ("Buzz", "engineer"), ("Sally", "doctor"), ("Yuri", "pilot"),
                             ("Valentina", "technician")], start=1)]
    alpha = Crew.objects.create(code="C1", name="Alpha", lead=astronauts[0])
    alpha.astronauts.set(astronauts[:3])
    bravo = Crew.objects.create(code="C2", name="Bravo", lead=astronauts[3])
    bravo.astronauts.set(astronauts[3:])
    charlie = Crew.objects.create(code="C3", name="Charlie")
    charlie.astronauts.set([astronauts[0], astronauts[4]])
    station = Station.objects.create(code="ISS", name="ISS")
    missions = [
        Mission.objects.create(code=f"M{index}", name=name, crew=crew, rocket=rockets[rocket], station=station,
                               launch_date=datetime.date(*date), description=description)
        for index, (name, crew, rocket, date, description) in enumerate([
            ("Apollo", alpha, "SAT-V", (1969, 7, 16), "first landing"),
            ("Artemis", alpha, "LM-2", (2025, 9, 1), None),
            ("Vostok", bravo, "ARI-5", (2024, 4, 12), "orbit"),
            ("Gemini", charlie, "FAL-9", (2024, 1, 5), None),
            ("M5", bravo, "FAL-9", (2023, 6, 1), None),
        ], start=1)
    ]
    return {"rockets": rockets, "astronauts": astronauts, "crews": [alpha, bravo, charlie], "missions": missions}


# -- Plateforme's dotted form -------------------------------------------------------------------------------

def test_seed_fetch_rockets_like(api, space):
    assert sorted(codes(api.get("/api/assets/rockets/?.code=like~*2"))) == ["LM-2", "XY%22", "X_%2"]


def test_seed_fetch_rockets_by_ids(api, space):
    wanted = [space["rockets"]["ARI-5"].pk, space["rockets"]["FAL-9"].pk]
    assert ids(api.get(f"/api/assets/rockets/?.id=in~{wanted[0]},{wanted[1]}")) == wanted


def test_seed_filter_crews_by_astronauts_on_the_same_row(api, space):
    neil, buzz, sally, yuri, _ = (astronaut.pk for astronaut in space["astronauts"])
    # One astronaut whose id is between Buzz's and Sally's: only Alpha has one.
    response = api.get(f"/api/staff/crews/?.astronauts*.id=ge~{buzz};le~{sally}&sort=+name")
    assert codes(response) == ["C1"]
    # Two separate parameters are independent conditions: Charlie has Neil (<= Sally) and Valentina (>= Buzz).
    response = api.get(f"/api/staff/crews/?.astronauts*.id=ge~{yuri}&.astronauts*.id=le~{neil}&sort=name")
    assert codes(response) == ["C3"]


def test_seed_query_missions_with_a_body_filter(api, space):
    lead = space["astronauts"][0].pk
    body = {"filter": {"id": f"ge~{space['missions'][1].pk};le~{space['missions'][4].pk}",
                       "crew.lead.id": f"in~{lead},999"}}
    response = api.generic("GET", "/api/missions/?sort=-id&page_size=10", json.dumps(body),
                           content_type="application/json")
    assert codes(response) == ["M2"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (".code=M1", ["M1"]),
        (".code=eq~M1", ["M1"]),
        (".code=ne~M1", ["M2", "M3", "M4", "M5"]),
        (".launch_date=ge~2024-01-05", ["M2", "M3", "M4"]),
        (".launch_date=gt~2024-01-05", ["M2", "M3"]),
        (".launch_date=lt~2024-01-05", ["M1", "M5"]),
        (".launch_date=le~2024-01-05", ["M1", "M4", "M5"]),
        (".name=like~A*", ["M1", "M2"]),
        (".name=nlike~A*", ["M3", "M4", "M5"]),
        (".name=ilike~*O*", ["M1", "M3"]),
        (".name=nilike~*o*", ["M2", "M4", "M5"]),
        (".description=null~true", ["M2", "M4", "M5"]),
        (".description=null~false", ["M1", "M3"]),
        (".code=in~M2", ["M2"]),
        (".code=nin~M1,M2,M3", ["M4", "M5"]),
        (".crew.name=Bravo", ["M3", "M5"]),
        (".crew.lead.name=like~N*", ["M1", "M2"]),
        (".rocket.code=in~FAL-9,ARI-5", ["M3", "M4", "M5"]),
        (".crew.astronauts*.role=technician", ["M3", "M4", "M5"]),
        (".code=eq~$name", ["M5"]),
        (".code=ne~$name", ["M1", "M2", "M3", "M4"]),
        (".name=like~?postrophe", []),
    ],
)
def test_dotted_operators(api, space, query, expected):
    assert sorted(codes(api.get(f"/api/missions/?{query}"))) == expected


def test_like_matches_percent_and_underscore_literally(api, space):
    assert codes(api.get("/api/assets/rockets/?.code=like~X_%25*")) == ["X_%2"]
    assert codes(api.get("/api/assets/rockets/?.code=like~X*%252")) == ["X_%2"]


def test_a_to_many_filter_never_repeats_a_row(api, space):
    response = api.get("/api/staff/crews/?.astronauts*.id=ge~1&page_size=2")
    assert response.json()["count"] == 3
    every = ids(response) + ids(api.get("/api/staff/crews/?.astronauts*.id=ge~1&page_size=2&page=2"))
    assert sorted(every) == sorted(crew.pk for crew in space["crews"])


def test_a_to_many_filter_costs_no_extra_query(api, space, django_assert_num_queries):
    with django_assert_num_queries(2):
        api.get("/api/missions/?.crew.astronauts*.role=pilot&.crew.lead.name=Neil")


# -- JSON where --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"*or": {"name": {"*contains": "emi"}, "code": "M3"}}, ["M2", "M3", "M4"]),
        ([{"name": {"*startswith": "A"}}, {"launch_date": {"*gte": "2000-01-01"}}], ["M2"]),
        ({"*not": {"crew.name": "Alpha"}}, ["M3", "M4", "M5"]),
        ({"name": "A%"}, []),
        ({"name": {"*like": "A%"}}, ["M1", "M2"]),
        ({"name": {"*notilike": "%o%"}}, ["M2", "M4", "M5"]),
        ({"crew.lead.name": "Yuri"}, ["M3", "M5"]),
        ({"crew.lead": {"*is": None}}, ["M4"]),
        ({"description": {"*isnot": None}}, ["M1", "M3"]),
        ({"launch_date": {"*between": ["2024-01-01", "2024-12-31"]}}, ["M3", "M4"]),
        ({"code": {"*in_": ["M1", "M4"]}}, ["M1", "M4"]),
        ({"code": {"*notin_": ["M1", "M4"]}}, ["M2", "M3", "M5"]),
        ({"name": {"*iendswith": "O"}}, ["M1"]),
        ({"launch_date": {"*gt": "2024-01-05", "*lt": "2025-01-01"}}, ["M3"]),
        ({"crew.astronauts.name": "Sally"}, ["M1", "M2"]),
    ],
)
def test_where_operators(api, space, where, expected):
    assert sorted(codes(api.get("/api/missions/", {"where": json.dumps(where)}))) == expected


def test_where_in_a_get_body_combines_with_the_query_string(api, space):
    response = api.generic("GET", "/api/missions/?.crew.name=Alpha",
                           json.dumps({"where": {"name": {"*startswith": "Ar"}}}), content_type="application/json")
    assert codes(response) == ["M2"]


@pytest.fixture
def library():
    user = User.objects.create_user("ann", password="x")
    ann = Author.objects.create(name="Ann", email="ann@example.com", bio="secret bio", user=user)
    bob = Author.objects.create(name="Bob", email="bob@example.com")
    classic = Tag.objects.create(name="classic")
    books = [
        Book.objects.create(title="Dune", isbn="1", price=Decimal("9.50"), pages=412, author=ann,
                            metadata={"genre": "sf", "n": 1, "tags": ["desert"]}, rating=4.5,
                            published=datetime.date(1965, 8, 1)),
        Book.objects.create(title="Emma", isbn="2", price=Decimal("12.00"), pages=180, author=bob,
                            metadata={"genre": "novel", "n": 2}, available=False),
        Book.objects.create(title="Odyssey", isbn="3", price=Decimal("5.00"), pages=300, author=bob,
                            metadata={}, rating=None),
    ]
    books[0].tags.add(classic)
    books[2].tags.add(classic)
    return {"ann": ann, "bob": bob, "books": books, "user": user}


def titles(response):
    assert response.status_code == 200, response.json()
    return sorted(row["title"] for row in response.json()["results"])


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"metadata.genre": "sf"}, ["Dune"]),
        ({"metadata.n": {"*gte": 2}}, ["Emma"]),
        ({"metadata": {"*has_key": "genre"}}, ["Dune", "Emma"]),
        ({"metadata": {"*has_any": ["n", "zzz"]}}, ["Dune", "Emma"]),
        ({"metadata": {"*has_all": ["n", "tags"]}}, ["Dune"]),
        ({"pages:Text": {"*startswith": "3"}}, ["Odyssey"]),
        ({"created_at": {"*lt": {"*datetime": "2999-01-01T00:00:00"}}}, ["Dune", "Emma", "Odyssey"]),
        ({"created_at": {"*lt": {"*datetime": 0}}}, []),
        ({"price": {"*lt": "10"}}, ["Dune", "Odyssey"]),
        ({"available": False}, ["Emma"]),
        ({"rating": None}, ["Emma", "Odyssey"]),
        ({"author.name": "Bob", "pages": {"*gt": 200}}, ["Odyssey"]),
        ({"tags.name": "classic"}, ["Dune", "Odyssey"]),
        ({"genre": "fiction"}, ["Dune", "Emma", "Odyssey"]),
    ],
)
def test_where_on_every_field_type(api, library, where, expected):
    assert titles(api.get("/api/library/books/", {"where": json.dumps(where)})) == expected


@pytest.mark.requires_postgres
def test_json_containment_and_full_text_on_postgresql(api, library):
    where = {"metadata": {"*contains": {"genre": "sf"}}}
    assert titles(api.get("/api/library/books/", {"where": json.dumps(where)})) == ["Dune"]
    where = {"title:tsvector:english": {"*websearch_to_tsquery": "odyssey or dune"}}
    assert titles(api.get("/api/library/books/", {"where": json.dumps(where)})) == ["Dune", "Odyssey"]
    where = {"title": {"*match": "emma"}}
    assert titles(api.get("/api/library/books/", {"where": json.dumps(where)})) == ["Emma"]


def test_full_text_and_json_containment_are_400_on_sqlite(api, library, settings):
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("SQLite behaviour")
    response = api.get("/api/library/books/", {"where": json.dumps({"title": {"*match": "dune"}})})
    assert response.status_code == 400
    assert "needs PostgreSQL" in response.json()["where"][0]
    response = api.get("/api/library/books/", {"where": json.dumps({"metadata": {"*contains": {"a": 1}}})})
    assert response.status_code == 400
    assert "needs PostgreSQL" in response.json()["where"][0]


# -- backo --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pages.$lt=400", ["Emma", "Odyssey"]),
        ("pages.$gte=300&pages.$lte=400", ["Odyssey"]),
        ("author.name=Bob", ["Emma", "Odyssey"]),
        ("author.name.$ne=Bob", ["Dune"]),
        ("isbn.$in=1,3", ["Dune", "Odyssey"]),
        ("isbn.$nin=1,3", ["Emma"]),
        ("metadata.genre=novel", ["Emma"]),
    ],
)
def test_backo_operators(api, library, query, expected):
    assert titles(api.get(f"/api/library/books/?{query}")) == expected


def test_backo_regex_is_off_by_default_and_works_when_enabled(api, library, settings):
    response = api.get("/api/library/books/?title.$re=dy")
    assert response.status_code == 400
    assert "ALLOW_REGEX" in response.json()["title.$re"][0]
    settings.CRUDDY_DJANGO = {"ALLOW_REGEX": True}
    assert titles(api.get("/api/library/books/?title.$re=dy")) == ["Odyssey"]


def test_backo_paging_aliases(api, library):
    body = api.get("/api/library/books/?_page=1&_skip=1&_sort=-pages").json()
    assert [row["title"] for row in body["results"]] == ["Odyssey"]
    assert "_skip=2" in body["next"]


# -- django-filter lookups ------------------------------------------------------------------------------

def test_django_filter_lookups_and_one_relation_hop(api, space):
    response = api.get("/api/missions/?name__icontains=o&launch_date__gte=2024-01-01&crew__name=Bravo")
    assert codes(response) == ["M3"]


def test_django_filter_rejects_bad_values(api, space):
    response = api.get("/api/missions/?launch_date__gte=yesterday")
    assert response.status_code == 400
    assert "launch_date__gte" in response.json()


@pytest.mark.parametrize("query", ["nope__icontains=1", "code__regex=.*", "crew__lead__password=x",
                                   "user__password__startswith=pbkdf2"])
def test_lookalike_parameters_are_refused_not_ignored(api, space, query):
    response = api.get(f"/api/missions/?{query}")
    assert response.status_code == 400
    assert "Unknown filter" in next(iter(response.json().values()))[0]


def test_unrelated_parameters_are_ignored(api, space):
    assert len(codes(api.get("/api/missions/?_=12345&utm_source=mail"))) == 5


# -- search and selections ---------------------------------------------------------------------------------

def test_search_and_named_selections(api, space):
    assert sorted(codes(api.get("/api/missions/?search=orbit"))) == ["M3"]
    assert sorted(codes(api.get("/api/missions/?selection=recent"))) == ["M2", "M3", "M4"]
    response = api.get("/api/missions/?selection=nope")
    assert response.status_code == 400
    assert "Unknown selection 'nope'" in response.json()["selection"][0]
    response = api.get("/api/staff/crews/?search=x")
    assert response.status_code == 400


def test_a_callable_selection_receives_the_request(api, library):
    api.force_authenticate(library["user"])
    assert titles(api.get("/api/library/books/?selection=mine")) == ["Dune"]
    assert titles(api.get("/api/library/books/?selection=cheap&search=bob")) == ["Odyssey"]


# -- sorting ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort=-launch_date", ["M2", "M3", "M4", "M5", "M1"]),
        ("sort=crew.name,-launch_date", ["M2", "M1", "M3", "M5", "M4"]),
        ("sort=crew.name&sort=code", ["M1", "M2", "M3", "M5", "M4"]),
        ("sort=name:desc", ["M3", "M5", "M4", "M2", "M1"]),
        ("sort=description:nf,code", ["M2", "M4", "M5", "M1", "M3"]),
        ("sort=description:nl,code", ["M1", "M3", "M2", "M4", "M5"]),
        ("ordering=-code", ["M5", "M4", "M3", "M2", "M1"]),
        ("_sort=-code", ["M5", "M4", "M3", "M2", "M1"]),
        ("sort=crew.lead.name:nl,code", ["M1", "M2", "M3", "M5", "M4"]),
    ],
)
def test_sorting(api, space, query, expected):
    assert codes(api.get(f"/api/missions/?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("sort=nope", "sort", "Unknown field 'nope'"),
        ("sort=crew.astronauts.name", "sort", "to-many relation"),
        ("sort=code:sideways", "sort", "sideways"),
        ("ordering=crew__name", "ordering", "'.'"),
    ],
)
def test_bad_sort_keys_are_400(api, space, query, parameter, message):
    response = api.get(f"/api/missions/?{query}")
    assert response.status_code == 400
    assert message in response.json()[parameter][0]


# -- errors that name the problem ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("url", "parameter", "message"),
    [
        ("/api/missions/?.nope=1", ".nope", "Unknown field 'nope' in '.nope': missions can be filtered on code"),
        ("/api/missions/?.code=gtx~1", ".code", "gtx"),
        ("/api/missions/?.launch_date=like~2024*", ".launch_date", "cannot be used on '.launch_date' (date)"),
        ("/api/missions/?.id=gt~abc", ".id", "'abc' in '.id' is not a valid integer"),
        ("/api/missions/?.launch_date=ge~someday", ".launch_date", "not a valid date"),
        ("/api/missions/?.crew.astronauts.id=1", ".crew.astronauts.id", "mark it 'astronauts*'"),
        ("/api/missions/?.crew*.id=1", ".crew*.id", "remove the '*'"),
        ("/api/missions/?.name.first=1", ".name.first", "nothing can follow it"),
        ("/api/missions/?where={bad", "where", "not valid JSON"),
        ("/api/missions/?where=" + "[" * 1000 + "]" * 1000, "where", "deep"),
        ("/api/library/authors/?.user.password=x", ".user.password", "not on the API"),
        ("/api/library/authors/?.bio=x", ".bio", "Unknown field 'bio'"),
        ("/api/library/authors/?where={\"books.author.bio\": \"x\"}", "where", "Unknown field 'bio'"),
        ("/api/missions/?.code=in~" + ",".join(str(index) for index in range(600)), ".code", "at most 500"),
        ("/api/library/books/?.available=maybe", ".available", "true or false"),
        ("/api/library/books/?.price=gt~NaN", ".price", "not a valid number"),
        ("/api/library/books/?.pages=gt~99999999999999999999999", ".pages", "not a valid integer"),
    ],
)
def test_errors_name_the_parameter_and_the_field(api, space, url, parameter, message):
    response = api.get(url)
    assert response.status_code == 400, response.content
    assert message in response.json()[parameter][0]


def test_too_many_clauses(api, space, settings):
    settings.CRUDDY_DJANGO = {"QUERY_LIMITS": {"max_clauses": 3}}
    where = {"*or": [{"code": f"M{index}"} for index in range(5)]}
    response = api.get("/api/missions/", {"where": json.dumps(where)})
    assert response.status_code == 400
    assert "3" in response.json()["where"][0]


def test_a_malformed_get_body_is_a_400(api, space):
    response = api.generic("GET", "/api/missions/", "{nope", content_type="application/json")
    assert response.status_code == 400
    response = api.generic("GET", "/api/missions/", '{"filtre": {}}', content_type="application/json")
    assert response.status_code == 400
    assert "filtre" in response.json()["detail"]


def test_the_schema_documents_the_query_parameters(api):
    operation = api.get("/api/schema/?format=json").json()["paths"]["/api/missions/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"where", "sort", "search", "selection", ".code", ".launch_date", "crew__name",
            "launch_date__gte", "page", "page_size"} <= names


# -- fastapi-cruddy-framework's README examples, on the test app -------------------------------------------

@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"*or": {"title": "Dune", "isbn": "2"}}, ["Dune", "Emma"]),
        ({"*or": {"title": {"*contains": "dys"}, "isbn": "2"}}, ["Emma", "Odyssey"]),
        ({"*or": {"title": {"*endswith": "ma"}, "isbn": "1",
                  "*and": {"isbn": {"*contains": "3"}, "title": {"*contains": "Ody"}}}}, ["Dune", "Emma", "Odyssey"]),
        ({"*or": {"title": {"*endswith": "ma"}, "isbn": "1",
                  "*and": [{"isbn": {"*contains": "3"}}, {"title": {"*contains": "Nope"}}]}}, ["Dune", "Emma"]),
        ([{"title": {"*endswith": "e"}}, {"isbn": "1"}], ["Dune"]),
        ({"metadata.genre": {"*eq": "novel"}}, ["Emma"]),
        ({"author.user.username": "ann"}, None),
    ],
)
def test_the_cruddy_readme_where_examples(api, library, where, expected):
    response = api.get("/api/library/books/", {"where": json.dumps(where)})
    if expected is None:  # auth.User is not a resource: it can be compared by pk, never traversed
        assert response.status_code == 400
        return
    assert titles(response) == expected


def test_where_on_a_relation_route(api, library):
    url = f"/api/library/authors/{library['bob'].pk}/books/"
    response = api.get(url, {"where": json.dumps({"*or": {"title": {"*contains": "dys"}, "isbn": "1"}})})
    assert titles(response) == ["Odyssey"]


@pytest.mark.requires_postgres
def test_the_cruddy_readme_json_containment_examples(api, library):
    where = {"metadata.tags": {"*contains": ["desert"]}}
    assert titles(api.get("/api/library/books/", {"where": json.dumps(where)})) == ["Dune"]
    where = {"metadata": {"*contained_by": {"genre": "novel", "n": 2, "extra": True}}}
    assert titles(api.get("/api/library/books/", {"where": json.dumps(where)})) == ["Emma", "Odyssey"]
