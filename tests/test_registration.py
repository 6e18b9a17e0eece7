"""The three registration paths, look-ups and the errors of a bad registration."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from cruddy_django import ResourceModel, ResourceSite, site
from cruddy_django.exceptions import AlreadyRegistered, NotRegistered
from cruddy_django.registry.options import kebab_plural
from example_project.assets.models import Rocket, RocketPart
from example_project.staff.models import Crew
from tests.testapp.models import Author, Country, Secret, Tag


def test_mixin_subclasses_are_registered_with_their_inner_options():
    resource = site.get_resource(Author)
    assert resource.model is Author
    assert resource.options.namespace == "library"
    assert resource.options.url_prefix == "library/authors"


def test_decorator_registers_models_without_the_mixin():
    assert not issubclass(Tag, ResourceModel)
    assert site.get_resource("Tag").options.url_prefix == "library/tags"


def test_site_register_in_a_resources_module_is_autodiscovered():
    resource = site.get_resource(Country)
    assert resource.options.fields == ("code", "name")
    assert resource.options.url_prefix == "geo/countries"


@pytest.mark.parametrize("name", ["Crew", "crew", "staff.Crew", "staff.crew", "staff/crews"])
def test_get_resource_accepts_names_labels_and_url_prefixes(name):
    assert site.get_resource(name).model is Crew


def test_lookups_expose_generated_classes_named_after_the_model():
    resource = site.get_resource("Rocket")
    assert resource.serializer_class.__name__ == "RocketSerializer"
    assert resource.viewset.__name__ == "RocketViewSet"
    assert resource.filterset_class.__name__ == "RocketFilterSet"
    assert resource.serializer_class.Meta.model is Rocket


def test_unregistered_models_and_names_raise_not_registered():
    with pytest.raises(NotRegistered, match="Secret is not registered"):
        site.get_resource(Secret)
    with pytest.raises(NotRegistered, match="No resource is registered as 'Nope'"):
        site.get_resource("Nope")


def test_registering_twice_is_refused():
    with pytest.raises(AlreadyRegistered, match=r"assets\.Rocket is already registered"):
        site.register(Rocket)


def test_abstract_models_cannot_be_registered():
    with pytest.raises(ImproperlyConfigured, match="abstract"):
        ResourceSite().register(ResourceModel)


def test_unknown_options_are_refused_with_the_valid_names():
    with pytest.raises(ImproperlyConfigured, match=r"Unknown resource option\(s\) 'pagesize'.*page_size"):
        ResourceSite().register(Group, pagesize=10)


def test_a_string_where_a_list_is_expected_is_refused():
    with pytest.raises(ImproperlyConfigured, match=r"must be a list of field names.*\['name'\]"):
        ResourceSite().register(Group, fields="name")


def test_a_second_site_keeps_its_own_registry():
    other = ResourceSite(name="other")
    other.register(Group, path="teams")
    assert other.get_resource(Group).options.url_prefix == "auth/teams"
    assert not site.is_registered(Group)
    other.unregister(Group)
    with pytest.raises(NotRegistered):
        other.unregister(Group)


@pytest.mark.parametrize(
    ("name", "plural"),
    [("RocketPart", "rocket-parts"), ("Policy", "policies"), ("Box", "boxes"), ("Day", "days"),
     ("HTTPRequest", "http-requests"), ("Crew", "crews")],
)
def test_default_paths_are_kebab_case_plurals(name, plural):
    assert kebab_plural(name) == plural


def test_default_upsert_keys_and_ordering():
    assert site.get_resource(Rocket).options.effective_upsert_keys == ("code",)
    assert site.get_resource(RocketPart).options.effective_upsert_keys == ("rocket", "code")
    assert site.get_resource(Rocket).options.ordering == ("pk",)
    assert site.get_resource(Tag).options.ordering == ("name", "pk")


def test_a_proxy_of_a_resource_model_is_not_registered_unless_it_asks():
    class RocketProxy(Rocket):
        class Meta:
            proxy = True
            app_label = "assets"

    assert not site.is_registered(RocketProxy)


def test_reverse_relations_are_hidden_unless_listed():
    exposed = site.get_resource(Rocket).options.exposed_fields
    assert "parts" not in exposed
    assert list(exposed) == ["id", "code", "name", "description"]


def test_non_model_registration_is_refused():
    with pytest.raises(ImproperlyConfigured, match="Only Django models"):
        ResourceSite().register(models.Model.__class__)
