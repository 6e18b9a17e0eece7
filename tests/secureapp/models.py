"""A test app for the attacker's tests: links to auth.User and to an unregistered model, a hidden field,
a field rule on salaries, a scope on employees and policies on projects."""

from django.conf import settings
from django.db import models

from cruddy_django import ResourceModel
from cruddy_django.policies import is_authenticated, owner_only


def is_staff(request, obj=None):
    return bool(request and request.user.is_staff)


def is_superuser(request, obj=None):
    return bool(request and request.user.is_superuser)


def public_unless_staff(request, queryset):
    return queryset if is_staff(request) else queryset.filter(public=True)


class Vault(models.Model):
    """Never registered: the API must not reach it."""

    code = models.CharField(max_length=50)


class Team(ResourceModel):
    name = models.CharField(max_length=50)
    lead = models.ForeignKey("Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Resource:
        namespace = "secure"
        fields = ["id", "name", "lead", "members"]


class Employee(ResourceModel):
    name = models.CharField(max_length=50)
    salary = models.IntegerField(default=0)
    public = models.BooleanField(default=True)
    notes = models.TextField(blank=True, default="")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    vault = models.ForeignKey(Vault, null=True, blank=True, on_delete=models.SET_NULL)
    metadata = models.JSONField(default=dict, blank=True)

    class Resource:
        namespace = "secure"
        exclude = ["notes"]
        field_rules = {"salary": {"read": is_staff, "write": is_superuser}}
        scope = public_unless_staff


class Project(ResourceModel):
    name = models.CharField(max_length=50)
    members = models.ManyToManyField(Employee, blank=True, related_name="projects")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Resource:
        namespace = "secure"
        policies = {"*": [is_authenticated], "destroy": [owner_only("owner")]}
