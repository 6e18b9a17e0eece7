"""Property-based run of the OpenAPI schema (schemathesis): every operation of the example project's resources
and of the security test app gets generated requests, sent through Django's WSGI handler (no network), as a
signed-in superuser against seeded rows, with a fixed seed. No request may answer 5xx.

    python3 dev.py test tests/test_schemathesis.py                      # 5 examples per operation
    CRUDDY_SCHEMATHESIS_EXAMPLES=200 python3 dev.py test tests/test_schemathesis.py    # as CI runs it (SQLite)

Path ids are drawn from the seeded rows half of the time (an id is otherwise almost always a 404), so
retrieve, update, delete, relation routes and custom routes meet real rows; writes change the rows later
examples see, within the test's transaction.
"""

import base64
import functools
import os

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("CRUDDY_SCHEMATHESIS_EXAMPLES", "5"))
# The example project's resources, and the security test app's attacker scenario (a scope, a field rule, links
# to a model off the API, policies) with the shared folder whose relation routes reach owner-scoped rows.
RESOURCES = ["assets/materials", "assets/rockets", "assets/rocket-parts", "staff/astronauts", "staff/crews",
             "missions", "stations", "secure/employees", "secure/teams", "secure/projects", "secure/folders"]
PASSWORD = "schemathesis"


@functools.cache
def schema():
    """The OpenAPI document as an anonymous client reads it, through the WSGI application (loaded once)."""
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


def operations_of(prefix):
    """The operations of one resource: its collection, rows, relation routes, routes, _meta and _check."""
    return [operation for result in schema().get_all_operations() for operation in [result.ok()]
            if operation.path.startswith(f"/api/{prefix}/")]


@pytest.fixture
def connection_kept():
    """Django's WSGI handler closes the database connection when a request ends, which would end the test's
    transaction; its test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(connection_kept):
    call_command("seed", "assets", "ops", "staff", "secureapp", count=3, seed=42, quiet=True)
    User.objects.create_superuser("fuzzer", password=PASSWORD)
    token = base64.b64encode(f"fuzzer:{PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def with_known_ids(case, draw, model):
    """Half of the path ids name a stored row of the resource (an id is otherwise almost always a 404)."""
    if "id" not in (case.path_parameters or {}):
        return
    known, index = draw(st.booleans()), draw(st.integers(0, 19))  # the same draws whatever the rows are
    ids = list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:20])
    if known and ids:
        case.path_parameters["id"] = ids[index % len(ids)]


@pytest.mark.parametrize("prefix", RESOURCES)
def test_no_operation_answers_5xx(prefix, credentials):
    from cruddy_django import site

    model = site.get_resource(prefix).model
    operations = operations_of(prefix)
    assert len(operations) >= 14  # collection, row, relation routes, _meta, _check: the schema has them all
    for operation in operations:

        @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, print_blob=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(), data=st.data())
        def run(case, data):
            with_known_ids(case, data.draw, model)
            response = case.call(headers=credentials)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} query={case.query} body={case.body!r}: "
                f"{response.status_code} {response.text[:500]}")

        run()
