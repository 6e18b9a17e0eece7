"""The policy helpers, directly (each answers for the request it is given) and on a resource over HTTP (a refusal
is the resource's 403 with the policy's message)."""

import functools

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.test import override_settings
from rest_framework.permissions import AllowAny, BasePermission, IsAdminUser, IsAuthenticated
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from cruddy_django import policies
from cruddy_django.test import override_resource
from tests.secureapp.models import Team

pytestmark = pytest.mark.django_db

factory = APIRequestFactory()
VIEW = object()  # what the policies are told is the view: they must pass it on


def request_of(user, method="get"):
    request = Request(getattr(factory, method)("/"))
    request.user = user if user is not None else AnonymousUser()
    return request


def allows(policy, user, method="get", obj=None):
    permission = policies.as_permission_class(policy)()
    request = request_of(user, method)
    if obj is None:
        return permission.has_permission(request, VIEW)
    return permission.has_object_permission(request, VIEW, obj)


@pytest.fixture
def people():
    plain = User.objects.create_user("plain")
    staff = User.objects.create_user("staff", is_staff=True)
    root = User.objects.create_user("root", is_superuser=True)
    return {"plain": plain, "staff": staff, "root": root}


def test_deny_all_refuses_everyone_with_its_message(people):
    assert not allows(policies.deny_all, people["root"])
    assert policies.deny_all.message == "This action is not allowed."


def test_is_superuser_lets_only_superusers_through(people):
    assert [allows(policies.is_superuser, user) for user in (None, people["plain"], people["staff"],
                                                              people["root"])] == [False, False, False, True]


@pytest.mark.parametrize(("method", "allowed"), [("get", True), ("head", True), ("options", True), ("post", False),
                                                 ("put", False), ("patch", False), ("delete", False)])
def test_read_only_lets_only_safe_methods_through(people, method, allowed):
    assert allows(policies.read_only, people["root"], method) is allowed


def test_has_perm_needs_every_permission_named(people):
    user = people["plain"]
    policy = policies.has_perm("secureapp.add_team", "secureapp.delete_team")
    assert policy.__name__ == "has_perm('secureapp.add_team', 'secureapp.delete_team')"
    assert policy.message == "You need the permission(s) secureapp.add_team, secureapp.delete_team."
    assert not allows(policy, None)
    assert not allows(policy, user)
    user.user_permissions.add(Permission.objects.get(codename="add_team"))
    assert not allows(policy, User.objects.get(pk=user.pk))  # one of two
    user.user_permissions.add(Permission.objects.get(codename="delete_team"))
    assert allows(policy, User.objects.get(pk=user.pk))
    assert allows(policy, people["root"])  # a superuser holds every permission


def test_has_role_needs_one_of_the_groups_and_asks_the_database_once_per_user(people, django_assert_num_queries):
    user = people["plain"]
    policy = policies.has_role("pilots", "engineers")
    assert policy.__name__ == "has_role('pilots', 'engineers')"
    assert policy.message == "You need one of the roles: pilots, engineers."
    assert not allows(policy, None)
    assert not allows(policy, user)
    user = User.objects.get(pk=user.pk)
    user.groups.add(Group.objects.create(name="cooks"))
    assert not allows(policy, user)
    user = User.objects.get(pk=user.pk)
    user.groups.add(Group.objects.create(name="engineers"))
    with django_assert_num_queries(1):
        assert allows(policy, user)
        assert allows(policy, user)  # the group names are kept on the user for the request
    assert allows(policies.has_role("engineers"), user)


def test_owner_only_compares_the_owner_with_the_user(people):
    policy = policies.owner_only("owner")
    assert policy.__name__ == "owner_only('owner')"
    assert policy.message == "Only the owner may do this."
    plain, staff = people["plain"], people["staff"]
    assert not allows(policy, None)
    assert allows(policy, plain)

    class Row:
        def __init__(self, **values):
            vars(self).update(values)

    assert allows(policy, plain, obj=Row(owner_id=plain.pk))
    assert not allows(policy, staff, obj=Row(owner_id=plain.pk))
    assert allows(policy, plain, obj=Row(owner=plain))  # no attname: the related row's pk
    assert allows(policy, plain, obj=Row(owner=plain.pk))  # or the value itself
    assert not allows(policy, staff, obj=Row(owner=plain))
    assert not allows(policy, plain, obj=Row(owner=None))
    assert not allows(policy, plain, obj=Row())


def test_per_row_marks_a_rule_and_answers_a_bool():
    def own(request, obj):
        return obj

    rule = policies.per_row(own)
    assert rule.per_row is True
    assert rule.__name__ == "own"
    assert repr(rule) == "per_row(own)"
    assert rule(None, 1) is True and rule(None, 0) is False and rule(None, "") is False
    assert policies.per_row(lambda request, obj: True).__name__ == "<lambda>"
    assert policies.per_row(functools.partial(own)).__name__ == "per_row"


def test_a_plain_callable_is_asked_with_the_request_view_and_row(people):
    calls = []

    def only_root(request, view, obj=None):
        calls.append((request.user.username, view, obj))
        return request.user.is_superuser and obj != "locked"

    policy = policies.callable_policy(only_root)
    assert policy.__name__ == "only_root"
    assert allows(policy, people["root"]) is True
    assert allows(policy, people["plain"]) is False
    assert allows(policy, people["root"], obj="row") is True
    assert allows(policy, people["root"], obj="locked") is False
    assert calls == [("root", VIEW, None), ("plain", VIEW, None), ("root", VIEW, "row"), ("root", VIEW, "locked")]
    # a callable without a name of its own (a partial, an instance) gives the class a plain one
    assert policies.callable_policy(functools.partial(only_root)).__name__ == "policy"


def test_as_permission_class_accepts_classes_compositions_instances_strings_and_callables(people):
    assert policies.as_permission_class(IsAdminUser) is IsAdminUser
    assert policies.as_permission_class("rest_framework.permissions.IsAuthenticated") is IsAuthenticated
    composed = IsAdminUser | policies.is_superuser
    assert policies.as_permission_class(composed) is composed
    negated = ~IsAdminUser
    assert policies.as_permission_class(negated) is negated
    instance = IsAdminUser()
    assert policies.as_permission_class(instance)() is instance
    wrapped = policies.as_permission_class(lambda request, view, obj=None: True)
    assert issubclass(wrapped, BasePermission) and wrapped().has_permission(request_of(None), None)
    with pytest.raises(TypeError, match="42 is not a policy: use a permission class or fn"):
        policies.as_permission_class(42)


def test_checks_objects_believes_a_declaration_and_otherwise_looks_for_an_override():
    class Declared(BasePermission):
        checks_objects = False

        def has_object_permission(self, request, view, obj):
            return False

    class Overrides(BasePermission):
        def has_object_permission(self, request, view, obj):
            return False

    class Says(BasePermission):
        checks_objects = True

    assert policies.checks_objects(Declared()) is False
    assert policies.checks_objects(Overrides()) is True
    assert policies.checks_objects(Says()) is True
    assert policies.checks_objects(AllowAny()) is False
    assert policies.checks_objects(policies.owner_only("owner")()) is True


class RefusesRows(BasePermission):
    message = "Not this row."
    code = "row_refused"

    def has_permission(self, request, view):
        return view is VIEW

    def has_object_permission(self, request, view, obj):
        return view is VIEW and request.user.is_authenticated and obj != "secret"


@override_settings(REST_FRAMEWORK={"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated",
                                                                  "tests.test_policies.RefusesRows"]})
def test_drf_defaults_apply_the_projects_permission_classes_with_their_messages(people):
    policy = policies.drf_defaults()
    assert policy.permission_classes() == [IsAuthenticated, RefusesRows]
    assert policy.checks_objects is True
    assert not policy.has_permission(request_of(None), VIEW)
    assert policy.message is None  # IsAuthenticated has no words of its own: DRF's default message follows
    assert policy.has_permission(request_of(people["plain"]), VIEW)
    assert policy.has_object_permission(request_of(people["plain"]), VIEW, "open")
    assert not policy.has_object_permission(request_of(None), VIEW, "open")
    assert not policy.has_object_permission(request_of(people["plain"]), VIEW, "secret")
    assert (policy.message, policy.code) == ("Not this row.", "row_refused")


@override_settings(REST_FRAMEWORK={"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"]})
def test_drf_defaults_look_at_rows_only_when_a_default_class_does():
    assert policies.drf_defaults().checks_objects is False


def test_a_role_policy_guards_a_resource_over_http(api, people):
    engineers = Group.objects.create(name="engineers")
    people["staff"].groups.add(engineers)
    team = Team.objects.create(name="Red")
    with override_resource(Team, policies={"*": [policies.allow_any], "destroy": [policies.has_role("engineers")]}):
        api.force_authenticate(people["root"])  # a superuser, but not an engineer
        response = api.delete(f"/api/secure/teams/{team.pk}/")
        assert (response.status_code, response.json()) == (403, {
            "detail": "You need one of the roles: engineers."})
        api.force_authenticate(people["staff"])
        assert api.delete(f"/api/secure/teams/{team.pk}/").status_code == 204
    assert not Team.objects.filter(pk=team.pk).exists()


def test_a_policy_serves_as_a_field_rule(people):
    rule = policies.as_field_rule(policies.is_staff)
    assert [rule(request_of(user), None) for user in (None, people["plain"], people["staff"])] == [False, False, True]
    assert rule(request_of(people["staff"]), object())  # a row: object-level checks pass too
    assert rule(None, None) is False  # no request (a shell, seeding): no
    assert not getattr(rule, "per_row", False)  # asked once per request: the field can be filtered and sorted
    either = policies.as_field_rule(policies.is_superuser | policies.is_staff)
    assert either(request_of(people["root"]), None) and not either(request_of(people["plain"]), None)
    assert not getattr(either, "per_row", False)
    assert policies.as_field_rule("rest_framework.permissions.IsAdminUser")(request_of(people["staff"]), None)


def test_a_policy_that_looks_at_rows_is_a_per_row_field_rule(people):
    class Row:
        def __init__(self, owner):
            self.owner_id = owner.pk

    rule = policies.as_field_rule(policies.owner_only("owner"))
    assert rule.per_row is True
    assert rule(request_of(people["plain"]), Row(people["plain"]))
    assert not rule(request_of(people["staff"]), Row(people["plain"]))
    assert policies.as_field_rule(policies.is_staff | policies.owner_only("owner")).per_row is True
    assert policies.as_field_rule(policies.owner_only("owner") & policies.is_staff).per_row is True
    assert policies.as_field_rule(~policies.owner_only("owner")).per_row is True


def test_a_policy_rule_keeps_the_policys_name_for_messages_and_reprs():
    assert policies.as_field_rule(policies.is_staff).__name__ == "IsAdminUser"
    assert repr(policies.as_field_rule(policies.owner_only("owner"))) == "per_row(owner_only('owner'))"
    assert policies.as_field_rule(policies.is_staff | policies.is_superuser).__name__ == "policy"


def test_a_plain_rule_is_kept_as_it_is():
    def rule(request, obj):
        return True

    assert policies.as_field_rule(rule) is rule
    marked = policies.per_row(rule)
    assert policies.as_field_rule(marked) is marked


def test_a_policy_as_field_rule_guards_the_field_over_http(api, people):
    from tests.secureapp.models import Employee

    Employee.objects.create(name="Ann", salary=700)
    with override_resource(Employee, field_rules={"salary": {"read": policies.is_staff,
                                                             "write": policies.is_superuser}}):
        api.force_authenticate(people["plain"])
        response = api.get("/api/secure/employees/?salary__gt=500")
        assert response.status_code == 400
        assert response.json()["salary__gt"][0].startswith("Unknown field 'salary' in 'salary__gt'")
        assert "salary" not in api.get("/api/secure/employees/").json()["results"][0]
        api.force_authenticate(people["staff"])
        rows = api.get("/api/secure/employees/?salary__gt=500").json()["results"]
        assert [(row["name"], row["salary"]) for row in rows] == [("Ann", 700)]
        response = api.patch(f"/api/secure/employees/{rows[0]['id']}/", {"salary": 1}, format="json")
        assert (response.status_code, response.json()) == (400, {"salary": ["You may not set this field."]})
