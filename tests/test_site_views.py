"""The API root, the OpenAPI schema, Swagger UI and the browsable API."""

import pytest
from django.contrib.staticfiles import finders

from cruddy_django import site

pytestmark = pytest.mark.django_db


def test_the_api_root_lists_every_resource_with_its_url(api):
    body = api.get("/api/").json()
    for resource in site.resources:
        assert body[resource.options.url_prefix] == f"http://testserver/api/{resource.options.url_prefix}/"
    assert body["library/books/reprice"] == "http://testserver/api/library/books/reprice/"
    assert body["library/books/stats"] == "http://testserver/api/library/books/stats/"
    assert "staff/crews/assign-lead" not in body
    assert body["_schema"] == "http://testserver/api/schema/"
    assert body["_docs"] == "http://testserver/api/docs/"


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_lists_every_resource_and_action(schema):
    paths = schema["paths"]
    for resource in site.resources:
        prefix = f"/api/{resource.options.url_prefix}/"
        assert set(paths[prefix]) >= {"get", "post"}
        detail = next(path for path in paths if path.startswith(prefix) and path != prefix)
        assert set(paths[detail]) >= {"get", "put", "patch"}
    assert schema["info"]["title"] == "Test API"


def test_the_schema_documents_the_envelope_and_paging(schema):
    operation = schema["paths"]["/api/assets/materials/"]["get"]
    parameters = {parameter["name"] for parameter in operation["parameters"]}
    assert {"page", "page_size", "limit", "offset", "code__icontains"} <= parameters
    envelope = schema["components"]["schemas"]["PaginatedMaterialList"]
    assert set(envelope["properties"]) == {
        "count", "page", "page_size", "pages", "next", "previous", "results"}


def test_the_schema_serves_yaml_by_default(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3")


def test_swagger_ui_is_served_from_the_installed_package(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert "/api/schema/" in html


@pytest.mark.parametrize("url", ["/api/", "/api/assets/materials/", "/api/library/books/"])
def test_the_browsable_api_renders(api, url):
    response = api.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"Django REST framework" in response.content


def test_the_browsable_api_shows_the_filter_form(api):
    response = api.get("/api/assets/materials/", HTTP_ACCEPT="text/html")
    assert b"Filters" in response.content


def test_schema_generation_raises_no_warning():
    from io import StringIO

    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--file", "/dev/null", stderr=StringIO())
