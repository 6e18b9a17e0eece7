"""The attacker's tests for relation writes: a user who may change a shared folder must never detach, unlink,
delete or name the rows of another user that hang off it, through relation routes or write bodies."""

import pytest
from django.contrib.auth.models import User

from tests.secureapp.models import Badge, Clip, Doc, Folder, Pin

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(api):
    alice = User.objects.create_user("alice")
    bob = User.objects.create_user("bob")
    folder = Folder.objects.create(name="Shared")
    rows = {
        "alice": alice, "bob": bob, "folder": folder,
        "alice_doc": Doc.objects.create(name="a-doc", folder=folder, owner=alice),
        "bob_doc": Doc.objects.create(name="b-doc", folder=folder, owner=bob),
        "alice_clip": Clip.objects.create(name="a-clip", folder=folder, owner=alice),
        "bob_clip": Clip.objects.create(name="b-clip", folder=folder, owner=bob),
        "bob_pin": Pin.objects.create(name="b-pin", folder=folder, owner=bob),
        "alice_badge": Badge.objects.create(name="a-badge", owner=alice),
        "bob_badge": Badge.objects.create(name="b-badge", owner=bob),
    }
    folder.badges.set([rows["alice_badge"], rows["bob_badge"]])
    api.force_authenticate(alice)
    return rows


def url(shared, relation):
    return f"/api/secure/folders/{shared['folder'].pk}/{relation}/"


def test_replacing_a_cascading_relation_deletes_only_rows_in_scope(api, shared):
    response = api.put(url(shared, "docs"), [], format="json")
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []
    assert not Doc.objects.filter(pk=shared["alice_doc"].pk).exists()
    assert Doc.objects.filter(pk=shared["bob_doc"].pk, folder=shared["folder"]).exists()


def test_replacing_a_nullable_relation_unlinks_only_rows_in_scope(api, shared):
    assert api.put(url(shared, "clips"), [], format="json").status_code == 200
    assert Clip.objects.get(pk=shared["alice_clip"].pk).folder is None
    assert Clip.objects.get(pk=shared["bob_clip"].pk).folder == shared["folder"]


def test_replacing_a_many_to_many_unlinks_only_rows_in_scope(api, shared):
    assert api.put(url(shared, "badges"), [], format="json").status_code == 200
    assert list(shared["folder"].badges.all()) == [shared["bob_badge"]]


def test_adding_and_removing_keep_rows_out_of_scope(api, shared):
    new = Badge.objects.create(name="a-new", owner=shared["alice"])
    assert api.post(url(shared, "badges"), [new.pk], format="json").status_code == 200
    assert set(shared["folder"].badges.all()) == {shared["alice_badge"], shared["bob_badge"], new}
    response = api.delete(url(shared, "badges"), [shared["bob_badge"].pk], format="json")
    assert response.status_code == 400
    assert response.json() == {"badges": [f"No badge with id {shared['bob_badge'].pk}."]}
    assert shared["bob_badge"] in shared["folder"].badges.all()


def test_a_protected_relation_never_names_rows_out_of_scope(api, shared):
    """Bob's pin cannot leave the folder, but Alice does not see it: replacing her (empty) view of the pins
    succeeds and leaves his pin alone; a pin of hers is refused, naming only hers."""
    assert api.put(url(shared, "pins"), [], format="json").status_code == 200
    assert Pin.objects.filter(pk=shared["bob_pin"].pk, folder=shared["folder"]).exists()
    alice_pin = Pin.objects.create(name="a-pin", folder=shared["folder"], owner=shared["alice"])
    response = api.put(url(shared, "pins"), [], format="json")
    assert response.status_code == 400
    message = response.json()["pins"][0]
    assert message.startswith(f"Cannot take {alice_pin.pk} out of 'pins'")
    assert str(shared["bob_pin"].pk) not in message.split("out of")[0]


def test_the_same_holds_through_write_bodies(api, shared):
    response = api.patch(f"/api/secure/folders/{shared['folder'].pk}/",
                         {"docs": [], "clips": [], "badges": []}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["docs"] == [] and response.json()["badges"] == []
    assert Doc.objects.filter(pk=shared["bob_doc"].pk, folder=shared["folder"]).exists()
    assert not Doc.objects.filter(pk=shared["alice_doc"].pk).exists()
    assert Clip.objects.get(pk=shared["bob_clip"].pk).folder == shared["folder"]
    assert list(shared["folder"].badges.all()) == [shared["bob_badge"]]


def test_write_bodies_cannot_name_rows_out_of_scope(api, shared):
    response = api.patch(f"/api/secure/folders/{shared['folder'].pk}/",
                         {"docs": [shared["bob_doc"].pk]}, format="json")
    assert response.status_code == 400
    assert "does not exist" in response.json()["docs"][0]


def test_staff_see_and_replace_every_member(api, shared):
    api.force_authenticate(User.objects.create_user("boss", is_staff=True))
    assert api.put(url(shared, "badges"), [shared["alice_badge"].pk], format="json").status_code == 200
    assert list(shared["folder"].badges.all()) == [shared["alice_badge"]]
    assert api.put(url(shared, "docs"), [], format="json").status_code == 200
    assert not Doc.objects.filter(folder=shared["folder"]).exists()


@pytest.mark.parametrize("fast", [True, False])
def test_member_pks_list_only_rows_in_scope(api, shared, settings, fast):
    settings.CRUDDY_DJANGO = {**settings.CRUDDY_DJANGO, "FAST_READS": fast}
    row = api.get(f"/api/secure/folders/{shared['folder'].pk}/").json()
    assert (row["docs"], row["clips"], row["pins"], row["badges"]) == (
        [shared["alice_doc"].pk], [shared["alice_clip"].pk], [], [shared["alice_badge"].pk])
    options = api.options(f"/api/secure/folders/{shared['folder'].pk}/")
    assert options.status_code == 200
