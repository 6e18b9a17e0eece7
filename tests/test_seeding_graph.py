"""Seeding order: the topological sort, cycles broken at nullable keys, and the keys filled afterwards."""

import pytest
from django.db import models

from cruddy_django import site
from cruddy_django.seeding import Seeder, SeedingError
from cruddy_django.seeding.graph import Dependency, dependency_order
from example_project.assets.models import Material, Rocket, RocketPart
from example_project.ops.models import Mission, Station
from example_project.staff.models import Astronaut, Crew


# Models that exist only for these tests (tables made by --no-migrations' syncdb): a cycle through one
# nullable key, and a tree through a nullable self-reference.
class SeedPilot(models.Model):
    name = models.CharField(max_length=50)
    favourite_plane = models.ForeignKey("SeedPlane", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        app_label = "testapp"


class SeedPlane(models.Model):
    code = models.CharField(max_length=2, unique=True)
    owner = models.ForeignKey(SeedPilot, on_delete=models.CASCADE, related_name="planes")

    class Meta:
        app_label = "testapp"


class SeedNode(models.Model):
    label = models.CharField(max_length=20)
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE, related_name="children")

    class Meta:
        app_label = "testapp"


def test_targets_come_before_the_models_pointing_to_them_and_ties_keep_the_given_order():
    edges = [Dependency("mission", "crew", "crew"), Dependency("mission", "rocket", "rocket"),
             Dependency("crew", "astronaut", "lead", breakable=True)]
    order, deferred = dependency_order(["mission", "crew", "rocket", "astronaut"], edges)
    assert order == ["rocket", "astronaut", "crew", "mission"]
    assert deferred == []


def test_a_cycle_is_broken_at_its_nullable_key():
    edges = [Dependency("pilot", "plane", "favourite_plane", breakable=True),
             Dependency("plane", "pilot", "owner")]
    order, deferred = dependency_order(["plane", "pilot"], edges)
    assert order == ["pilot", "plane"]
    assert deferred == [edges[0]]


def test_a_cycle_of_required_keys_is_an_error_naming_the_links():
    edges = [Dependency("a", "b", "b_key"), Dependency("b", "a", "a_key")]
    with pytest.raises(SeedingError, match=r"a\.b_key -> b ; b\.a_key -> a.*Make one of the keys nullable"):
        dependency_order(["a", "b"], edges)


def test_self_references_are_deferred_when_nullable_and_refused_when_required():
    assert dependency_order(["node"], [Dependency("node", "node", "parent", True)])[1][0].field == "parent"
    with pytest.raises(SeedingError, match="no first row"):
        dependency_order(["node"], [Dependency("node", "node", "parent")])


def test_dependencies_outside_the_request_are_ignored():
    assert dependency_order(["crew"], [Dependency("crew", "astronaut", "lead")]) == (["crew"], [])


@pytest.mark.django_db
def test_the_example_is_planned_in_dependency_order_with_empty_targets_added():
    plan = [model for model, _count in Seeder(site, seed=1).plan({Mission: 3})]
    assert plan[-1] is Mission
    assert set(plan) == {Mission, Crew, Rocket, Station, Material}  # Material: RocketFactory._seed_depends_on
    assert plan.index(Material) < plan.index(Rocket)
    full = [model for model, _count in Seeder(site, seed=1).plan(dict.fromkeys(
        [Mission, RocketPart, Crew, Rocket, Station, Material, Astronaut]))]
    for before, after in [(Astronaut, Crew), (Crew, Mission), (Rocket, RocketPart), (Material, RocketPart)]:
        assert full.index(before) < full.index(after)


@pytest.mark.django_db
def test_seeding_a_cycle_fills_the_nullable_key_afterwards():
    report = Seeder(site, seed=3).run({SeedPilot: 20, SeedPlane: 30})
    assert report == {SeedPilot: 20, SeedPlane: 30}
    assert SeedPilot.objects.filter(favourite_plane__isnull=True).count() == 0
    assert SeedPlane.objects.filter(owner__isnull=True).count() == 0
    assert len(set(SeedPlane.objects.values_list("code", flat=True))) == 30


@pytest.mark.django_db
def test_a_self_reference_makes_a_tree_of_earlier_rows():
    Seeder(site, seed=4).run({SeedNode: 50})
    nodes = list(SeedNode.objects.order_by("pk"))
    assert nodes[0].parent_id is None
    assert all(node.parent_id < node.pk for node in nodes[1:])
