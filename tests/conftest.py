from contextlib import ExitStack

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection
from rest_framework.test import APIClient

from cruddy_django.test import override_resource


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests on other databases, saying why."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://...)")
    for item in items:
        if "requires_postgres" in item.keywords:
            item.add_marker(skip)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--raise-on-lazy-loads",
        action="store_true",
        help="While a request is served, make every lazy load of a relation or deferred field raise "
        "(Django 6.1+ FETCH_RAISE), so an N+1 fails the test. Ignored on older Django (the header says so).",
    )


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory):
    """A SQLite file holding the demo data, made once per run, for the tests that start the example on a real
    server (tests/servers.py)."""
    from tests.servers import demo_database as make

    return make(tmp_path_factory.mktemp("demo-database"))


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def writer(db):
    """A signed-in user without staff rights: the default policies let it write."""
    from django.contrib.auth.models import User

    return User.objects.create_user("writer")


@pytest.fixture
def signed_in_api(writer) -> APIClient:
    """A client signed in as ``writer``; modules about writes use it as their ``api``."""
    client = APIClient()
    client.force_authenticate(writer)
    return client


@pytest.fixture
def staff_user(db):
    """A staff superuser: every default policy lets it write."""
    from django.contrib.auth.models import User

    return User.objects.create_user("staff", is_staff=True, is_superuser=True)


@pytest.fixture
def reconfigure():
    """``reconfigure(Rocket, max_bulk=1)``: change a resource's options until the test ends (the site's
    built classes and plans follow; each call adds to the previous ones)."""
    with ExitStack() as stack:
        def change(model, *, site=None, **options):
            stack.enter_context(override_resource(model, site=site, **options))

        yield change


@pytest.fixture(autouse=True)
def _raise_on_lazy_loads(request: pytest.FixtureRequest):
    """Only the views run under FETCH_RAISE: test code may still read relations lazily."""
    if not request.config.getoption("--raise-on-lazy-loads"):
        yield
        return
    from django.db.models import query

    fetch_raise = _fetch_raise()
    if fetch_raise is None:
        yield
        return
    previous = query.DEFAULT_FETCH_MODE

    def start(**kwargs):
        query.DEFAULT_FETCH_MODE = fetch_raise

    def finish(**kwargs):
        query.DEFAULT_FETCH_MODE = previous

    request_started.connect(start, dispatch_uid="cruddy-raise-on-lazy-loads-start")
    request_finished.connect(finish, dispatch_uid="cruddy-raise-on-lazy-loads-finish")
    try:
        yield
    finally:
        request_started.disconnect(dispatch_uid="cruddy-raise-on-lazy-loads-start")
        request_finished.disconnect(dispatch_uid="cruddy-raise-on-lazy-loads-finish")
        query.DEFAULT_FETCH_MODE = previous


def _fetch_raise():
    from django.db import models

    return getattr(models, "FETCH_RAISE", None)


def pytest_report_header(config: pytest.Config) -> str | None:
    if not config.getoption("--raise-on-lazy-loads"):
        return None
    if _fetch_raise() is None:
        return "--raise-on-lazy-loads ignored: this Django has no FETCH_RAISE (6.1+)"
    return "lazy loads raise inside requests (FETCH_RAISE)"
