"""System checks report bad options with stable ids and a message naming the model and option."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import checks

from cruddy_django import ResourceSite
from cruddy_django import checks as cruddy_checks
from cruddy_django.policies import allow_any, is_staff
from example_project.staff.models import Crew


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


def test_resources_open_to_anonymous_writes_are_w003(settings):
    site = ResourceSite()
    site.register(Group, policies={"*": [allow_any], "create": [allow_any]})
    site.register(Permission)  # the default policies: writes need a user
    warnings = cruddy_checks.check_policies(site=site)
    assert [(warning.id, warning.obj) for warning in warnings] == [("cruddy_django.W003", Group)]
    assert warnings[0].msg == "Anonymous users may create rows of auth.Group."
    settings.CRUDDY_DJANGO = {"DEFAULT_POLICIES": {"*": [allow_any]}}  # the old, open default
    messages = {warning.obj: warning.msg for warning in cruddy_checks.check_policies(site=site)}
    assert messages[Permission] == ("Anonymous users may create, update, partial_update, destroy, upsert, "
                                    "bulk_update, bulk_destroy, relation_replace, relation_add, relation_remove "
                                    "rows of auth.Permission.")  # its groups are on the site: relation routes


def test_the_upsert_of_w003_needs_the_create_chain_too():
    site = ResourceSite()
    site.register(Group, policies={"update": [allow_any]})
    (warning,) = cruddy_checks.check_policies(site=site)
    assert warning.msg == "Anonymous users may update, partial_update, bulk_update rows of auth.Group."


def test_policy_keys_that_name_no_action_or_route_are_e008(settings):
    site = ResourceSite()
    site.register(Crew, policies={"asign_lead": [is_staff], "destory": [is_staff], "assign_lead": [is_staff]})
    errors = [error for error in cruddy_checks.check_policies(site=site) if error.id == "cruddy_django.E008"]
    assert [(error.msg, error.hint.split("?")[0]) for error in errors] == [
        ("Crew.Resource.policies names 'asign_lead', which is no action or route: its policies would never "
         "apply.", "Did you mean 'assign_lead'"),
        ("Crew.Resource.policies names 'destory', which is no action or route: its policies would never apply.",
         "Did you mean 'destroy'")]
    settings.CRUDDY_DJANGO = {"DEFAULT_POLICIES": {"*": [allow_any], "craete": [is_staff]}}
    errors = [error for error in cruddy_checks.check_policies() if error.id == "cruddy_django.E008"
              and error.obj is None]
    assert [error.msg for error in errors] == [
        "CRUDDY_DJANGO['DEFAULT_POLICIES'] names 'craete', which is no action or route: its policies would "
        "never apply."]


def test_misspelt_settings_are_e009(settings):
    settings.CRUDDY_DJANGO = {"PAGESIZE": 5, "QUERY_LIMITS": {"max_claus": 5, "max_depth": 3}}
    errors = cruddy_checks.check_settings_keys()
    assert [(error.id, error.msg, error.hint) for error in errors] == [
        ("cruddy_django.E009", "CRUDDY_DJANGO has an unknown key 'PAGESIZE'.", "Did you mean 'PAGE_SIZE'?"),
        ("cruddy_django.E009", "CRUDDY_DJANGO['QUERY_LIMITS'] has an unknown key 'max_claus'.",
         "Did you mean 'max_clauses'?")]
    settings.CRUDDY_DJANGO = {"PAGE_SIZE": 5}
    assert cruddy_checks.check_settings_keys() == []


def test_two_resources_on_one_url_name_build_their_urls_and_are_e002():
    """DRF's router refused the second one with an exception, inside `manage.py check` itself."""
    site = ResourceSite()
    site.register(Group, path="b-c", namespace="a")
    site.register(Permission, path="c", namespace="a-b")
    assert site.get_urls()
    assert [error.id for error in run_checks(site)] == ["cruddy_django.E002", "cruddy_django.E002"]
    assert "URL name 'a-b-c'" in run_checks(site)[0].msg
def _sqlite(**options):
    return {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/app/db.sqlite3", "OPTIONS": options}}


def test_a_sqlite_file_serving_writes_without_immediate_transactions_and_wal_is_w002():
    [warning] = cruddy_checks.check_sqlite_concurrency(database_settings=_sqlite())
    assert warning.id == "cruddy_django.W002"
    assert "'default' serves writes" in warning.msg
    assert "DEFERRED" in warning.msg and "WAL" in warning.msg
    assert '"transaction_mode": "IMMEDIATE"' in warning.hint
    [warning] = cruddy_checks.check_sqlite_concurrency(
        database_settings=_sqlite(transaction_mode="IMMEDIATE"))
    assert "WAL" in warning.msg and "DEFERRED" not in warning.msg


def test_the_recommended_sqlite_options_memory_databases_and_other_engines_pass_w002():
    good = _sqlite(transaction_mode="IMMEDIATE", timeout=20, init_command="PRAGMA journal_mode=WAL;")
    memory = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    postgres = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}}
    for database_settings in (good, memory, postgres):
        assert cruddy_checks.check_sqlite_concurrency(database_settings=database_settings) == []


def test_w002_only_concerns_databases_that_resources_write_to():
    assert cruddy_checks.check_sqlite_concurrency(database_settings={"reports": _sqlite()["default"]}) == []


def test_the_example_project_sqlite_settings_pass_w002(tmp_path):
    from example_project.databases import database_settings

    for url in (None, f"sqlite:///{tmp_path}/db.sqlite3"):
        database = database_settings(url)
        assert cruddy_checks.check_sqlite_concurrency(database_settings={"default": database}) == [], url


def test_the_production_profile_passes_check_deploy(tmp_path):
    """The profile docs/deployment.md shows: `manage.py check --deploy` finds nothing, warnings included."""
    import os
    import secrets
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.update(DJANGO_SETTINGS_MODULE="example_project.production",
                       DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
                       DJANGO_ALLOWED_HOSTS="api.example.com", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=root,
                            env=environment, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
