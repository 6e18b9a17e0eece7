"""OPTIONS metadata, the Mermaid diagram and the HTML overview, all built on the _meta description."""

import re

import pytest
from django.contrib.auth.models import User

from example_project import settings as example_settings
from tests.secureapp.models import Project

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/library/books/", "/api/library/books", "/api/staff/crews/_meta"])
def test_options_carries_the_resource_meta(api, url):
    response = api.options(url)
    assert response.status_code == 200
    body = response.json()
    meta = api.get("/api/library/books/_meta" if "books" in url else "/api/staff/crews/_meta").json()
    assert body["resource"] == meta
    assert {"name", "description", "renders", "parses"} <= set(body)


def test_options_lists_write_actions_with_drf_labels(signed_in_api):
    api = signed_in_api
    body = api.options("/api/library/books/").json()
    post = body["actions"]["POST"]
    assert post["isbn"]["label"] == "isbn"
    assert post["isbn"]["max_length"] == 13 and post["isbn"]["required"] is True
    assert post["created_at"]["read_only"] is True


def test_options_shows_only_the_methods_the_user_may_use(api, settings):
    settings.CRUDDY_DJANGO = example_settings.CRUDDY_DJANGO
    assert api.options("/api/assets/materials/").json()["actions"] == {}
    api.force_authenticate(User.objects.create_user("demo"))
    assert set(api.options("/api/assets/materials/").json()["actions"]) == {"POST"}


def test_options_on_a_row_uses_its_object_policies(api):
    owner, other = User.objects.create_user("owner"), User.objects.create_user("other")
    project = Project.objects.create(name="P", owner=owner)
    api.force_authenticate(other)
    body = api.options(f"/api/secure/projects/{project.pk}/").json()
    assert body["resource"]["rights"]["destroy"] is False
    assert set(body["actions"]) == {"PUT"}
    api.force_authenticate(owner)
    assert api.options(f"/api/secure/projects/{project.pk}/").json()["resource"]["rights"]["destroy"] is True


def test_options_hides_unreadable_fields(signed_in_api):
    api = signed_in_api
    body = api.options("/api/secure/employees/").json()
    assert "salary" not in body["actions"]["POST"]
    assert "salary" not in {field["name"] for field in body["resource"]["fields"]}


@pytest.mark.parametrize("url", ["/api/_meta/diagram", "/api/_meta/diagram/"])
def test_the_diagram_is_mermaid_text(api, url):
    response = api.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("erDiagram\n")
    assert "    Mission }o--|| Crew : crew\n" in text
    assert "    Crew }o--o| Astronaut : lead\n" in text
    assert "    Crew }o--o{ Astronaut : astronauts\n" in text
    assert "    Book }o--o{ Tag : tags\n" in text
    assert re.search(r"    Crew \{\n        integer id PK\n        string code UK\n", text)
    assert '        relation lead FK "staff/astronauts"\n' in text
    # a relation to a model off the API is an attribute, never a line
    assert "Vault" not in text.split("Employee {")[0]
    assert '        relation vault FK "secureapp.Vault"\n' in text


def test_the_diagram_hides_what_the_user_cannot_read(api):
    text = api.get("/api/_meta/diagram").content.decode()
    assert " salary" not in text and "Project" not in text
    api.force_authenticate(User.objects.create_user("boss", is_staff=True))
    text = api.get("/api/_meta/diagram").content.decode()
    assert "integer salary" in text and "Project {" in text


def test_the_diagram_as_svg(api):
    response = api.get("/api/_meta/diagram?format=svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = response.content.decode()
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'id="entity-Crew"' in svg and "staff/crews/" in svg


def test_the_overview_page_for_browsers(api):
    response = api.get("/api/_meta/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="er-diagram"' in html
    assert 'href="http://testserver/api/staff/crews/"' in html  # the browsable collection
    assert 'href="http://testserver/api/docs/"' in html  # Swagger UI
    assert "erDiagram" in html
    assert "<script" not in html and "cdn" not in html.lower()


def test_the_site_meta_is_json_by_default(api):
    response = api.get("/api/_meta")
    assert response["Content-Type"] == "application/json"
    assert api.get("/api/_meta/?format=json").json() == response.json()


@pytest.mark.urls("tests.extensions_urls")
def test_a_second_site_describes_only_its_own_resources(api):
    body = api.get("/api/_meta").json()
    assert [resource["url"] for resource in body["resources"]] == ["http://testserver/api/crew-office/astronauts/"]
    astronauts = api.get("/api/crew-office/astronauts/_meta").json()
    assert astronauts["url"] == "http://testserver/api/crew-office/astronauts/"
    assert "erDiagram\n    Astronaut {\n" in api.get("/api/_meta/diagram").content.decode()


def test_the_api_root_links_the_meta(api):
    assert api.get("/api/").json()["_meta"] == "http://testserver/api/_meta/"
