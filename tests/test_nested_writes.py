"""Nested writes (DESIGN.md §2): a rocket with its parts, a crew with its astronauts, a publication with its
authorships in one request — atomic, validated first, errors keyed by path, each row under its own resource's
policies, scope and field rules, each row through the writer (signals once per row)."""

import pytest
from django.contrib.auth.models import User

from cruddy_django import signals
from cruddy_django.policies import deny_all
from example_project.assets.models import Material, Rocket, RocketPart
from example_project.staff.models import Astronaut, Crew
from tests.secureapp.models import Employee, Team
from tests.writeapp.models import Owner, Pet, Toy
from tests.zoo.models import Authorship, Comment, Member, Passport, Publication, Writer

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db):
    """A signed-in user without staff rights: the writes here are not about anonymous users."""
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(User.objects.create_user("writer"))
    return client

ROCKETS = "/api/assets/rockets/"


@pytest.fixture
def steel():
    return Material.objects.create(code="ST", name="Steel", price=2)


def saturn(steel, **extra):
    return {"code": "SAT-V", "name": "Saturn V", "parts": [
        {"code": "S-IC", "material": steel.pk, "quantity": 5},
        {"code": "S-II", "material": {"code": "AL", "name": "Aluminium", "price": 3.5}, "quantity": 2}], **extra}


def parts():
    return sorted(RocketPart.objects.values_list("rocket__code", "code", "material__code", "quantity"))


def test_a_rocket_with_its_parts_in_one_post(api, steel):
    response = api.post(f"{ROCKETS}?expand=parts.material", saturn(steel), format="json")
    assert response.status_code == 201, response.json()
    rocket = response.json()
    assert [(part["code"], part["material"]["code"]) for part in rocket["parts"]] == [("S-IC", "ST"),
                                                                                      ("S-II", "AL")]
    assert rocket["price"] == 2 * 5 + 3.5 * 2  # the computed price sees the parts
    assert parts() == [("SAT-V", "S-IC", "ST", 5), ("SAT-V", "S-II", "AL", 2)]


def test_errors_are_keyed_by_path_and_nothing_is_written(api, steel):
    body = {"code": "X", "name": "X", "parts": [
        {"code": "A", "material": steel.pk, "quantity": 1},
        {"code": "B", "material": 999, "quantity": "many"},
        {"code": "C", "material": {"code": "ST", "price": -1}, "quantity": 1}]}
    response = api.post(ROCKETS, body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "parts[1].material": ['Invalid pk "999" - object does not exist.'],
        "parts[1].quantity": ["A valid integer is required."],
        "parts[2].material.code": ["material with this code already exists."],
        "parts[2].material.name": ["This field is required."],
        "parts[2].material.price": ["Ensure this value is greater than 0."]}
    assert not Rocket.objects.exists() and Material.objects.count() == 1


def test_siblings_that_would_collide_are_refused_by_path(api, steel):
    body = {"code": "X", "name": "X", "parts": [{"code": "A", "material": steel.pk, "quantity": 1},
                                                {"code": "A", "material": {"code": "AL", "name": "Al", "price": 1},
                                                 "quantity": 1}]}
    response = api.post(ROCKETS, body, format="json")
    assert response.status_code == 400
    assert response.json() == {"parts[1].code": ["Item 0 of 'parts' has the same code."]}


def test_an_update_replaces_the_members(api, steel):
    rocket = api.post(ROCKETS, saturn(steel), format="json").json()
    first = RocketPart.objects.get(code="S-IC")
    aluminium = Material.objects.get(code="AL")
    body = {"parts": [{"id": first.pk, "quantity": 7},
                      {"code": "S-IVB", "material": {"id": aluminium.pk, "price": 9}, "quantity": 1}]}
    response = api.patch(f"{ROCKETS}{rocket['id']}/?expand=parts", body, format="json")
    assert response.status_code == 200, response.json()
    assert [part["code"] for part in response.json()["parts"]] == ["S-IC", "S-IVB"]
    assert parts() == [("SAT-V", "S-IC", "ST", 7), ("SAT-V", "S-IVB", "AL", 1)]  # S-II left: deleted (CASCADE)
    assert Material.objects.get(code="AL").price == 9  # the nested object with an id was updated
    assert api.patch(f"{ROCKETS}{rocket['id']}/", {"parts": []}, format="json").status_code == 200
    assert parts() == []


def test_members_left_out_are_unlinked_when_they_may_be(api):
    owner = Owner.objects.create(code="O", name="Olga")
    kept, dropped = Pet.objects.create(name="Rex", owner=owner), Pet.objects.create(name="Tom", owner=owner)
    toy = Toy.objects.create(name="Ball", owner=owner)
    response = api.patch(f"/api/w/owners/{owner.pk}/", {"pets": [kept.pk, {"name": "Kit"}],
                                                        "toys": [{"id": toy.pk, "name": "Bone"}]}, format="json")
    assert response.status_code == 200, response.json()
    assert sorted(owner.pets.values_list("name", flat=True)) == ["Kit", "Rex"]
    assert Pet.objects.get(pk=dropped.pk).owner is None  # nullable: unlinked, not deleted
    assert list(owner.toys.values_list("name", flat=True)) == ["Bone"]


def test_a_crew_with_its_astronauts_and_its_lead(api):
    known = Astronaut.objects.create(code="K", name="Kim", role="pilot")
    body = {"code": "C1", "name": "One", "lead": {"code": "L", "name": "Lea", "role": "pilot"},
            "astronauts": [known.pk, {"code": "N", "name": "Ned", "role": "doctor"}, {"id": known.pk, "name": "Kai"}]}
    response = api.post("/api/staff/crews/?expand=lead,astronauts", body, format="json")
    assert response.status_code == 201, response.json()
    crew = response.json()
    assert crew["lead"]["name"] == "Lea"
    assert sorted(astronaut["name"] for astronaut in crew["astronauts"]) == ["Kai", "Ned"]
    assert Crew.objects.get().astronauts.count() == 2 and Astronaut.objects.count() == 3


def test_a_publication_with_its_authorships_writers_and_comments(api):
    api.force_authenticate(User.objects.create_user("staff", is_staff=True))
    ann = Writer.objects.create(name="Ann")
    body = {"title": "Dune", "isbn": "1",
            "authorships": [{"writer": ann.pk, "role": "editor", "position": 2}, {"writer": {"name": "Bob"}}],
            "comments": [{"text": "Great"}]}
    response = api.post("/api/zoo/publications/?expand=authorships,comments", body, format="json")
    assert response.status_code == 201, response.json()
    publication = response.json()
    assert [(row["role"], row["position"]) for row in publication["authorships"]] == [("editor", 2), ("author", 0)]
    assert publication["comments"][0]["target"] == {"type": "zoo/publications", "id": publication["id"]}
    assert sorted(Authorship.objects.values_list("writer__name", "role")) == [("Ann", "editor"), ("Bob", "author")]
    assert Comment.objects.get().target == Publication.objects.get()


def test_a_reverse_one_to_one_is_replaced(api):
    member = Member.objects.create(email="m@x.org", name="Mia")
    assert api.patch(f"/api/zoo/members/{member.pk}/", {"passport": {"number": "P1"}}, format="json").status_code \
        == 200
    response = api.patch(f"/api/zoo/members/{member.pk}/?fields=passport.number", {"passport": {"number": "P2"}},
                         format="json")
    assert response.json() == {"passport": {"number": "P2"}}
    assert list(Passport.objects.values_list("number", flat=True)) == ["P2"]  # the old one cannot live alone
    assert api.patch(f"/api/zoo/members/{member.pk}/", {"passport": None}, format="json").status_code == 200
    assert not Passport.objects.exists()


def test_an_array_of_rows_each_with_its_members_errors_keyed_by_index_then_path(api, steel):
    body = [saturn(steel), {"code": "ARI", "name": "Ariane", "parts": [{"code": "P", "material": steel.pk}]}]
    response = api.post(ROCKETS, body, format="json")
    assert response.status_code == 400
    assert response.json() == {"1": {"parts[0].quantity": ["This field is required."]}}
    body[1]["parts"][0]["quantity"] = 3
    response = api.post(ROCKETS, body, format="json")
    assert response.status_code == 201 and [row["code"] for row in response.json()] == ["SAT-V", "ARI"]
    assert len(parts()) == 3


def test_an_upsert_writes_members_too(api, steel):
    api.post(ROCKETS, saturn(steel), format="json")
    response = api.put(f"{ROCKETS}?expand=parts", [{"code": "SAT-V", "parts": [{"code": "ONE", "material": steel.pk,
                                                                                "quantity": 1}]},
                                                   {"code": "NEW", "name": "New", "parts": []}], format="json")
    assert response.status_code == 200, response.json()
    assert [[part["code"] for part in row["parts"]] for row in response.json()] == [["ONE"], []]


def test_a_filtered_patch_with_members_is_refused(api, steel):
    api.post(ROCKETS, saturn(steel), format="json")
    response = api.patch(f"{ROCKETS}?code=SAT-V", {"parts": []}, format="json")
    assert response.status_code == 400
    assert "related rows are written by POST" in response.json()["detail"]


def test_a_dry_run_writes_nothing(api, steel):
    response = api.post(f"{ROCKETS}?dry_run=true&expand=parts", saturn(steel), format="json")
    assert response.status_code == 200
    assert response.json()["id"] is None and len(response.json()["parts"]) == 2
    assert not Rocket.objects.exists() and not RocketPart.objects.exists() and Material.objects.count() == 1


def test_each_row_passes_its_own_resources_policies(api, steel, reconfigure):
    reconfigure(Material, policies={"create": [deny_all]})
    response = api.post(ROCKETS, saturn(steel), format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "'parts[1].material': you may not create materials."}
    assert not Rocket.objects.exists()
    reconfigure(Material, policies={"partial_update": [deny_all]})
    body = {"code": "X", "name": "X", "parts": [{"code": "A", "material": {"id": steel.pk, "price": 1},
                                                 "quantity": 1}]}
    response = api.post(ROCKETS, body, format="json")
    assert response.status_code == 403 and "you may not change materials" in response.json()["detail"]
    reconfigure(Material, disable={"create"})
    assert api.post(ROCKETS, saturn(steel), format="json").status_code == 403


def test_rows_outside_the_scope_cannot_be_named(api):
    hidden = Employee.objects.create(name="Hidden", public=False)
    team = Team.objects.create(name="T")
    api.force_authenticate(User.objects.create_user("user"))
    for members, errors in (
            ([hidden.pk], {"members": [f'Invalid pk "{hidden.pk}" - object does not exist.']}),  # plain pks
            ([{"id": hidden.pk, "name": "Mine now"}], {"members[0]": [f"No employee with id {hidden.pk}."]}),
            ([hidden.pk, {"name": "New"}], {"members[0]": [f"No employee with id {hidden.pk}."]})):
        response = api.patch(f"/api/secure/teams/{team.pk}/", {"members": members}, format="json")
        assert response.status_code == 400
        assert response.json() == errors
    assert Employee.objects.get(pk=hidden.pk).team is None and Employee.objects.get(pk=hidden.pk).name == "Hidden"


def test_each_row_follows_its_own_field_rules(api):
    team = Team.objects.create(name="T")
    api.force_authenticate(User.objects.create_user("user"))
    response = api.patch(f"/api/secure/teams/{team.pk}/", {"members": [{"name": "New", "salary": 10}]},
                         format="json")
    assert response.status_code == 400
    assert response.json() == {"members[0].salary": ["You may not set this field."]}
    assert not Employee.objects.exists()


def test_relations_off_the_api_take_pks_only(api):
    response = api.post("/api/library/authors/", {"name": "A", "email": "a@x.org", "user": {"username": "u"}},
                        format="json")
    assert response.status_code == 400
    assert response.json() == {"user": ["This relation leads off the API: send the primary key."]}


def test_depth_and_size_are_bounded(api, steel, settings):
    settings.CRUDDY_DJANGO = {"MAX_EXPAND_DEPTH": 1, "MAX_BULK": 100}
    response = api.post(ROCKETS, saturn(steel), format="json")
    assert response.status_code == 400
    assert response.json() == {"parts[1].material": ["Nested rows go at most 1 levels deep."]}
    settings.CRUDDY_DJANGO = {"MAX_BULK": 2}
    response = api.post(ROCKETS, saturn(steel), format="json")
    assert response.status_code == 400
    assert "This request writes 4 rows, nested ones included; one request may write at most 2 (max_bulk)" in \
        response.json()["detail"]


def test_signals_are_sent_once_per_row(api, steel):
    received = []

    def record(sender, **kwargs):
        received.append(sender.__name__)

    signals.after_create.connect(record, weak=False)
    try:
        assert api.post(ROCKETS, saturn(steel), format="json").status_code == 201
    finally:
        signals.after_create.disconnect(record)
    assert sorted(received) == ["Material", "Rocket", "RocketPart", "RocketPart"]


def test_validation_costs_the_same_for_more_members(api, steel, django_assert_num_queries):
    def body(count, code):
        return {"code": code, "name": code, "parts": [{"code": f"P{index}", "material": steel.pk, "quantity": 1}
                                                      for index in range(count)]}
    # (rocket, material) is unique: each part gets a material of its own
    Material.objects.bulk_create([Material(code=f"M{index}", name="m", price=1) for index in range(40)])
    materials = list(Material.objects.values_list("pk", flat=True))

    def spread(count, code):
        data = body(count, code)
        for index, part in enumerate(data["parts"]):
            part["material"] = materials[index]
        return data

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert api.post(ROCKETS, spread(3, "A"), format="json").status_code == 201
    with CaptureQueriesContext(connection) as many:
        assert api.post(ROCKETS, spread(30, "B"), format="json").status_code == 201
    assert len(many.captured_queries) == len(few.captured_queries)
