"""Uniqueness and keys: ``_check`` answers as the write would (a field of a conditional UniqueConstraint is
checked with the fields of its condition, sent, stored or defaulted; a natural primary key that exists is taken),
and an upsert on a model with no key is refused rather than duplicating rows."""

import pytest

from tests.zoo.models import Language, Loose

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db):
    """A signed-in user without staff rights: the writes here are not about anonymous users."""
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(User.objects.create_user("writer"))
    return client


def check(api, url, item, path):
    response = api.post(url, {"item": item, "path": path}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()["error"]


@pytest.fixture
def looses():
    active = Loose.objects.create(name="a", tag="taken")
    Loose.objects.create(name="b", tag="old", active=False)
    return active


@pytest.mark.parametrize(("item", "error"), [
    ({"tag": "taken"}, "Loose with this tag already exists."),  # active by default: the constraint applies
    ({"tag": "taken", "active": True}, "Loose with this tag already exists."),
    ({"tag": "taken", "active": False}, None),  # outside the condition
    ({"tag": "old"}, None), ({"tag": "new"}, None),
])
def test_a_conditional_unique_field(api, looses, item, error):
    assert check(api, "/api/zoo/looses/_check", item, "tag") == error


def test_the_stored_row_is_not_its_own_duplicate(api, looses):
    assert check(api, "/api/zoo/looses/_check", {"id": looses.pk, "tag": "taken"}, "tag") is None


def test_a_natural_primary_key_that_exists_is_taken_on_create(api):
    Language.objects.create(code="en", name="English")
    url = "/api/zoo/languages/_check"
    assert check(api, url, {"code": "en"}, "code") == "language with this code already exists."
    assert check(api, url, {"code": "fr"}, "code") is None
    assert check(api, url, {"id": "en", "code": "en"}, "code") is None  # an update of that row
    assert api.post("/api/zoo/languages/", {"code": "en", "name": "E"}, format="json").status_code == 400


def test_an_upsert_without_a_key_is_refused_not_duplicated(api, looses):
    response = api.put("/api/zoo/looses/", [{"id": looses.pk, "name": "renamed"}, {"name": "new", "tag": "n"}],
                       format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith(
        "looses has no key to match items on (no unique field, no upsert_keys), and item(s) 1 carry no id.")
    assert Loose.objects.count() == 2 and Loose.objects.get(pk=looses.pk).name == "a"
    response = api.put("/api/zoo/looses/", [{"id": looses.pk, "name": "renamed"}], format="json")
    assert response.status_code == 200 and Loose.objects.get(pk=looses.pk).name == "renamed"


@pytest.mark.parametrize("rows", [2, 8])
def test_a_bulk_update_reads_the_stored_relations_of_unique_sets_with_the_rows(api, rows, django_assert_num_queries):
    """DRF's unique-together check compares each updated row's stored relations with the new values: they are
    loaded with the rows, not one by one. (The check itself still asks the database once per row.)"""
    from tests.zoo.models import Authorship, Publication, Writer

    first = Publication.objects.create(title="First", isbn="1")
    second = Publication.objects.create(title="Second", isbn="2")
    for index in range(rows):
        Authorship.objects.create(writer=Writer.objects.create(name=f"w{index}"), publication=first)
    with django_assert_num_queries(QUERIES_OF_A_BULK_UPDATE + rows):
        response = api.patch("/api/zoo/authorships/?.role=author", {"publication": second.pk, "position": 3},
                             format="json")
    assert response.status_code == 200, response.json()
    assert set(Authorship.objects.values_list("publication", "position")) == {(second.pk, 3)}



# Savepoint, the rows with their relations, the new publication, the update, the rows read back, release.
QUERIES_OF_A_BULK_UPDATE = 6
