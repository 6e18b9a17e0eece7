"""Delete strategies: the model's on_delete by default, the resource's on_delete option over it; a blocked
delete is a 409 that names the relation and deletes nothing."""

import pytest

from example_project.ops.models import Mission, Station
from tests.writeapp.models import Dog, Kennel, Owner, Pet, Toy

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(signed_in_api):
    """Writes need a signed-in user (the default policies); reads behave the same for it."""
    return signed_in_api


@pytest.fixture
def kennels():
    full, empty = Kennel.objects.create(name="Full"), Kennel.objects.create(name="Empty")
    Dog.objects.bulk_create([Dog(name="Rex", kennel=full), Dog(name="Max", kennel=full)])
    return full, empty


@pytest.fixture
def strategy(reconfigure):
    def set_strategy(model, **on_delete):
        reconfigure(model, on_delete=on_delete)

    return set_strategy


def test_a_protected_relation_blocks_the_delete_with_a_409_naming_it(api, kennels):
    full, _empty = kennels
    response = api.delete(f"/api/w/kennels/{full.pk}/")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This kennel cannot be deleted: still referenced by 2 dogs through 'dogs' "
        "(the relation is protected).")
    assert Dog.objects.count() == 2 and Kennel.objects.count() == 2


def test_a_blocked_bulk_delete_deletes_nothing(api, kennels):
    response = api.delete("/api/w/kennels/?name__in=Full,Empty")
    assert response.status_code == 409
    assert response.json()["detail"].startswith(
        "These 2 kennels cannot be deleted: still referenced by 2 dogs")
    assert Kennel.objects.count() == 2
    assert api.delete("/api/w/kennels/?name=Empty").status_code == 204


def test_cascade_deletes_the_referenced_rows_first(api, kennels, strategy):
    strategy(Kennel, dogs="cascade")
    full, _empty = kennels
    assert api.delete(f"/api/w/kennels/{full.pk}/").status_code == 204
    assert not Dog.objects.exists()


def test_must_be_empty_overrides_set_null(api, strategy):
    strategy(Owner, pets="must_be_empty")
    owner = Owner.objects.create(code="O", name="O")
    Pet.objects.create(name="Rex", owner=owner)
    response = api.delete(f"/api/w/owners/{owner.pk}/")
    assert response.status_code == 409
    assert "1 pets through 'pets' (the resource requires it to be empty)" in response.json()["detail"]
    assert Owner.objects.exists()


def test_unlink_keeps_the_referenced_rows(api, strategy):
    strategy(Owner, pets="unlink", toys="cascade")
    owner = Owner.objects.create(code="O", name="O")
    pet = Pet.objects.create(name="Rex", owner=owner)
    Toy.objects.create(name="Ball", owner=owner)
    assert api.delete(f"/api/w/owners/{owner.pk}/").status_code == 204
    pet.refresh_from_db()
    assert pet.owner is None and not Toy.objects.exists()


def test_unlink_of_a_required_link_is_a_409(api, kennels, strategy):
    strategy(Kennel, dogs="unlink")
    full, _empty = kennels
    response = api.delete(f"/api/w/kennels/{full.pk}/")
    assert response.status_code == 409
    assert "cannot be unlinked" in response.json()["detail"]
    assert Dog.objects.count() == 2


def test_a_protect_deeper_in_a_cascade_is_a_409_too(api, strategy):
    from example_project.assets.models import Rocket
    from example_project.staff.models import Crew

    strategy(Station, missions="cascade")
    station = Station.objects.create(code="S", name="S")
    Mission.objects.create(code="M", name="M", station=station, crew=Crew.objects.create(code="C", name="C"),
                           rocket=Rocket.objects.create(code="R", name="R"))
    assert api.delete(f"/api/stations/{station.pk}/").status_code == 204
    assert not Mission.objects.exists()
