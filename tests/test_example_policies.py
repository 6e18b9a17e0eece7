"""The example project's policies: reads open, writes for signed-in users, deletes for staff."""

import pytest
from django.contrib.auth.models import User

from example_project import settings as example_settings
from example_project.assets.models import Material

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def example_policies(settings):
    settings.CRUDDY_DJANGO = example_settings.CRUDDY_DJANGO


def test_reads_are_open_writes_need_a_user_deletes_need_staff(api):
    material = Material.objects.create(code="STEEL", name="Steel", price=1)
    assert api.get("/api/assets/materials/").status_code == 200
    assert api.post("/api/assets/materials/", {"code": "A", "name": "A", "price": 1}).status_code in {401, 403}
    assert api.patch(f"/api/assets/materials/{material.pk}/", {"name": "B"}).status_code in {401, 403}

    api.force_authenticate(User.objects.create_user("demo"))
    assert api.post("/api/assets/materials/", {"code": "A", "name": "A", "price": 1}).status_code == 201
    assert api.patch(f"/api/assets/materials/{material.pk}/", {"name": "B"}).status_code == 200
    assert api.delete(f"/api/assets/materials/{material.pk}/").status_code == 403

    api.force_authenticate(User.objects.create_user("boss", is_staff=True))
    assert api.delete(f"/api/assets/materials/{material.pk}/").status_code == 204


def test_the_demo_account_signs_in_with_basic_auth(api):
    from django.core.management import call_command

    call_command("ensure_demo_user", stdout=__import__("io").StringIO())
    api.credentials(HTTP_AUTHORIZATION="Basic ZGVtbzpkZW1v")  # demo:demo
    assert api.post("/api/assets/materials/", {"code": "A", "name": "A", "price": 1}).status_code == 201


def test_the_readme_creates_a_rocket_with_its_parts_in_one_post(api):
    """README.md and docs/nested-writes.md: a rocket, a new material and two parts, by the demo account."""
    from django.core.management import call_command

    from example_project.assets.models import Rocket, RocketPart

    call_command("ensure_demo_user", stdout=__import__("io").StringIO())
    steel = Material.objects.create(code="STEEL", name="Steel", price=1)
    body = {"code": "FAL-9", "name": "Falcon 9", "parts": [
        {"code": "S1", "material": steel.pk, "quantity": 9},
        {"code": "S2", "material": {"code": "CF", "name": "Carbon fibre", "price": 120}, "quantity": 1}]}
    assert api.post("/api/assets/rockets/", body, format="json").status_code in {401, 403}
    api.credentials(HTTP_AUTHORIZATION="Basic ZGVtbzpkZW1v")  # demo:demo
    response = api.post("/api/assets/rockets/?expand=parts.material", body, format="json")
    assert response.status_code == 201, response.json()
    rocket = response.json()
    assert [(part["code"], part["material"]["code"], part["rocket"]) for part in rocket["parts"]] == [
        ("S1", "STEEL", rocket["id"]), ("S2", "CF", rocket["id"])]
    assert rocket["price"] == 9 * 1 + 120
    assert Rocket.objects.get().parts.count() == 2 and RocketPart.objects.count() == 2
