"""The access object directly: one per request and resource, and what it answers about fields, rules and chains."""

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import RequestFactory
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.request import Request

from cruddy_django import site
from cruddy_django.access import access_for
from cruddy_django.policies import deny_all, is_staff, per_row, read_only
from cruddy_django.test import override_resource
from tests.secureapp.models import Employee, Team
from tests.testapp.models import Author, Book
from tests.zoo.models import Shelf

pytestmark = pytest.mark.django_db


def django_request(user=None):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return request


def resource(model):
    return site.resource_for(model)


def test_one_access_per_request_and_resource_shared_by_drf_and_django_requests():
    employees, teams = resource(Employee), resource(Team)
    plain = django_request()
    assert access_for(plain, employees) is access_for(plain, employees)
    assert access_for(plain, teams) is not access_for(plain, employees)
    assert access_for(plain, teams).resource is teams
    wrapped = Request(plain)
    assert access_for(wrapped, employees) is access_for(plain, employees)
    fresh = django_request()
    assert access_for(Request(fresh), teams) is access_for(fresh, teams)  # kept on Django's request either way
    other = django_request()
    assert access_for(other, employees) is not access_for(plain, employees)
    # Without a request (seeding, a shell) each call builds its own.
    assert access_for(None, employees) is not access_for(None, employees)
    assert access_for(None, employees).request is None


def test_the_repr_names_the_user_and_the_resource():
    user = User.objects.create_user("ann")
    assert repr(access_for(django_request(user), resource(Employee))) == (
        f"<Access of user {user.pk} on {resource(Employee).options.url_prefix}>")
    assert repr(access_for(None, resource(Team))) == f"<Access of user None on {resource(Team).options.url_prefix}>"


def test_what_may_be_written():
    staff = User.objects.create_user("staff", is_staff=True)
    access = access_for(django_request(staff), resource(Employee))
    assert access.can_write("name")
    assert not access.can_write("notes")  # not exposed
    assert not access.can_write("nonexistent")
    assert not access.can_write("id")  # an auto primary key
    assert not access.can_write("salary")  # the write rule: superusers only
    assert access.can_read("salary")  # (while staff may read it)
    with override_resource(Employee, read_only_fields=["name"]):
        assert not access_for(django_request(staff), resource(Employee)).can_write("name")
    shelves = access_for(django_request(staff), resource(Shelf))
    assert not shelves.can_write("id")  # not editable, though not auto-created
    assert shelves.can_write("label")
    teams = access_for(django_request(staff), resource(Team))
    assert teams.can_write("members")  # a listed reverse relation (not editable on the model)


def test_a_write_rule_is_asked_about_the_row_being_written():
    mine, theirs = Employee(name="mine"), Employee(name="theirs")
    rules = {"name": {"write": lambda request, obj: obj is None or obj.name == "mine"}}
    with override_resource(Employee, field_rules=rules):
        access = access_for(django_request(), resource(Employee))
        assert access.can_write("name", mine)
        assert not access.can_write("name", theirs)
        assert access.can_write("name")  # on a new row


def test_has_rules_asks_about_read_rules_unless_told_otherwise():
    with override_resource(Employee, field_rules={"salary": {"write": is_staff}}):
        access = access_for(django_request(), resource(Employee))
        assert not access.has_rules()
        assert access.has_rules("write")
    with override_resource(Employee, field_rules={"salary": {"read": is_staff}}):
        access = access_for(django_request(), resource(Employee))
        assert access.has_rules()
        assert not access.has_rules("write")


def test_per_row_read_rules_show_a_field_on_some_rows_and_never_let_it_be_queried():
    own = per_row(lambda request, obj: obj.name == "mine")
    with override_resource(Employee, field_rules={"salary": {"read": own}}):
        access = access_for(django_request(), resource(Employee))
        assert "salary" not in access.readable and "salary" in access.per_row and "salary" in access.shown
        assert not access.can_read("salary")
        assert access.can_read("salary", Employee(name="mine"))
        assert not access.can_read("salary", Employee(name="theirs"))
        assert "salary" in access.readable_on(Employee(name="mine"))
        assert "salary" not in access.readable_on(Employee(name="theirs"))
        assert "salary" not in access.readable_on()


def test_policy_classes_take_extra_chains_under_the_resources_own_and_a_fallback():
    policies = {"*": [AllowAny], "destroy": [IsAdminUser]}
    with override_resource(Team, policies=policies):
        access = access_for(django_request(), resource(Team))
        assert access.policy_classes("destroy") == [AllowAny, IsAdminUser]
        # a route's own chain applies where the resource names none
        assert access.policy_classes("launch", extra={"launch": [IsAuthenticated]}) == [AllowAny, IsAuthenticated]
        # ...and the resource's chain wins over it
        assert access.policy_classes("destroy", extra={"destroy": [IsAuthenticated]}) == [AllowAny, IsAdminUser]
        # an action nobody names takes the chain of the given fallback
        assert access.policy_classes("archive", fallback="destroy") == [AllowAny, IsAdminUser]


# -- rights: each action's policies as its viewset would ask them, reported by _meta ------------------------
def rights_of(api, path="/api/library/books/_meta"):
    description = api.get(path).json()
    return description["rights"], {route["name"]: route["rights"]["execute"] for route in description["routes"]}


def test_rights_ask_each_action_under_its_own_http_method(api, staff_user):
    api.force_authenticate(staff_user)
    with override_resource(Book, policies={"*": [read_only]}):
        actions, routes = rights_of(api)
    assert actions == {"list": True, "retrieve": True, "create": False, "update": False, "destroy": False}
    assert routes == {"discount": False, "summary": True, "retag": False, "archive": False, "reschedule": False,
                      "reprice": False, "stats": True, "fail_validation": False}


def test_rights_give_policies_the_view_as_drf_does(api, staff_user):
    """A policy may look at the view: its action, whether it works on one row, its request."""
    seen = []

    def reads_only(request, view, obj=None):
        if view.action == "_meta":  # the _meta request itself
            return True
        seen.append((view.action, view.detail))
        return view.request.user.is_staff and view.action in {"list", "retrieve", "summary", "stats"} and (
            view.detail == (view.action in {"retrieve", "summary"}))

    api.force_authenticate(staff_user)
    with override_resource(Book, policies={"*": [reads_only]}):
        actions, routes = rights_of(api)
    assert actions == {"list": True, "retrieve": True, "create": False, "update": False, "destroy": False}
    assert [name for name, allowed in routes.items() if allowed] == ["summary", "stats"]
    assert ("retrieve", True) in seen and ("list", False) in seen


def test_a_disabled_action_is_never_allowed(api, staff_user):
    api.force_authenticate(staff_user)
    with override_resource(Book, policies={"*": [AllowAny]}, disable=["destroy", "summary"]):
        actions, routes = rights_of(api)
    assert actions == {"list": True, "retrieve": True, "create": True, "update": True, "destroy": False}
    assert routes["summary"] is False and routes["stats"] is True


def test_object_policies_see_the_row_and_the_view(api, staff_user):
    author = Author.objects.create(name="A")
    book = Book.objects.create(title="Locked", author=author, price=1, pages=1)

    def unlocked(request, view, obj=None):
        return obj is None or (view.action in {"list", "create"} or obj.title != "Locked")

    api.force_authenticate(staff_user)
    with override_resource(Book, policies={"*": [unlocked]}):
        for_the_row = api.post("/api/library/books/_meta", {"id": book.pk}, format="json").json()
    assert for_the_row["rights"] == {"list": True, "retrieve": False, "create": True, "update": False,
                                     "destroy": False}
    routes = {route["name"]: route["rights"]["execute"] for route in for_the_row["routes"]}
    assert routes["summary"] is False and routes["stats"] is True  # a collection route never sees the row


def test_a_policy_that_raises_its_refusal_is_a_no_in_the_rights(api, staff_user):
    from rest_framework.exceptions import PermissionDenied

    def raises(request, view, obj=None):
        if view.action == "destroy":
            raise PermissionDenied("Never.")
        return True

    api.force_authenticate(staff_user)
    with override_resource(Book, policies={"*": [raises]}):
        actions, _ = rights_of(api)
    assert actions == {"list": True, "retrieve": True, "create": True, "update": True, "destroy": False}


def test_an_upsert_with_its_own_chain_does_not_also_need_the_create_chain(api, staff_user):
    api.force_authenticate(staff_user)
    open_upsert = {"*": [AllowAny], "create": [deny_all], "upsert": [AllowAny]}
    with override_resource(Team, policies=open_upsert, upsert_keys=["name"]):
        response = api.put("/api/secure/teams/", [{"name": "Blue"}], format="json")
    assert response.status_code == 200, response.json()
    assert Team.objects.filter(name="Blue").exists()
    with override_resource(Team, policies={"*": [AllowAny], "create": [deny_all]}, upsert_keys=["name"]):
        response = api.put("/api/secure/teams/", [{"name": "Green"}], format="json")
    assert (response.status_code, response.json()) == (403, {"detail": "This action is not allowed."})
    assert not Team.objects.filter(name="Green").exists()
