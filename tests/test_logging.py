"""The named loggers: every 5xx with its traceback and request id, each committed write, slow queries."""

import logging

import pytest
from rest_framework.test import APIClient

from cruddy_django.http.reads import SelectionMixin
from example_project.assets.models import Material
from example_project.staff.models import Astronaut, Crew

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("ops", password="ops", is_staff=True)


def test_a_5xx_is_logged_with_its_traceback_and_request_id(monkeypatch, caplog):
    def broken(self, request, *args, **kwargs):
        raise KeyError("missing piece")

    monkeypatch.setattr(SelectionMixin, "list", broken)
    with caplog.at_level(logging.INFO, logger="cruddy_django"):
        response = APIClient(raise_request_exception=False).get("/api/assets/materials/", HTTP_X_REQUEST_ID="r-500")
    assert response.status_code == 500
    [error] = [record for record in caplog.records if record.name == "cruddy_django.errors"]
    assert error.levelno == logging.ERROR and error.request_id == "r-500" and error.status_code == 500
    assert "500 GET /api/assets/materials/: KeyError" in error.getMessage() and "[request r-500]" in error.getMessage()
    assert error.exc_info[0] is KeyError
    assert "raise KeyError(\"missing piece\")" in caplog.text  # the formatted traceback
    [request] = [record for record in caplog.records if record.name == "cruddy_django.requests"]
    assert request.levelno == logging.ERROR and request.status_code == 500


def test_the_site_view_sends_got_request_exception_for_error_trackers(monkeypatch):
    from django.core.signals import got_request_exception

    seen = []
    monkeypatch.setattr(SelectionMixin, "list", lambda self, request: 1 / 0)
    got_request_exception.connect(receiver := lambda sender, request, **kwargs: seen.append(request.path))
    try:
        APIClient(raise_request_exception=False).get("/api/assets/materials/")
    finally:
        got_request_exception.disconnect(receiver)
    assert seen == ["/api/assets/materials/"]


def test_each_committed_write_is_logged_with_resource_action_pks_and_user(
        api, staff, caplog, django_capture_on_commit_callbacks):
    api.force_authenticate(staff)
    with caplog.at_level(logging.INFO, logger="cruddy_django.writes"), \
            django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/assets/materials/", [{"code": "A", "name": "A", "price": 1},
                                                      {"code": "B", "name": "B", "price": 2}], format="json")
        pks = [row["id"] for row in created.json()]
        api.patch(f"/api/assets/materials/{pks[0]}/", {"price": 5}, format="json", HTTP_X_REQUEST_ID="r-patch")
        api.delete(f"/api/assets/materials/{pks[1]}/")
    records = [record for record in caplog.records if record.name == "cruddy_django.writes"]
    assert [(record.action, record.resource, record.pks, record.user) for record in records] == [
        ("create", "assets/materials", pks, "ops"),
        ("update", "assets/materials", [pks[0]], "ops"),
        ("delete", "assets/materials", [pks[1]], "ops"),
    ]
    assert records[1].request_id == "r-patch"
    assert records[1].getMessage() == f"update assets/materials pks=[{pks[0]}] user=ops [request r-patch]"


def test_a_relation_route_write_is_logged_and_a_dry_run_is_not(api, staff, caplog, django_capture_on_commit_callbacks):
    api.force_authenticate(staff)
    crew = Crew.objects.create(code="C1", name="One")
    astronaut = Astronaut.objects.create(code="A1", name="Ada", role="pilot")
    with caplog.at_level(logging.INFO, logger="cruddy_django.writes"), \
            django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/api/staff/crews/{crew.pk}/astronauts/", [astronaut.pk], format="json").status_code < 300
        dry = api.post("/api/assets/materials/?dry_run=true", {"code": "D", "name": "D", "price": 1}, format="json")
    assert dry.status_code == 200 and not Material.objects.exists()
    [record] = [record for record in caplog.records if record.name == "cruddy_django.writes"]
    assert (record.action, record.resource, record.pks, record.relation, record.related) == (
        "add_relation", "staff/crews", [crew.pk], "astronauts", [astronaut.pk])


def test_slow_queries_are_logged_over_the_threshold(api, settings, caplog):
    Material.objects.create(code="S", name="S", price=1)
    settings.CRUDDY_DJANGO = {**settings.CRUDDY_DJANGO, "SLOW_QUERY_MS": 0}
    with caplog.at_level(logging.WARNING, logger="cruddy_django.queries"):
        api.get("/api/assets/materials/", HTTP_X_REQUEST_ID="r-slow")
    slow = [record for record in caplog.records if record.name == "cruddy_django.queries"]
    assert slow and all(record.request_id == "r-slow" for record in slow)
    assert any("assets_material" in record.sql for record in slow)
    caplog.clear()
    settings.CRUDDY_DJANGO = {**settings.CRUDDY_DJANGO, "SLOW_QUERY_MS": 60_000}
    with caplog.at_level(logging.WARNING, logger="cruddy_django.queries"):
        api.get("/api/assets/materials/")
    assert not caplog.records


def test_the_request_log_never_loads_a_user_nothing_authenticated(api, staff, caplog, django_assert_num_queries):
    """A request that no DRF view authenticated (an unknown URL) is logged without touching the session or
    the user table: during an outage the log line must not fail the answer."""
    api.login(username="ops", password="ops")
    with caplog.at_level(logging.INFO, logger="cruddy_django.requests"), django_assert_num_queries(0):
        assert api.get("/api/nowhere/").status_code == 404
    [record] = [record for record in caplog.records if record.name == "cruddy_django.requests"]
    assert "GET /api/nowhere/ 404" in record.getMessage() and "user=-" in record.getMessage()
