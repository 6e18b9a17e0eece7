"""Models for the write tests: every kind of to-many relation, delete strategies, tracked rows and a model
whose custom save forces row-by-row writes."""

from django.db import models

from cruddy_django import ResourceModel
from cruddy_django.models import Tracked


class Label(ResourceModel):
    name = models.CharField(max_length=30, unique=True)

    class Resource:
        namespace = "w"
        fields = ["id", "name", "owners"]  # a reverse many-to-many, writable as a list of pks


class Owner(ResourceModel):
    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=50)
    labels = models.ManyToManyField(Label, blank=True, related_name="owners")

    class Resource:
        namespace = "w"
        fields = ["id", "code", "name", "labels", "pets", "toys"]


class Pet(ResourceModel):
    """A nullable link: leaving an owner unlinks the pet."""

    name = models.CharField(max_length=30)
    owner = models.ForeignKey(Owner, null=True, blank=True, on_delete=models.SET_NULL, related_name="pets")

    class Resource:
        namespace = "w"


class Toy(ResourceModel):
    """An owned row: it cannot exist without its owner."""

    name = models.CharField(max_length=30)
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="toys")

    class Resource:
        namespace = "w"


class Kennel(ResourceModel):
    name = models.CharField(max_length=30)

    class Resource:
        namespace = "w"


class Dog(ResourceModel):
    name = models.CharField(max_length=30)
    kennel = models.ForeignKey(Kennel, on_delete=models.PROTECT, related_name="dogs")

    class Resource:
        namespace = "w"


class Memo(Tracked, ResourceModel):
    text = models.CharField(max_length=100)

    class Resource:
        namespace = "w"


class Gadget(ResourceModel):
    """A custom save: rows are saved one by one, and behave as in a single-row request."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=30)

    class Resource:
        namespace = "w"

    def save(self, *args, **kwargs):
        self.name = self.name.upper()
        super().save(*args, **kwargs)
