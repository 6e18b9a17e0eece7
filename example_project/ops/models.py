"""Mission operations: stations, and missions that fly a crew on a rocket to a station."""

import datetime

from django.db import models

from cruddy_django import ResourceModel


class Station(ResourceModel):
    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=1000, null=True, blank=True)
    coordinates = models.CharField(max_length=100, null=True, blank=True)

    class Resource:
        factory = "example_project.ops.factories.StationFactory"
        namespace = ""

    def __str__(self) -> str:
        return self.name


class Mission(ResourceModel):
    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=1000, null=True, blank=True)
    crew = models.ForeignKey("staff.Crew", on_delete=models.PROTECT, related_name="missions")
    rocket = models.ForeignKey("assets.Rocket", on_delete=models.PROTECT, related_name="missions")
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="missions")
    launch_date = models.DateField(default=datetime.date.today)

    class Resource:
        factory = "example_project.ops.factories.MissionFactory"
        namespace = ""
        search_fields = ["code", "name", "description"]
        selections = {"recent": models.Q(launch_date__year__gte=2024)}

    def __str__(self) -> str:
        return self.name
