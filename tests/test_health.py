"""GET <api root>_health/: 200 when the database answers, 503 when it does not; cheap and public."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.outages import database_down

pytestmark = pytest.mark.django_db


def test_health_answers_ok_with_one_query_and_no_authentication(api, django_user_model):
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/_health/", HTTP_AUTHORIZATION="Basic bm9ib2R5Om5vdGhpbmc=")  # wrong password
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert [query["sql"] for query in queries] == ["SELECT 1"]
    assert response["Cache-Control"] == "no-store"
    assert api.head("/api/_health").status_code == 200


def test_health_is_503_with_retry_after_when_the_database_is_down(api, caplog):
    with database_down(), caplog.at_level("WARNING", logger="cruddy_django.errors"):
        response = api.get("/api/_health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable",
                               "request_id": response["X-Request-ID"]}
    assert response["Retry-After"] == "5"
    assert "health check 'database' failed: OperationalError" in caplog.text
    assert api.get("/api/_health/").status_code == 200


def test_health_runs_the_configured_checks(api, settings):
    def cache_down():
        raise ConnectionError("redis is down")

    settings.CRUDDY_DJANGO = {**settings.CRUDDY_DJANGO, "HEALTH_CHECKS": {
        "database": "cruddy_django.http.health.check_databases", "cache": cache_down}}
    response = api.get("/api/_health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "unavailable",
                               "request_id": response["X-Request-ID"]}


def test_health_is_listed_on_the_api_root_and_left_out_of_the_schema(api):
    assert api.get("/api/").json()["_health"] == "http://testserver/api/_health/"
    paths = api.get("/api/schema/?format=json").json()["paths"]
    assert not [path for path in paths if "_health" in path]
