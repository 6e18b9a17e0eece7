"""The attacker's tests for what describes the API: the browsable API's write forms and filter form, and the
OpenAPI schema show only fields the request may read or write, and list only rows it may see."""

import re

import pytest
from django.contrib.auth.models import User

from tests.secureapp.models import Employee, Team, Vault

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    root = User.objects.create_user("rootuser", is_staff=True, is_superuser=True)
    staff = User.objects.create_user("staffuser", is_staff=True)
    plain = User.objects.create_user("plainuser")
    vault = Vault.objects.create(code="TOP-SECRET")
    hidden = Employee.objects.create(name="Hidden-Employee", public=False, user=root, vault=vault)
    visible = Employee.objects.create(name="Visible-Employee", user=plain)
    team = Team.objects.create(name="Red", lead=visible)
    return {"root": root, "staff": staff, "plain": plain, "vault": vault, "hidden": hidden, "visible": visible,
            "team": team}


def page(api, url):
    response = api.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def options(html, name):
    """The labels of the options of every <select name=...> in the page."""
    labels = []
    for select in re.findall(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S):
        labels += [label.strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)]
    return labels


def test_write_forms_never_list_rows_out_of_scope_or_off_the_api(api, world):
    api.force_authenticate(world["plain"])
    html = page(api, "/api/secure/teams/")
    assert f"Employee object ({world['visible'].pk})" in options(html, "lead")
    assert f"Employee object ({world['hidden'].pk})" not in html
    html = page(api, "/api/secure/employees/")
    assert options(html, "user") == [] and options(html, "vault") == []  # typed as a pk instead
    assert re.search(r'<input[^>]*name="user"', html) and re.search(r'<input[^>]*name="vault"', html)
    for secret in ("rootuser", "staffuser", "TOP-SECRET", "Vault object"):
        assert secret not in html


def test_write_forms_leave_out_fields_the_user_may_neither_read_nor_write(api, world):
    api.force_authenticate(world["plain"])
    assert 'name="salary"' not in page(api, "/api/secure/employees/")
    api.force_authenticate(world["staff"])  # reads salaries (the field shows), may not write them
    assert 'name="salary"' in page(api, "/api/secure/employees/")


def test_the_filter_form_offers_only_readable_fields_and_rows_in_scope(api, world):
    api.force_authenticate(world["plain"])
    html = page(api, "/api/secure/employees/")
    filter_form = html.split('id="filtersModal"')[1]
    assert 'name="name"' in filter_form
    assert 'name="salary' not in filter_form
    assert options(filter_form, "user") == [] and "rootuser" not in filter_form
    team_filters = page(api, "/api/secure/teams/").split('id="filtersModal"')[1]
    assert f"Employee object ({world['visible'].pk})" in options(team_filters, "lead")
    assert f"Employee object ({world['hidden'].pk})" not in team_filters


def schema(api):
    response = api.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def parameter_names(document, path):
    return {parameter["name"] for parameter in document["paths"][path]["get"].get("parameters", [])}


def test_the_schema_lists_only_what_the_requester_may_read(api, world):
    anonymous = schema(api)
    names = parameter_names(anonymous, "/api/secure/employees/")
    assert "name__icontains" in names and ".name" in names
    assert not {name for name in names if "salary" in name}
    assert "salary" not in anonymous["components"]["schemas"]["Employee"]["properties"]
    assert "lead__name" in parameter_names(anonymous, "/api/secure/teams/")
    api.force_authenticate(world["staff"])
    staff = schema(api)
    names = parameter_names(staff, "/api/secure/employees/")
    assert {"salary", "salary__gt", ".salary"} <= names
    assert "salary" in staff["components"]["schemas"]["Employee"]["properties"]


def test_relation_filters_off_the_api_compare_primary_keys_without_an_existence_oracle(api, world):
    """``?user=<pk>`` on a model off the API filters by the key; a key that exists nowhere is not a 400."""
    assert api.get(f"/api/secure/employees/?user={world['plain'].pk}").json()["count"] == 1
    response = api.get("/api/secure/employees/?user=987654")
    assert (response.status_code, response.json()["count"]) == (200, 0)
    response = api.get("/api/secure/employees/?user__in=987654,1")
    assert response.status_code == 200
