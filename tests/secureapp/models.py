"""A test app for the attacker's tests: links to auth.User and to an unregistered model, a hidden field,
a field rule on salaries, a scope on employees and policies on projects."""

from django.conf import settings
from django.db import models

from cruddy_django import ResourceModel, route
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
        search_fields = ["name", "lead__name", "members__name"]


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
        # notes are not exposed, salaries only to staff, users not on the API: search must skip what it hides
        search_fields = ["name", "notes", "=salary", "user__username"]


class Project(ResourceModel):
    name = models.CharField(max_length=50)
    members = models.ManyToManyField(Employee, blank=True, related_name="projects")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Resource:
        namespace = "secure"
        policies = {"*": [is_authenticated], "destroy": [owner_only("owner")]}


def own_rows(request, queryset):
    """Staff see every row; other users their own; anonymous users none."""
    user = getattr(request, "user", None)
    if user is not None and user.is_staff:
        return queryset
    if user is None or not user.is_authenticated:
        return queryset.none()
    return queryset.filter(owner=user)


OPEN_TO_USERS = {"*": [is_authenticated]}


class Folder(ResourceModel):
    """Shared by every user; what hangs off it belongs to its owners."""

    name = models.CharField(max_length=50)
    badges: models.ManyToManyField = models.ManyToManyField("Badge", blank=True, related_name="folders")

    class Resource:
        namespace = "secure"
        fields = ["id", "name", "badges", "docs", "clips", "pins"]
        policies = OPEN_TO_USERS

    @route.get()
    def census(self) -> dict:
        """A route without parameters (its schema once broke the whole OpenAPI document)."""
        return {"docs": self.docs.count()}

    @route.post()
    def touch(self) -> None:
        """A writing route without parameters."""


class Doc(ResourceModel):
    """Owned by its folder: leaving the folder deletes it (CASCADE)."""

    name = models.CharField(max_length=50)
    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="docs")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")

    class Resource:
        namespace = "secure"
        scope = own_rows
        policies = OPEN_TO_USERS


class Clip(ResourceModel):
    """A nullable link: leaving the folder unlinks it."""

    name = models.CharField(max_length=50)
    folder = models.ForeignKey(Folder, null=True, blank=True, on_delete=models.SET_NULL, related_name="clips")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")

    class Resource:
        namespace = "secure"
        scope = own_rows
        policies = OPEN_TO_USERS


class Pin(ResourceModel):
    """A required link that does not cascade: it cannot leave the folder."""

    name = models.CharField(max_length=50)
    folder = models.ForeignKey(Folder, on_delete=models.PROTECT, related_name="pins")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")

    class Resource:
        namespace = "secure"
        scope = own_rows
        policies = OPEN_TO_USERS


class Badge(ResourceModel):
    """Many-to-many with folders, owner-scoped."""

    name = models.CharField(max_length=50)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")

    class Resource:
        namespace = "secure"
        scope = own_rows
        policies = OPEN_TO_USERS


class Booking(ResourceModel):
    """A conditional unique constraint, and a column the database requires that the API does not set."""

    room = models.CharField(max_length=20)
    day = models.DateField()
    active = models.BooleanField(default=True)
    seats = models.IntegerField()  # NOT NULL, no default, not on the API

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "day"], condition=models.Q(active=True),
                                               name="one_active_booking_per_room_and_day")]

    class Resource:
        namespace = "secure"
        exclude = ["seats"]
        upsert_keys = ["room", "day"]
        policies = OPEN_TO_USERS
