"""Personnel: astronauts, and the crews they fly in."""

from django.db import models

from cruddy_django import Key, ResourceModel, route


class Role(models.TextChoices):
    DOCTOR = "doctor"
    ENGINEER = "engineer"
    PILOT = "pilot"
    TECHNICIAN = "technician"


class Astronaut(ResourceModel):
    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=100)
    role = models.CharField(max_length=20, choices=Role.choices)

    class Resource:
        factory = "example_project.staff.factories.AstronautFactory"

    def __str__(self) -> str:
        return self.name


class Crew(ResourceModel):
    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=100)
    astronauts = models.ManyToManyField(Astronaut, related_name="crews", blank=True)
    lead = models.ForeignKey(
        Astronaut, null=True, blank=True, on_delete=models.SET_NULL, related_name="crew_lead"
    )

    class Resource:
        factory = "example_project.staff.factories.CrewFactory"

    def __str__(self) -> str:
        return self.name

    @route.post()
    def assign_lead(self, astronaut: Key[Astronaut]) -> "Crew":
        """Make one of the crew's astronauts its lead."""
        if not self.astronauts.filter(pk=astronaut.pk).exists():
            raise ValueError("The lead must be part of the crew")
        self.lead = astronaut
        self.save(update_fields=["lead"])
        return self
