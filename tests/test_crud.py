"""Single-row CRUD over HTTP, on the example and on the test app."""

import datetime
from decimal import Decimal

import pytest

from example_project.assets.models import Material, Rocket
from example_project.ops.models import Mission, Station
from example_project.staff.models import Astronaut, Crew
from tests.testapp.models import Author, Book, Country, Review, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(signed_in_api):
    """Writes need a signed-in user (the default policies); reads behave the same for it."""
    return signed_in_api


@pytest.fixture
def mission_world():
    rocket = Rocket.objects.create(code="SAT-V", name="Saturn V")
    station = Station.objects.create(code="ISS", name="International Space Station")
    pilot = Astronaut.objects.create(code="A1", name="Ada", role="pilot")
    doctor = Astronaut.objects.create(code="A2", name="Bo", role="doctor")
    crew = Crew.objects.create(code="C1", name="Alpha", lead=pilot)
    crew.astronauts.set([pilot, doctor])
    return {"rocket": rocket, "station": station, "crew": crew, "pilot": pilot, "doctor": doctor}


def test_create_returns_201_and_the_row(api):
    response = api.post("/api/assets/materials/", {"code": "STEEL", "name": "Steel", "price": 12.5})
    assert response.status_code == 201
    assert response.json() == {"id": response.json()["id"], "code": "STEEL", "name": "Steel",
                               "description": None, "price": 12.5}
    assert Material.objects.get(code="STEEL").price == 12.5


def test_retrieve_update_partial_update_and_destroy(api):
    material = Material.objects.create(code="IRON", name="Iron", price=3)
    url = f"/api/assets/materials/{material.pk}/"
    assert api.get(url).json()["name"] == "Iron"

    response = api.put(url, {"code": "IRON", "name": "Cast iron", "price": 4})
    assert response.status_code == 200
    assert response.json()["name"] == "Cast iron"

    response = api.patch(url, {"description": "Heavy"})
    assert response.status_code == 200
    material.refresh_from_db()
    assert (material.name, material.description, material.price) == ("Cast iron", "Heavy", 4)

    assert api.delete(url).status_code == 204
    assert not Material.objects.filter(pk=material.pk).exists()
    assert api.get(url).status_code == 404


def test_forward_relations_read_and_write_as_primary_keys(api, mission_world):
    crew = mission_world["crew"]
    response = api.get(f"/api/staff/crews/{crew.pk}")
    assert response.json()["lead"] == mission_world["pilot"].pk
    members = [mission_world["pilot"].pk, mission_world["doctor"].pk]
    assert sorted(response.json()["astronauts"]) == sorted(members)

    response = api.post("/api/missions/", {
        "code": "M1", "name": "Apollo", "crew": crew.pk, "rocket": mission_world["rocket"].pk,
        "station": mission_world["station"].pk,
    })
    assert response.status_code == 201, response.json()
    assert response.json()["launch_date"] == datetime.date.today().isoformat()
    assert Mission.objects.get(code="M1").crew == crew

    response = api.patch(f"/api/staff/crews/{crew.pk}/", {"astronauts": [mission_world["doctor"].pk]})
    assert response.status_code == 200
    assert list(crew.astronauts.all()) == [mission_world["doctor"]]


def test_an_unknown_related_pk_is_a_400_naming_the_field(api, mission_world):
    response = api.post("/api/missions/", {
        "code": "M2", "name": "Nope", "crew": 999, "rocket": mission_world["rocket"].pk,
        "station": mission_world["station"].pk,
    })
    assert response.status_code == 400
    assert "crew" in response.json()
    assert not Mission.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"code": "X" * 11, "name": "Long", "price": 1}, "code", "no more than 10 characters"),
        ({"code": "Z", "name": "Zero", "price": 0}, "price", "greater than 0"),
        ({"code": "Z", "name": "Word", "price": "cheap"}, "price", "A valid number is required"),
        ({"name": "No code", "price": 1}, "code", "This field is required"),
    ],
)
def test_validation_errors_name_the_field(api, payload, field, message):
    response = api.post("/api/assets/materials/", payload)
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not Material.objects.exists()


def test_choices_are_validated(api):
    response = api.post("/api/staff/astronauts/", {"code": "A9", "name": "Cy", "role": "captain"})
    assert response.status_code == 400
    assert '"captain" is not a valid choice.' in response.json()["role"][0]


def test_a_unique_violation_is_a_400_naming_the_field(api):
    Material.objects.create(code="STEEL", name="Steel", price=1)
    response = api.post("/api/assets/materials/", {"code": "STEEL", "name": "Again", "price": 2})
    assert response.status_code == 400
    assert "already exists" in response.json()["code"][0]


def test_a_unique_together_violation_is_a_400(api):
    author = Author.objects.create(name="Ann", email="ann@example.com")
    book = Book.objects.create(title="T", isbn="1", price=Decimal("1.00"), author=author)
    Review.objects.create(book=book, reviewer="Zed", stars=3)
    response = api.post("/api/library/reviews/", {"book": book.pk, "reviewer": "Zed", "stars": 4})
    assert response.status_code == 400
    assert "unique" in str(response.json()).lower()


def test_a_database_constraint_that_slips_past_validation_is_a_409_not_a_500(api, monkeypatch):
    from cruddy_django.validators import GreaterThanValidator

    # Simulate a race: validation passes, the database's check constraint refuses the row.
    monkeypatch.setattr(GreaterThanValidator, "compare", lambda self, a, b: False)
    response = api.post("/api/assets/materials/", {"code": "NEG", "name": "Negative", "price": -1})
    assert response.status_code == 409
    assert "constraint" in response.json()["detail"]
    assert not Material.objects.exists()


def test_every_field_type_round_trips(api):
    author = Author.objects.create(name="Ann", email="ann@example.com")
    tag = Tag.objects.create(name="classic")
    payload = {
        "title": "Dune", "isbn": "9780441013593", "pages": 412, "price": "9.99", "rating": 4.5,
        "published": "1965-08-01", "available": False, "metadata": {"series": "Dune", "n": 1},
        "duration": "01:30:00", "reading_time": "20:15:00", "website": "https://example.com/dune",
        "genre": "science", "author": author.pk, "tags": [tag.pk],
    }
    response = api.post("/api/library/books/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    for key, value in payload.items():
        assert body[key] == value, key
    assert body["created_at"].endswith("Z")
    assert len(body["uuid"]) == 36
    book = Book.objects.get(pk=body["id"])
    assert book.price == Decimal("9.99")
    assert book.duration == datetime.timedelta(hours=1, minutes=30)


def test_read_only_fields_are_ignored_on_write(api):
    author = Author.objects.create(name="Ann", email="ann@example.com")
    response = api.post("/api/library/books/", {
        "title": "T", "isbn": "2", "price": "1.00", "author": author.pk,
        "created_at": "2000-01-01T00:00:00Z", "id": 12345,
    })
    assert response.status_code == 201
    assert response.json()["id"] != 12345
    assert not response.json()["created_at"].startswith("2000")


def test_natural_primary_keys_appear_as_id_and_in_urls(api):
    Country.objects.create(code="FR", name="France")
    response = api.get("/api/geo/countries/FR/")
    assert response.json() == {"id": "FR", "code": "FR", "name": "France"}
    assert api.patch("/api/geo/countries/FR", {"name": "République française"}).status_code == 200
    assert Country.objects.get().name == "République française"


def test_a_disabled_action_is_a_405(api):
    author = Author.objects.create(name="Ann", email="ann@example.com")
    book = Book.objects.create(title="T", isbn="1", price=Decimal("1.00"), author=author)
    review = Review.objects.create(book=book, reviewer="Zed", stars=3)
    response = api.delete(f"/api/library/reviews/{review.pk}/")
    assert response.status_code == 405
    assert "'destroy' is disabled" in response.json()["detail"]
    assert Review.objects.filter(pk=review.pk).exists()


def test_a_protected_delete_is_a_409_naming_the_blocking_rows(api, mission_world):
    Mission.objects.create(code="M1", name="A", crew=mission_world["crew"], rocket=mission_world["rocket"],
                           station=mission_world["station"])
    response = api.delete(f"/api/assets/rockets/{mission_world['rocket'].pk}/")
    assert response.status_code == 409
    assert "1 missions" in response.json()["detail"]
    assert Rocket.objects.filter(pk=mission_world["rocket"].pk).exists()


@pytest.mark.parametrize(
    "body", ["{bad json", "[1, 2", '"just a string"'],
)
def test_malformed_bodies_are_400(api, body):
    response = api.generic("POST", "/api/assets/materials/", body, content_type="application/json")
    assert response.status_code == 400


def test_a_missing_row_is_a_404(api):
    assert api.get("/api/assets/materials/999/").status_code == 404
    assert api.get("/api/assets/materials/not-a-number/").status_code == 404


def test_natural_primary_keys_are_set_on_create(api):
    response = api.post("/api/geo/countries/", {"code": "DE", "name": "Germany"})
    assert response.status_code == 201
    assert response.json()["id"] == "DE"
    assert api.post("/api/geo/countries/", {"code": "DE", "name": "Again"}).status_code == 400
