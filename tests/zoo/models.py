"""The model zoo: every built-in field type and every relation kind a real project uses, for the table-driven
and property-based tests of test_zoo_*.py (the PostgreSQL-only fields live in tests.zoo_pg).

A custom user model (not AUTH_USER_MODEL), UUID and CharField primary keys, a self-referential tree, a
one-to-one, a many-to-many through a model with extra columns, a generic foreign key and its generic relation,
multi-table inheritance (whose parent refuses anonymous creates and hides a staff-only field), a proxy with
its own manager and a soft-delete manager.
"""

import uuid
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from cruddy_django import Key, ResourceModel, route
from cruddy_django.policies import allow_any, is_authenticated


def is_staff(request, obj=None):
    return bool(request and request.user.is_staff)


def published_unless_staff(request, queryset):
    return queryset if is_staff(request) else queryset.filter(published=True)


class Size(models.TextChoices):
    SMALL = "s", "Small"
    LARGE = "l", "Large"


class Everything(ResourceModel):
    """One column of every built-in field type that works on every database."""

    big_integer = models.BigIntegerField(default=0)
    small_integer = models.SmallIntegerField(default=0)
    integer = models.IntegerField(default=0, validators=[MinValueValidator(-1000), MaxValueValidator(1000)])
    positive_integer = models.PositiveIntegerField(default=0)
    positive_small = models.PositiveSmallIntegerField(default=0)
    positive_big = models.PositiveBigIntegerField(default=0)
    boolean = models.BooleanField(default=False)
    maybe = models.BooleanField(null=True, blank=True)
    char = models.CharField(max_length=40, blank=True, default="")
    choice = models.CharField(max_length=1, choices=Size.choices, default=Size.SMALL)
    text = models.TextField(blank=True, default="")
    slug = models.SlugField(max_length=40, blank=True, default="")
    email = models.EmailField(blank=True, default="")
    url = models.URLField(blank=True, default="")
    ip = models.GenericIPAddressField(null=True, blank=True)
    file_path = models.FilePathField(path="/tmp", blank=True, default="")
    decimal = models.DecimalField(max_digits=9, decimal_places=3, default=0)
    float = models.FloatField(default=0)
    date = models.DateField(null=True, blank=True)
    datetime = models.DateTimeField(null=True, blank=True)
    time = models.TimeField(null=True, blank=True)
    duration = models.DurationField(null=True, blank=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    json = models.JSONField(default=dict, blank=True)
    binary = models.BinaryField(null=True, blank=True)
    file = models.FileField(upload_to="zoo", blank=True, default="")
    image = models.ImageField(upload_to="zoo", blank=True, default="")
    doubled = models.GeneratedField(expression=F("integer") * 2, output_field=models.BigIntegerField(),
                                    db_persist=True)

    class Resource:
        namespace = "zoo"
        path = "everything"


class MemberManager(BaseUserManager):
    def create_user(self, email, password=None, **extra):
        member = self.model(email=self.normalize_email(email), **extra)
        member.set_password(password)
        member.save(using=self._db)
        return member


class Member(AbstractBaseUser, ResourceModel):
    """A custom user model (a project's AUTH_USER_MODEL would look the same)."""

    id = models.SmallAutoField(primary_key=True)
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=60)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    is_superuser = models.BooleanField(default=False)

    USERNAME_FIELD = "email"
    objects = MemberManager()

    class Resource:
        namespace = "zoo"
        exclude = ["password"]


class Passport(ResourceModel):
    """A one-to-one companion of a member (the reverse to-one relation ``member.passport``)."""

    number = models.CharField(max_length=12, unique=True)
    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="passport")

    class Resource:
        namespace = "zoo"


class Language(ResourceModel):
    """A CharField primary key."""

    code = models.CharField(max_length=8, primary_key=True)
    name = models.CharField(max_length=40)

    class Resource:
        namespace = "zoo"


class Shelf(ResourceModel):
    """A UUID primary key; its sponsors are linked through a model whose amount has no default."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    label = models.CharField(max_length=40)
    sponsors: models.ManyToManyField = models.ManyToManyField("Member", through="Sponsorship", blank=True,
                                                              related_name="shelves")

    @route.post()
    def sponsor(self, member: "Key['Member']", amount: Decimal = Decimal("1.00")) -> "Shelf":
        """A key written as text, naming a model of the same app."""
        Sponsorship.objects.create(shelf=self, member=member, amount=amount)
        return self

    class Meta:
        verbose_name_plural = "shelves"

    class Resource:
        namespace = "zoo"


class Sponsorship(ResourceModel):
    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE, related_name="sponsorships")
    member = models.ForeignKey("Member", on_delete=models.CASCADE, related_name="sponsorships")
    amount = models.DecimalField(max_digits=8, decimal_places=2)

    class Resource:
        namespace = "zoo"


class Category(ResourceModel):
    """A self-referential tree."""

    id = models.AutoField(primary_key=True)
    name = models.CharField(max_length=40)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")

    class Meta:
        verbose_name_plural = "categories"

    class Resource:
        namespace = "zoo"


class Writer(ResourceModel):
    name = models.CharField(max_length=60)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="writers")

    class Resource:
        namespace = "zoo"


class Publication(ResourceModel):
    """The parent of a multi-table inheritance: anonymous users may read but not create, and only staff read
    the royalty. Its writers are linked through Authorship rows."""

    title = models.CharField(max_length=100)
    isbn = models.CharField(max_length=13, unique=True)
    royalty = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    published = models.BooleanField(default=True)
    language = models.ForeignKey(Language, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="publications")
    shelf = models.ForeignKey(Shelf, null=True, blank=True, on_delete=models.SET_NULL, related_name="publications")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="publications")
    writers = models.ManyToManyField(Writer, through="Authorship", blank=True, related_name="publications")
    comments = GenericRelation("Comment", related_query_name="publication")

    class Resource:
        namespace = "zoo"
        policies = {"*": [allow_any], "create": [is_authenticated], "update": [is_authenticated],
                    "destroy": [is_authenticated]}
        field_rules = {"royalty": {"read": is_staff, "write": is_staff}}
        scope = published_unless_staff
        search_fields = ["title"]

    @route.post()
    def credit(self, writer: Key["zoo.Writer"],  # type: ignore[name-defined]  # noqa: F821
               role: str = "author", position: int = 0) -> "Publication":
        """Credit a writer (by an "app_label.Model" key); the writer may be sent bare."""
        Authorship.objects.update_or_create(writer=writer, publication=self,
                                            defaults={"role": role, "position": position})
        return self

    @route.post()
    def claim(self, user: Key[settings.AUTH_USER_MODEL], note: str = "") -> dict:  # type: ignore[name-defined]
        """A key to the project's user model, by its setting."""
        return {"user": user.pk, "note": note}


class Authorship(ResourceModel):
    """The through model of Publication.writers, with extra columns and defaults."""

    writer = models.ForeignKey(Writer, on_delete=models.CASCADE, related_name="authorships")
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="authorships")
    role = models.CharField(max_length=20, default="author")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        unique_together = [("writer", "publication")]

    class Resource:
        namespace = "zoo"


class Ebook(Publication):
    """A multi-table-inheritance child: served with its parent's options, as it declares none."""

    file_format = models.CharField(max_length=10, default="epub")
    megabytes = models.FloatField(default=1.5)


class FeaturedPublication(Publication):
    """A proxy with its own manager (only the published rows) and its own path."""

    class FeaturedManager(models.Manager):
        def get_queryset(self):
            return super().get_queryset().filter(published=True)

    objects: ClassVar[models.Manager] = FeaturedManager()

    class Meta:
        proxy = True

    class Resource:
        namespace = "zoo"
        path = "featured"


class Comment(ResourceModel):
    """A generic foreign key: a comment on any row (publications, writers, ...)."""

    text = models.CharField(max_length=200)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]

    class Resource:
        namespace = "zoo"


class AliveManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(deleted=False)


class Diary(ResourceModel):
    """A soft-delete manager: the default manager hides deleted rows."""

    entry = models.CharField(max_length=100)
    deleted = models.BooleanField(default=False)
    code = models.CharField(max_length=10, unique=True)

    objects = AliveManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name_plural = "diaries"

    class Resource:
        namespace = "zoo"


class Loose(ResourceModel):
    """No unique field and no upsert_keys: an upsert has no key. Its tag is unique among the active rows."""

    name = models.CharField(max_length=20)
    tag = models.CharField(max_length=20)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag"], condition=Q(active=True),
                                               name="zoo_loose_active_tag_unique")]

    class Resource:
        namespace = "zoo"
