"""The static description: a pure, cached function of the introspection and the options."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Count, F, Sum

from cruddy_django import ResourceSite, site
from cruddy_django.access import access_for
from cruddy_django.meta import describe_resource, user_view
from cruddy_django.meta.types import json_default, to_json, type_label
from example_project.assets.models import Rocket
from tests.testapp.models import Book


def test_the_description_is_cached_per_resource_and_site_state():
    resource = site.get_resource(Book)
    assert describe_resource(resource) is describe_resource(resource)


def test_the_description_needs_no_request_and_no_database():
    description = describe_resource(site.get_resource(Book))  # no django_db mark: a query would fail
    assert description["model"] == "testapp.Book"
    assert "rights" not in description
    assert description["url"] == "library/books/"  # relative until a request makes it absolute


class Slug(models.SlugField):
    pass


class Money(models.Field):
    def get_internal_type(self):
        return "DecimalField"


@pytest.mark.parametrize(("field", "label"), [
    (Slug(), "string"), (models.PositiveSmallIntegerField(), "integer"), (models.BigAutoField(), "integer"),
    (models.DateTimeField(), "datetime"), (models.EmailField(), "string"), (Money(), "decimal"),
    (models.BinaryField(), "binary"), (models.ImageField(), "file"), (models.Field(), "unknown"),
])
def test_type_labels_are_found_along_the_mro_then_by_internal_type(field, label):
    assert type_label(field) == label


def test_defaults_as_json():
    import datetime
    import decimal

    assert json_default(models.NOT_PROVIDED) is None
    assert json_default(datetime.date.today) == {"$callable": "datetime.date.today"}
    assert json_default(decimal.Decimal("1.50")) == "1.50"
    assert to_json(datetime.timedelta(minutes=2)) == "00:02:00"
    assert to_json({"a": (1, datetime.date(2024, 1, 2))}) == {"a": [1, "2024-01-02"]}


@pytest.fixture
def computed_site():
    computed_site = ResourceSite(name="computed")
    computed_site.register(Rocket, computed={
        "parts_count": Count("parts"),
        "weight": Sum(F("parts__quantity") * F("parts__material__price")),
    })
    return computed_site


def test_computed_fields_are_read_only_sortable_and_typed_by_their_output(computed_site):
    fields = {field["name"]: field for field in describe_resource(computed_site.get_resource(Rocket))["fields"]}
    assert fields["parts_count"]["type"] == "integer"
    assert fields["weight"]["type"] == "float"
    for name in ("parts_count", "weight"):
        assert fields[name]["computed"] and fields[name]["read_only"] and fields[name]["sortable"]
        assert "gt" in fields[name]["operators"]


def test_relations_into_another_site_have_no_target(computed_site):
    fields = {field["name"]: field for field in describe_resource(computed_site.get_resource(Rocket))["fields"]}
    assert "parts" not in fields  # reverse relations are described only when listed


def test_regex_operators_only_when_the_site_allows_them(rf, settings):
    resource = site.get_resource(Book)
    request = rf.get("/")
    request.user = AnonymousUser()
    rights = dict.fromkeys(["list", "retrieve", "create", "update", "destroy"], True)

    def title():
        description = describe_resource(resource)
        routes = {route["name"]: True for route in description["routes"]}
        view = user_view(description, access_for(request, resource), rights=rights, routes=routes)
        return next(field for field in view["fields"] if field["name"] == "title")

    assert "regex" not in title()["operators"]
    settings.CRUDDY_DJANGO = {"ALLOW_REGEX": True}
    assert "regex" in title()["operators"]


def describe(model, fields=(), primary_key="id"):
    return {"model": model, "url": f"http://testserver/api/{model.lower()}/", "primary_key": primary_key,
            "fields": [{"name": "id", "type": "integer", "primary_key": True, "unique": True, "nullable": False},
                       *fields]}


def test_entities_sharing_a_model_name_get_their_app_label():
    from cruddy_django.meta.diagram import entity_names

    assert entity_names([describe("a.Tag"), describe("b.Tag"), describe("b.Book")]) == {
        "a.Tag": "a_Tag", "b.Tag": "b_Tag", "b.Book": "Book"}


def test_a_one_to_one_and_a_self_relation_in_the_diagram():
    from cruddy_django.meta.diagram import mermaid_er
    from cruddy_django.meta.svg import render_svg

    link = {"type": "relation", "primary_key": False, "nullable": True, "reverse": False, "target": "x/people"}
    people = describe("x.Person", [
        {**link, "name": "passport", "unique": True, "cardinality": "to_one", "target_model": "x.Passport"},
        {**link, "name": "mentor", "unique": False, "cardinality": "to_one", "target_model": "x.Person"}])
    text = mermaid_er([people, describe("x.Passport")])
    assert "    Person |o--o| Passport : passport\n" in text
    assert "    Person }o--o| Person : mentor\n" in text
    svg = render_svg([people, describe("x.Passport")])
    assert svg.count('class="entity"') == 2 and svg.count('stroke-width="1.4"') == 2  # two lines


def test_an_empty_site_draws_an_empty_picture():
    from cruddy_django.meta.diagram import mermaid_er
    from cruddy_django.meta.svg import render_svg

    assert mermaid_er([]) == "erDiagram\n"
    assert render_svg([]).startswith("<svg") and 'class="entity"' not in render_svg([])
