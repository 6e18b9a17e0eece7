"""Custom model routes: typed parameters, return kinds, errors, policies, URLs and schema entries."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from example_project.staff.models import Astronaut, Crew
from tests.testapp.models import Author, Book, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(signed_in_api):
    """Writes need a signed-in user (the default policies); reads behave the same for it."""
    return signed_in_api


@pytest.fixture
def crew():
    neil = Astronaut.objects.create(code="A1", name="Neil", role="pilot")
    buzz = Astronaut.objects.create(code="A2", name="Buzz", role="engineer")
    outsider = Astronaut.objects.create(code="A3", name="Yuri", role="pilot")
    crew = Crew.objects.create(code="C1", name="Apollo")
    crew.astronauts.set([neil, buzz])
    return {"crew": crew, "neil": neil, "buzz": buzz, "outsider": outsider}


@pytest.mark.parametrize("body", ['"{pk}"', "{pk}", '{{"astronaut": {pk}}}', '{{"astronaut": "{pk}"}}'])
def test_seed_assign_lead_accepts_a_bare_value_or_an_object(api, crew, body):
    url = f"/api/staff/crews/{crew['crew'].pk}/assign-lead/"
    response = api.post(url, body.format(pk=crew["buzz"].pk), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["lead"] == crew["buzz"].pk
    assert response.json()["code"] == "C1"
    crew["crew"].refresh_from_db()
    assert crew["crew"].lead == crew["buzz"]


def test_seed_assign_lead_refuses_an_outsider_with_the_message(api, crew):
    response = api.post(f"/api/staff/crews/{crew['crew'].pk}/assign-lead", crew["outsider"].pk, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "The lead must be part of the crew"}
    crew["crew"].refresh_from_db()
    assert crew["crew"].lead is None


@pytest.mark.parametrize(("body", "message"), [("999", "No astronaut with primary key 999."),
                                                ('"abc"', "No astronaut with primary key 'abc'."),
                                                ("{}", "This field is required."),
                                                ("[1]", "A primary key is expected, not list.")])
def test_a_missing_key_is_a_400_naming_the_parameter(api, crew, body, message):
    response = api.post(f"/api/staff/crews/{crew['crew'].pk}/assign-lead/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"astronaut": [message]}


def test_a_route_on_a_missing_row_is_a_404(api, crew):
    assert api.post("/api/staff/crews/999/assign-lead/", crew["neil"].pk, format="json").status_code == 404


@pytest.fixture
def book():
    author = Author.objects.create(name="Ann", email="ann@example.com")
    return Book.objects.create(title="The Left Hand of Darkness", isbn="1", price=Decimal("10.00"), author=author)


@pytest.fixture
def staff_api(api):
    api.force_authenticate(User.objects.create_user("boss", is_staff=True))
    return api


def test_route_policies_by_name(api, staff_api, book):
    url = f"/api/library/books/{book.pk}/discount/"
    response = api.__class__().post(url, {"percent": 10}, format="json")
    assert response.status_code == 401  # anonymous, and basic auth can challenge: a 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    response = staff_api.post(url, {"percent": 10, "reason": "sale"}, format="json")
    assert response.status_code == 200
    assert response.json()["price"] == "9.00"


@pytest.mark.parametrize(("body", "field"), [({"percent": "ten"}, "percent"), ({}, "percent"),
                                             ({"percent": 5, "reason": ["x"]}, "reason")])
def test_typed_parameters_are_validated(staff_api, book, body, field):
    response = staff_api.post(f"/api/library/books/{book.pk}/discount/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_a_value_error_is_a_400_and_writes_nothing(staff_api, book):
    response = staff_api.post(f"/api/library/books/{book.pk}/discount/", {"percent": 150}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "The discount must be between 1 and 99 percent"}
    book.refresh_from_db()
    assert book.price == Decimal("10.00")


def test_a_django_validation_error_is_a_400_naming_the_field(api, book):
    response = api.patch(f"/api/library/books/{book.pk}/fail-validation/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"title": ["This title cannot be changed today."]}


def test_get_routes_read_query_parameters_and_return_dicts(api, book):
    response = api.get(f"/api/library/books/{book.pk}/summary/?words=2")
    assert response.json() == {"title": "The Left", "pages": 100}
    assert api.get(f"/api/library/books/{book.pk}/summary").json()["title"] == "The Left Hand"
    assert api.get(f"/api/library/books/{book.pk}/summary/?words=many").status_code == 400


def test_list_of_keys_and_optional_booleans(api, book):
    tags = [Tag.objects.create(name=name) for name in ("a", "b")]
    url = f"/api/library/books/{book.pk}/retag/"
    response = api.post(url, {"tags": [tag.pk for tag in tags], "available": False}, format="json")
    assert response.status_code == 200
    assert sorted(response.json()["tags"]) == sorted(tag.pk for tag in tags)
    assert response.json()["available"] is False
    response = api.post(url, {"tags": [tags[0].pk, 999]}, format="json")
    assert response.status_code == 400
    assert "999" in json.dumps(response.json()["tags"])


def test_none_is_a_204_and_url_path_can_be_chosen(api, book):
    response = api.delete(f"/api/library/books/{book.pk}/archive-now/")
    assert response.status_code == 204
    book.refresh_from_db()
    assert book.available is False


def test_dates_datetimes_floats_decimals_and_literals(api, book):
    url = f"/api/library/books/{book.pk}/reschedule/"
    response = api.put(url, {"published": "2020-02-02", "at": "2020-02-02T10:00:00Z", "rating": 3.5,
                             "price": "7.25", "genre": "science"}, format="json")
    assert response.status_code == 200, response.json()
    book.refresh_from_db()
    assert (book.published, book.rating, book.price, book.genre) == (
        datetime.date(2020, 2, 2), 3.5, Decimal("7.25"), "science")
    response = api.put(url, {"published": "someday", "genre": "poetry"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"published", "genre"}


def test_collection_routes_return_the_list_envelope(api, book):
    Book.objects.create(title="Other", isbn="2", price=Decimal("3.00"), author=book.author, genre="history")
    response = api.post("/api/library/books/reprice/", {"genre": "fiction", "price": "4.50"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], [row["price"] for row in body["results"]]) == (1, ["4.50"])
    assert api.get("/api/library/books/stats/?since=2000-01-01").json() == {"books": 0}
    assert api.get("/api/library/books/stats").json() == {"books": 2}


def test_routes_without_their_own_policy_follow_the_action_they_resemble(api, book, settings):
    settings.CRUDDY_DJANGO = {"DEFAULT_POLICIES": {"*": ["cruddy_django.policies.allow_any"],
                                                   "update": ["cruddy_django.policies.deny_all"]}}
    assert api.delete(f"/api/library/books/{book.pk}/archive-now/").status_code == 403
    assert api.get(f"/api/library/books/{book.pk}/summary/").status_code == 200


def test_routes_are_in_the_schema_with_their_parameters(api):
    paths = api.get("/api/schema/?format=json").json()["paths"]
    operation = paths["/api/staff/crews/{id}/assign-lead/"]["post"]
    assert "Make one of the crew's astronauts its lead." in operation["description"]
    schemas = api.get("/api/schema/?format=json").json()["components"]["schemas"]
    assert schemas["CrewAssignLeadParameters"]["properties"]["astronaut"]
    summary = paths["/api/library/books/{id}/summary/"]["get"]
    assert "words" in {parameter["name"] for parameter in summary["parameters"]}
    assert "/api/library/books/reprice/" in paths


def test_disable_switches_a_route_off():
    from cruddy_django import ResourceSite
    from cruddy_django.checks import check_resources

    other = ResourceSite()
    other.register(Crew, disable={"assign_lead"})
    viewset = other.get_resource(Crew).viewset
    assert not hasattr(viewset, "assign_lead")
    assert check_resources(site=other) == []


def test_query_parameters_of_a_get_route_are_not_read_as_filters_of_its_row(api, book):
    response = api.get(f"/api/library/books/{book.pk}/summary/?words=1&title=Something+else")
    assert response.status_code == 200
    assert response.json()["title"] == "The"


def test_routes_without_parameters_keep_the_schema_whole(api):
    response = api.get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    census = paths["/api/secure/folders/{id}/census/"]["get"]
    assert [parameter["name"] for parameter in census["parameters"]] == ["id"]
    assert "requestBody" not in paths["/api/secure/folders/{id}/touch/"]["post"]
