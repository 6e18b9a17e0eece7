"""The attacker's tests for writes the database would refuse: a column the request leaves empty and items of
one array that collide on a (conditional) unique constraint are 400s naming the field and the item, never the
database's raw message as a 409; nothing is written."""

import pytest
from django.db.models.signals import pre_save

from tests.secureapp.models import Booking

pytestmark = pytest.mark.django_db

URL = "/api/secure/bookings/"
REQUIRED = "The database requires a value for 'seats', and this request gives it none."


@pytest.fixture
def api(signed_in_api):
    return signed_in_api


@pytest.fixture
def seats_filled():
    """A receiver fills the column the API does not expose, as a project would."""
    def fill(sender, instance, **kwargs):
        if instance.seats is None:
            instance.seats = 2

    pre_save.connect(fill, sender=Booking, dispatch_uid="test-fill-seats")
    yield
    pre_save.disconnect(sender=Booking, dispatch_uid="test-fill-seats")


@pytest.mark.parametrize(("method", "body", "errors"), [
    ("post", {"room": "A", "day": "2024-01-01"}, {"seats": [REQUIRED]}),
    ("post", [{"room": "A", "day": "2024-01-01"}, {"room": "B", "day": "2024-01-01"}],
     {"0": {"seats": [REQUIRED]}, "1": {"seats": [REQUIRED]}}),
    ("put", [{"room": "A", "day": "2024-01-01"}], {"0": {"seats": [REQUIRED]}}),
])
def test_a_required_column_left_empty_is_a_400_naming_field_and_item(api, method, body, errors):
    response = getattr(api, method)(URL, body, format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert not Booking.objects.exists()


def test_a_required_column_left_empty_by_a_row_by_row_save_is_a_400_too(api):
    """A receiver that fills nothing: the database refuses, and its NOT NULL error becomes the same 400."""
    pre_save.connect(lambda **kwargs: None, sender=Booking, weak=False, dispatch_uid="test-noop")
    try:
        response = api.post(URL, {"room": "A", "day": "2024-01-01"}, format="json")
    finally:
        pre_save.disconnect(sender=Booking, dispatch_uid="test-noop")
    assert (response.status_code, response.json()) == (400, {"seats": [REQUIRED]})


@pytest.mark.parametrize("method", ["post", "put"])
def test_items_colliding_on_a_conditional_unique_constraint_are_a_400(api, seats_filled, method):
    body = [{"room": "A", "day": "2024-01-01"}, {"room": "B", "day": "2024-01-01"},
            {"room": "A", "day": "2024-01-01"}]
    response = getattr(api, method)(URL, body, format="json")
    assert response.status_code == 400
    key = "room" if method == "put" else "non_field_errors"  # an upsert matches items by its keys first
    assert response.json() == {"2": {key: ["Item 0 of this request has the same room, day."]}}
    assert not Booking.objects.exists()


def test_items_outside_the_condition_do_not_collide(api, seats_filled):
    body = [{"room": "A", "day": "2024-01-01", "active": False}, {"room": "A", "day": "2024-01-01"},
            {"room": "A", "day": "2024-01-01", "active": False}]
    response = api.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    assert Booking.objects.count() == 3


def test_an_item_colliding_with_a_stored_row_is_named_too(api, seats_filled):
    Booking.objects.create(room="A", day="2024-01-01", seats=1)
    response = api.post(URL, [{"room": "B", "day": "2024-01-01"}, {"room": "A", "day": "2024-01-01"}],
                        format="json")
    assert response.status_code == 400
    assert response.json() == {"1": {"non_field_errors": ["The fields room, day must make a unique set."]}}
