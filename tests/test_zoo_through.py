"""Many-to-many relations through a model, in write bodies and relation routes: the join rows are created with
the through model's defaults, unknown pks are refused, and a through model whose columns have no default is
refused with a 400 that says where to write its rows."""

import pytest
from django.contrib.auth.models import User

from tests.zoo.models import Authorship, Member, Publication, Shelf, Writer

pytestmark = pytest.mark.django_db

PUBLICATIONS, SHELVES = "/api/zoo/publications/", "/api/zoo/shelfs/"


@pytest.fixture
def staff(api):
    api.force_authenticate(User.objects.create_user("staff", is_staff=True))


@pytest.fixture
def writers():
    return Writer.objects.create(name="Ann"), Writer.objects.create(name="Bob")


def links():
    return sorted(Authorship.objects.values_list("publication__isbn", "writer__name", "role", "position"))


def test_a_post_creates_the_through_rows_with_their_defaults(api, staff, writers):
    ann, bob = writers
    response = api.post(PUBLICATIONS, {"title": "Dune", "isbn": "1", "writers": [ann.pk, bob.pk]}, format="json")
    assert response.status_code == 201
    assert response.json()["writers"] == [ann.pk, bob.pk]
    assert links() == [("1", "Ann", "author", 0), ("1", "Bob", "author", 0)]


def test_an_update_replaces_them_and_a_bulk_create_writes_them_all(api, staff, writers):
    ann, bob = writers
    response = api.post(PUBLICATIONS, [{"title": "A", "isbn": "1", "writers": [ann.pk]},
                                       {"title": "B", "isbn": "2", "writers": [ann.pk, bob.pk]}], format="json")
    assert response.status_code == 201
    pk = response.json()[0]["id"]
    assert api.patch(f"{PUBLICATIONS}{pk}/", {"writers": [bob.pk]}, format="json").json()["writers"] == [bob.pk]
    assert links() == [("1", "Bob", "author", 0), ("2", "Ann", "author", 0), ("2", "Bob", "author", 0)]


def test_unknown_pks_are_refused_and_nothing_is_written(api, staff, writers):
    response = api.post(PUBLICATIONS, {"title": "Dune", "isbn": "1", "writers": [writers[0].pk, 999]},
                        format="json")
    assert response.status_code == 400
    assert response.json() == {"writers": ['Invalid pk "999" - object does not exist.']}
    assert not Publication.objects.exists() and not Authorship.objects.exists()


def test_the_relation_route_writes_through_rows_too(api, staff, writers):
    ann, bob = writers
    publication = Publication.objects.create(title="Dune", isbn="1")
    url = f"{PUBLICATIONS}{publication.pk}/writers/"
    assert api.post(url, [ann.pk], format="json").status_code == 200
    assert [row["name"] for row in api.put(url, [bob.pk, ann.pk], format="json").json()["results"]] == ["Ann", "Bob"]
    assert api.delete(url, [ann.pk], format="json").status_code == 200
    assert links() == [("1", "Bob", "author", 0)]


def test_the_reverse_side_writes_through_rows_too(api, staff, writers):
    publication = Publication.objects.create(title="Dune", isbn="1")
    response = api.put(f"/api/zoo/writers/{writers[0].pk}/publications/", [publication.pk], format="json")
    assert response.status_code == 200
    assert links() == [("1", "Ann", "author", 0)]


def test_a_through_model_without_defaults_is_refused_naming_where_to_write(api, staff):
    member = Member.objects.create(email="m@x.org", name="Mia")
    message = ("'sponsors' links through Sponsorship, whose 'amount' has no default: write its rows as "
               "'sponsorships' in the body, or on /zoo/shelfs/<pk>/sponsorships/.")
    response = api.post(SHELVES, {"label": "Top", "sponsors": [member.pk]}, format="json")
    assert response.status_code == 400 and response.json() == {"sponsors": [message]}
    assert not Shelf.objects.exists()
    shelf = Shelf.objects.create(label="Top")
    response = api.put(f"{SHELVES}{shelf.pk}/sponsors/", [member.pk], format="json")
    assert response.status_code == 400 and response.json() == {"sponsors": [message]}
