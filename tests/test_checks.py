"""System checks report bad options with stable ids and a message naming the model and option."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import checks

from cruddy_django import ResourceSite
from cruddy_django import checks as cruddy_checks


def run_checks(site):
    return cruddy_checks.check_resources(site=site)


@pytest.mark.django_db  # Django 6.1 runs the database checks too
def test_the_project_passes_its_checks():
    assert [message for message in checks.run_checks() if message.level >= checks.ERROR] == []


def test_unknown_field_names_are_e001():
    site = ResourceSite()
    site.register(Group, fields=["id", "nmae"], search_fields=["^title"])
    errors = run_checks(site)
    assert {error.id for error in errors} == {"cruddy_django.E001"}
    assert "Group.Resource.fields names 'nmae'" in errors[0].msg
    assert "Group.Resource.search_fields names '^title'" in errors[1].msg


def test_two_resources_on_one_url_are_e002():
    site = ResourceSite()
    site.register(Group, path="things")
    site.register(Permission, path="things", namespace="auth")
    assert {error.id for error in run_checks(site)} == {"cruddy_django.E002"}


def test_bad_page_sizes_and_disabled_actions_are_reported():
    site = ResourceSite()
    site.register(Group, page_size=50, max_page_size=10, disable={"destroy", "explode"})
    messages = [error.msg for error in run_checks(site)]
    assert any("page_size (50) exceeds max_page_size (10)" in message for message in messages)
    assert any("unknown action(s) explode" in message for message in messages)


def test_bad_on_delete_strategies_are_e005():
    site = ResourceSite()
    site.register(Group, on_delete={"user_set": "explode", "name": "cascade"})
    errors = run_checks(site)
    assert [error.id for error in errors] == ["cruddy_django.E005", "cruddy_django.E005"]


def test_reserved_paths_without_namespace_are_e006():
    site = ResourceSite()
    site.register(Group, path="schema", namespace="")
    assert [error.id for error in run_checks(site)] == ["cruddy_django.E006"]
