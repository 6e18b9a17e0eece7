"""Physical resources: materials, and rockets assembled from parts made of them."""

from django.db import models

from cruddy_django import ResourceModel
from cruddy_django.validators import GreaterThanValidator


class Material(ResourceModel):
    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=1000, null=True, blank=True)
    price = models.FloatField(validators=[GreaterThanValidator(0)])

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(price__gt=0), name="material_price_gt_0")]

    class Resource:
        factory = "example_project.assets.factories.MaterialFactory"

    def __str__(self) -> str:
        return self.name


class Rocket(ResourceModel):
    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=1000, null=True, blank=True)

    class Resource:
        factory = "example_project.assets.factories.RocketFactory"

    def __str__(self) -> str:
        return self.name


class RocketPart(ResourceModel):
    code = models.CharField(max_length=10)
    rocket = models.ForeignKey(Rocket, on_delete=models.CASCADE, related_name="parts")
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="rocket_parts")
    quantity = models.PositiveIntegerField()

    class Meta:
        unique_together = [("rocket", "code"), ("rocket", "material")]

    class Resource:
        factory = "example_project.assets.factories.RocketPartFactory"

    def __str__(self) -> str:
        return f"{self.rocket_id}/{self.code}"
