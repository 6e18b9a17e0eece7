"""A write may not leave a row outside the request's scope: creating a row the user could not then see (another
user's), or changing one so that it leaves the user's reach, is a 403 and nothing is written -- as PostgreSQL's
row-level security checks new rows against its policy. Single rows, arrays, filtered updates, upserts and
nested rows alike."""

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.secureapp.models import Badge, Clip, Folder

pytestmark = pytest.mark.django_db

OUTSIDE = "would be outside the rows this request may see"


@pytest.fixture
def people():
    return {name: User.objects.create_user(name, is_staff=name == "staff") for name in ("alice", "bob", "staff")}


@pytest.fixture
def alice(people):
    client = APIClient()
    client.force_authenticate(people["alice"])
    return client


def test_a_row_for_another_user_is_refused(alice, people):
    response = alice.post("/api/secure/badges/", {"name": "b", "owner": people["bob"].pk}, format="json")
    assert (response.status_code, response.json()) == (403, {
        "detail": f"The row {OUTSIDE}: you may not create it so."})
    assert not Badge.objects.exists()
    response = alice.post("/api/secure/badges/", {"name": "mine", "owner": people["alice"].pk}, format="json")
    assert response.status_code == 201
    assert list(Badge.objects.values_list("name", "owner")) == [("mine", people["alice"].pk)]


def test_a_row_may_not_be_moved_out_of_reach(alice, people):
    badge = Badge.objects.create(name="mine", owner=people["alice"])
    response = alice.patch(f"/api/secure/badges/{badge.pk}/", {"owner": people["bob"].pk}, format="json")
    assert (response.status_code, response.json()) == (403, {
        "detail": f"The row {OUTSIDE}: you may not change it so."})
    badge.refresh_from_db()
    assert badge.owner == people["alice"]


def test_an_array_is_refused_whole_naming_the_items(alice, people):
    body = [{"name": "a", "owner": people["alice"].pk}, {"name": "b", "owner": people["bob"].pk},
            {"name": "c", "owner": None}]
    response = alice.post("/api/secure/badges/", body, format="json")
    assert (response.status_code, response.json()) == (403, {
        "detail": f"Item(s) 1, 2 {OUTSIDE}: you may not create them so."})
    assert not Badge.objects.exists()


def test_a_filtered_update_is_refused_whole(alice, people):
    first = Badge.objects.create(name="first", owner=people["alice"])
    second = Badge.objects.create(name="second", owner=people["alice"])
    response = alice.patch("/api/secure/badges/?.name=like~*", {"owner": people["bob"].pk}, format="json")
    assert response.status_code == 403
    assert OUTSIDE in response.json()["detail"]
    assert set(Badge.objects.values_list("pk", "owner")) == {(first.pk, people["alice"].pk),
                                                             (second.pk, people["alice"].pk)}


def test_nested_rows_are_held_to_their_own_scope(alice, people):
    response = alice.post("/api/secure/folders/", {"name": "f", "clips": [{"name": "c", "owner": people["bob"].pk}]},
                          format="json")
    assert response.status_code == 403
    assert OUTSIDE in response.json()["detail"]
    assert not Folder.objects.exists() and not Clip.objects.exists()


def test_staff_see_every_row_and_may_write_any(people):
    client = APIClient()
    client.force_authenticate(people["staff"])
    response = client.post("/api/secure/badges/", [{"name": "b", "owner": people["bob"].pk}], format="json")
    assert response.status_code == 201
    assert Badge.objects.get().owner == people["bob"]


def test_an_upsert_is_held_to_the_scope_too(alice, people):
    badge = Badge.objects.create(name="mine", owner=people["alice"])
    response = alice.put("/api/secure/badges/", [{"id": badge.pk, "name": "mine", "owner": people["bob"].pk}],
                         format="json")
    assert response.status_code == 403
    assert OUTSIDE in response.json()["detail"]
    badge.refresh_from_db()
    assert badge.owner == people["alice"]
