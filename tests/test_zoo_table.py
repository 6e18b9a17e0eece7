"""The zoo, table-driven: every field type with every operator of its kind in every dialect that has it, sorting
on every sortable field, selecting and expanding every field, CRUD, bulk writes and upserts, ``_meta``,
``_check`` and the OpenAPI schema on every resource — never a 5xx, always JSON, a 400 naming its parameter, and a
fixed number of queries whatever the page holds. The PostgreSQL-only resources take part on PostgreSQL."""

import json

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cruddy_django import site
from cruddy_django.introspection.kinds import kind_of
from tests.zoo.requests import dialect_requests

pytestmark = pytest.mark.django_db

ZOO = sorted((resource for resource in site.resources if resource.model._meta.app_label in {"zoo", "zoo_pg"}),
             key=lambda resource: resource.options.url_prefix)
EVERYTHING = [resource for resource in ZOO if resource.options.path in {"everything", "pg-everything"}]


@pytest.fixture
def staff_api(api):
    api.force_authenticate(User.objects.create_user("staff", is_staff=True, is_superuser=True))
    return api


@pytest.fixture
def seeded():
    call_command("seed", "zoo", *(["zoo_pg"] if connection.vendor == "postgresql" else []), "--count", "4",
                 "--seed", "7", "--quiet")


def answer(response):
    """The JSON of a response that is not a server error."""
    assert response.status_code < 500, response.content[:300]
    if response.status_code == 204:
        return None
    return json.loads(response.content)


def url(resource, suffix=""):
    return f"/api/{resource.options.url_prefix}/{suffix}"


@pytest.mark.parametrize("resource", EVERYTHING, ids=lambda resource: resource.options.path)
def test_every_operator_of_every_field_type_in_every_dialect(staff_api, seeded, resource):
    failures = []
    for name, info in resource.options.exposed_fields.items():
        kind = kind_of(info)
        if kind is None or kind.query is None:
            continue
        for dialect, param, query in dialect_requests(name, kind.query, kind.operators, kind.lookups):
            response = staff_api.get(f"{url(resource)}?{query}")
            body = answer(response)
            if response.status_code != 200 and (response.status_code != 400 or param not in body):
                failures.append((dialect, query, response.status_code, body))
    assert not failures, failures[:10]


@pytest.mark.parametrize("resource", ZOO, ids=lambda resource: resource.options.path)
def test_every_resource_reads_sorts_and_selects(staff_api, seeded, resource):
    meta = answer(staff_api.get(url(resource, "_meta")))
    for field in meta["fields"]:
        name = field["name"]
        response = staff_api.get(f"{url(resource)}?fields={name}")
        assert response.status_code == 200, (name, answer(response))
        if field["sortable"] and not field.get("computed"):
            response = staff_api.get(f"{url(resource)}?sort=-{name}")
            assert response.status_code == 200, (name, answer(response))
        if field["type"] in {"relation", "reference"} and (field.get("target") or field["type"] == "reference"):
            response = staff_api.get(f"{url(resource)}?expand={name}")
            assert response.status_code == 200, (name, answer(response))
    rows = answer(staff_api.get(url(resource)))["results"]
    assert rows
    assert answer(staff_api.get(url(resource, f"{rows[0]['id']}/")))["id"] == rows[0]["id"]


@pytest.mark.parametrize("resource", ZOO, ids=lambda resource: resource.options.path)
def test_expanding_every_relation_costs_the_same_for_more_rows(staff_api, resource):
    # (a generic key costs one query per resource its rows point at: test_zoo_generic.py counts those)
    relations = [name for name, info in {**resource.options.exposed_fields, **resource.reverse_relations}.items()
                 if info.relation and resource.related_resource(info)]
    query = f"{url(resource)}?page_size=100" + (f"&expand={','.join(relations)}" if relations else "")
    # enough rows that every hop has some (a hop with nothing to fetch costs no query), then three times more
    call_command("seed", "zoo", "--count", "6", "--seed", "3", "--quiet")
    staff_api.get(query)  # warm caches (content types, plans)
    with CaptureQueriesContext(connection) as few:
        assert staff_api.get(query).status_code == 200
    call_command("seed", "zoo", "--count", "12", "--seed", "4", "--quiet")
    with CaptureQueriesContext(connection) as many:
        assert staff_api.get(query).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries), "\n".join([
        "FEW", *(query["sql"][:150] for query in few.captured_queries),
        "MANY", *(query["sql"][:150] for query in many.captured_queries)])


@pytest.mark.parametrize("resource", ZOO, ids=lambda resource: resource.options.path)
def test_create_update_upsert_and_delete_what_a_read_shows(staff_api, seeded, resource):
    row = answer(staff_api.get(url(resource)))["results"][0]
    meta = answer(staff_api.get(url(resource, "_meta")))
    writable = {field["name"] for field in meta["fields"] if field["rights"]["modify"]}
    body = {name: value for name, value in row.items() if name in writable}
    detail = url(resource, f"{row['id']}/")
    assert answer(staff_api.put(detail, body, format="json")) is not None
    assert answer(staff_api.patch(detail, {}, format="json"))["id"] == row["id"]
    answer(staff_api.put(url(resource), [{**body, "id": row["id"]}], format="json"))  # an upsert: 200 or a 400
    answer(staff_api.post(url(resource), [body], format="json"))  # unique values collide: a 400 naming them
    for name in body:
        check = answer(staff_api.post(url(resource, "_check"), {"item": body, "path": name}, format="json"))
        assert set(check) == {"error"}
    response = staff_api.delete(detail)
    answer(response)
    assert response.status_code in {204, 409}


def test_the_schema_describes_the_zoo(staff_api):
    schema = answer(staff_api.get("/api/schema/?format=json"))
    paths = schema["paths"]
    for resource in ZOO:
        assert f"/api/{resource.options.url_prefix}/" in paths
