"""DRF's hooks take effect on generated viewsets, for list and retrieve alike: pagination_class,
renderer_classes, parser_classes, filter_backends, get_queryset(), get_serializer_class() (and the
serializer_class attribute), the project's EXCEPTION_HANDLER, and base classes named by a site or a resource."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import override_settings

from cruddy_django import signals
from example_project.staff.models import Astronaut, Crew

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.hooks_urls")]


@pytest.fixture
def api(signed_in_api):
    """Writes need a signed-in user (the default policies); reads behave the same for it."""
    return signed_in_api


@pytest.fixture
def astronauts():
    return {code: Astronaut.objects.create(code=code, name=name, role=role)
            for code, name, role in [("A1", "Ada", "pilot"), ("B2", "Bo", "doctor"), ("X3", "Xen", "pilot")]}


def test_pagination_class(api, astronauts):
    body = api.get("/hooks/paging/astronauts/?limit=2").json()
    assert set(body) == {"count", "next", "previous", "results"}  # DRF's LimitOffsetPagination envelope
    assert (body["count"], len(body["results"])) == (3, 2)
    assert api.get(f"/hooks/paging/astronauts/{astronauts['A1'].pk}/").json()["code"] == "A1"


def test_renderer_classes(api, astronauts):
    for url in ["/hooks/rendering/astronauts/", f"/hooks/rendering/astronauts/{astronauts['A1'].pk}/"]:
        response = api.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.marked+json")


def test_parser_classes(api, astronauts):
    response = api.post("/hooks/parsing/astronauts/", {"code": "N1", "name": "New", "role": "pilot"},
                        format="multipart")
    assert response.status_code == 415
    response = api.post("/hooks/parsing/astronauts/", {"code": "N1", "name": "New", "role": "pilot"}, format="json")
    assert response.status_code == 201


def test_filter_backends(api, astronauts):
    assert sorted(row["code"] for row in api.get("/hooks/backends/astronauts/").json()["results"]) == ["A1", "X3"]
    assert api.get(f"/hooks/backends/astronauts/{astronauts['B2'].pk}/").status_code == 404
    assert api.get(f"/hooks/backends/astronauts/{astronauts['A1'].pk}/").status_code == 200


def test_filtered_bulk_writes_need_a_backend_that_narrows(api, astronauts):
    # PilotsOnlyBackend cannot say that it narrows the rows: a filtered DELETE stays refused.
    assert api.delete("/hooks/backends/astronauts/?.code=A1").status_code == 400
    assert Astronaut.objects.count() == 3


def test_get_queryset(api, astronauts):
    assert sorted(row["code"] for row in api.get("/hooks/queryset/astronauts/").json()["results"]) == ["A1", "B2"]
    assert api.get(f"/hooks/queryset/astronauts/{astronauts['X3'].pk}/").status_code == 404


@pytest.mark.parametrize("hook", ["serializer-class", "serializer-attribute"])
def test_get_serializer_class_serves_reads_too(api, astronauts, hook):
    rows = api.get(f"/hooks/{hook}/astronauts/").json()["results"]
    assert rows[0] == {"id": astronauts["A1"].pk, "code": "A1", "name": "Ada", "role": "pilot", "shout": "ADA"}
    selected = api.get(f"/hooks/{hook}/astronauts/?fields=code,shout")
    assert selected.status_code == 400  # a selection names the resource's fields, not the serializer's
    assert api.get(f"/hooks/{hook}/astronauts/?fields=code").json()["results"][0] == {"code": "A1"}
    assert api.get(f"/hooks/{hook}/astronauts/{astronauts['B2'].pk}/").json()["shout"] == "BO"
    created = api.post(f"/hooks/{hook}/astronauts/", {"code": "N1", "name": "Nia", "role": "pilot"}, format="json")
    assert created.json()["shout"] == "NIA"


@override_settings(REST_FRAMEWORK={"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
                                   "EXCEPTION_HANDLER": "tests.hooks_urls.wrapping_handler"})
def test_the_projects_exception_handler(api, astronauts):
    for url in ["/hooks/queryset/astronauts/999999/", "/hooks/queryset/astronauts/?.nope=1"]:
        wrapped = api.get(url)
        assert wrapped.status_code in {400, 404}
        assert set(wrapped.json()) == {"error"} and wrapped.json()["error"]
    response = api.post("/hooks/queryset/astronauts/", {"code": "A1", "name": "Twin", "role": "pilot"}, format="json")
    assert response.status_code == 400
    assert "already exists" in response.json()["error"]["code"][0]
    # Django's own errors (here a receiver's ValidationError) reach the handler already translated to a 4xx.
    def refuse(sender, data, **kwargs):
        raise DjangoValidationError({"name": "Names are full this week."})

    signals.before_create.connect(refuse, sender=Astronaut)
    try:
        response = api.post("/hooks/queryset/astronauts/", {"code": "N1", "name": "New", "role": "pilot"},
                            format="json")
    finally:
        signals.before_create.disconnect(refuse, sender=Astronaut)
    assert response.status_code == 400
    assert response.json() == {"error": {"name": ["Names are full this week."]}}


def test_base_classes_named_by_the_site(api, astronauts):
    list_response = api.get("/hooks/bases/astronauts/")
    assert list_response["X-Served-By"] == "CountingViewSet"
    body = list_response.json()
    assert (body["page_size"], body["pages"]) == (1, 3)
    assert body["results"][0]["tagged"] is True
    one = api.get(f"/hooks/bases/astronauts/{astronauts['A1'].pk}/")
    assert one["X-Served-By"] == "CountingViewSet" and one.json()["tagged"] is True
    assert api.get("/hooks/bases/astronauts/?code=A1").json()["count"] == 1
    assert api.get("/hooks/bases/astronauts/?name=Ada").status_code == 400  # not a filter of this base


def test_base_classes_named_by_a_resource_win_over_the_sites(api, astronauts):
    Crew.objects.create(code="C1", name="One")
    Crew.objects.create(code="C2", name="Two")
    body = api.get("/hooks/bases/crews/").json()
    assert (body["page_size"], body["count"]) == (20, 2)
    assert "tagged" not in body["results"][0]
