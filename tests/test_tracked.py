"""The Tracked mixin: created/updated at and by, filled from the request, never from the client."""

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from cruddy_django.policies import allow_any
from tests.writeapp.models import Memo

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(signed_in_api):
    """Writes need a signed-in user (the default policies); reads behave the same for it."""
    return signed_in_api


@pytest.fixture
def users():
    return User.objects.create_user("ann"), User.objects.create_user("bob")


def test_create_and_update_stamp_the_user(api, users):
    ann, bob = users
    api.force_authenticate(ann)
    response = api.post("/api/w/memos/", {"text": "hi", "created_by": bob.pk, "updated_by": bob.pk,
                                          "created_at": "2000-01-01T00:00:00Z"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["created_by"], body["updated_by"]) == (ann.pk, ann.pk)
    assert not body["created_at"].startswith("2000")
    api.force_authenticate(bob)
    response = api.patch(f"/api/w/memos/{body['id']}/", {"text": "edited", "created_by": bob.pk},
                         format="json")
    assert (response.json()["created_by"], response.json()["updated_by"]) == (ann.pk, bob.pk)
    assert response.json()["updated_at"] > body["updated_at"]


def test_bulk_writes_stamp_every_row(api, users):
    ann, bob = users
    api.force_authenticate(ann)
    api.post("/api/w/memos/", [{"text": "a"}, {"text": "b"}], format="json")
    api.force_authenticate(bob)
    stamp = Memo.objects.get(text="a").updated_at
    response = api.patch("/api/w/memos/?text__in=a,b", {"text": "c"}, format="json")
    assert response.status_code == 200
    memo = Memo.objects.first()
    assert {(m.created_by_id, m.updated_by_id) for m in Memo.objects.all()} == {(ann.pk, bob.pk)}
    assert memo.updated_at > stamp
    response = api.put("/api/w/memos/", [{"id": memo.pk, "text": "d"}], format="json")
    assert response.status_code == 200


def test_anonymous_writes_leave_the_user_empty(reconfigure):
    reconfigure(Memo, policies={"create": [allow_any]})  # the default policies refuse anonymous writes
    response = APIClient().post("/api/w/memos/", {"text": "anon"}, format="json")
    assert (response.json()["created_by"], response.json()["updated_by"]) == (None, None)
