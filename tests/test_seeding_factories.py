"""Factories built by introspection: valid values for every field type, unique values, relations."""

import datetime
import decimal
import uuid

import factory
import pytest
from django.contrib.auth.models import User
from django.core.validators import MaxValueValidator, MinValueValidator
from hypothesis import given, settings
from hypothesis import strategies as st

from cruddy_django import site
from cruddy_django.introspection import model_graph
from cruddy_django.seeding import SeedingError, SeedingFactory, factory_for
from cruddy_django.seeding.providers import realistic_range, value_generator
from cruddy_django.seeding.unique import UniqueValue, capacity, token
from cruddy_django.validators import GreaterThanValidator
from example_project.assets.models import Material, Rocket, RocketPart
from example_project.ops.models import Station
from example_project.staff.models import Astronaut, Crew
from tests.testapp.models import Author, Book, Country, Genre, Note, Review, Tag

TESTAPP_MODELS = [Tag, Author, Book, Review, Country, Note]


def test_generated_factories_are_named_after_the_model_and_cached():
    assert factory_for(Book).__name__ == "BookFactory"
    assert issubclass(factory_for(Book), factory.django.DjangoModelFactory)
    assert issubclass(factory_for(Book), SeedingFactory)
    assert factory_for(Book) is factory_for(Book)


def test_every_field_type_gets_a_declaration_and_auto_fields_are_left_to_django():
    declarations = factory_for(Book)._meta.declarations
    assert {"id", "created_at"}.isdisjoint(declarations)
    assert set(declarations) == {
        "title", "isbn", "pages", "price", "rating", "published", "available", "uuid", "metadata",
        "duration", "reading_time", "website", "genre", "author", "tags",
    }
    assert isinstance(declarations["isbn"], UniqueValue)
    assert isinstance(factory_for(Country)._meta.declarations["code"], UniqueValue)  # a natural pk


@pytest.mark.django_db
@pytest.mark.parametrize("model", TESTAPP_MODELS, ids=lambda model: model.__name__)
def test_created_rows_pass_full_clean(model):
    for instance in factory_for(model).create_batch(20):
        instance.full_clean()


@pytest.mark.django_db
def test_values_have_the_field_types_and_respect_lengths_choices_and_validators():
    for book in factory_for(Book).create_batch(30):
        assert isinstance(book.price, decimal.Decimal) and book.price == round(book.price, 2)
        assert isinstance(book.published, datetime.date) and isinstance(book.uuid, uuid.UUID)
        assert isinstance(book.duration, datetime.timedelta) and isinstance(book.reading_time, datetime.time)
        assert isinstance(book.metadata, dict) and book.genre in Genre.values
        assert len(book.isbn) == 13 and book.isbn.isdigit()
        assert 0 <= book.rating <= 5
    assert {review.stars for review in factory_for(Review).create_batch(60)} <= {1, 2, 3, 4, 5}
    assert all(material.price > 0 for material in factory_for(Material).build_batch(200))


def test_field_names_choose_the_faker_provider():
    station = factory_for(Station).build()
    latitude, longitude = eval(station.coordinates)  # "('33.7207', '-116.21677')", like the seed script
    assert -90 <= float(latitude) <= 90 and -180 <= float(longitude) <= 180
    assert "@" in factory_for(Author).build().email
    assert factory_for(Material).build().code.isdigit()


def test_number_ranges_move_inside_the_validators():
    info = model_graph(Review).fields["stars"]
    assert realistic_range(info, 1) == (1, 5)
    price = model_graph(Material).fields["price"]
    low, high = realistic_range(price, 0.01)
    assert low > 0 and high > low
    assert any(isinstance(validator, GreaterThanValidator) for validator in price.validators)
    assert {type(v) for v in info.validators} >= {MinValueValidator, MaxValueValidator}
    generate = value_generator(info)
    assert {generate() for _ in range(200)} == {1, 2, 3, 4, 5}


def test_short_unique_codes_do_not_collide_far_beyond_what_random_draws_allow():
    declaration = factory_for(Country)._meta.declarations["code"]
    declaration.reset()
    codes = [declaration.draw() for _ in range(1_200)]  # 36 * 36 = 1,296 two-character codes
    assert len(set(codes)) == 1_200 and max(map(len, codes)) <= 2
    assert capacity(model_graph(Country).fields["code"]) == 1_296
    with pytest.raises(SeedingError, match=r"Country\.code is unique and holds at most 1,296"):
        for _ in range(200):  # the guaranteed 1,296, plus the one-digit codes the provider may draw
            declaration.draw()
    declaration.reset()


def test_unique_fields_with_a_narrow_provider_fall_back_to_an_enumeration():
    declaration = factory_for(Tag)._meta.declarations["name"]
    declaration.reset()
    names = [declaration.draw() for _ in range(5_000)]
    assert len(set(names)) == 5_000 and max(map(len, names)) <= 30
    declaration.reset()


@pytest.mark.django_db
def test_unique_values_skip_rows_already_stored_when_creating():
    declaration = factory_for(Country)._meta.declarations["code"]
    declaration.reset()
    first = factory_for(Country).create()
    declaration.reset()  # forget it: the database check must still avoid the stored code
    codes = {country.code for country in factory_for(Country).create_batch(50)}
    assert first.code not in codes and len(codes) == 50


@pytest.mark.django_db
def test_foreign_keys_point_to_existing_rows_or_create_one():
    assert Author.objects.count() == 0
    book = factory_for(Book).create()
    assert Author.objects.count() == 1 and book.author == Author.objects.get()
    books = factory_for(Book).create_batch(10)
    assert Author.objects.count() == 1 and {b.author_id for b in books} == {book.author_id}


@pytest.mark.django_db
def test_nullable_foreign_keys_stay_empty_rather_than_invent_a_row():
    assert factory_for(Author).create().user is None
    user = User.objects.create(username="ada")
    assert factory_for(Author).create().user == user


def test_build_never_touches_the_database():
    book = factory_for(Book).build()  # no django_db mark: a query would fail the test
    assert book.pk is None and book.author.pk is None


@pytest.mark.django_db
def test_many_to_many_relations_get_a_sample_of_existing_rows():
    tags = factory_for(Tag).create_batch(8)
    sizes = {factory_for(Book).create().tags.count() for _ in range(30)}
    assert sizes <= set(range(6)) and len(sizes) > 1  # blank=True: 0 to 5 tags
    chosen = factory_for(Book).create(tags=tags[:2])
    assert set(chosen.tags.all()) == set(tags[:2])


@pytest.mark.django_db
def test_resources_expose_their_factory_for_test_suites():
    rockets = site.get_resource("Rocket").factory.create_batch(5)
    assert site.get_resource("Rocket").factory.__name__ == "RocketFactory"
    assert issubclass(site.get_resource("Rocket").factory, factory_for(Rocket))
    assert len(rockets) == 5 and Material.objects.exists()
    for rocket in rockets:
        parts = list(rocket.parts.order_by("code"))
        assert 1 <= len(parts) <= 10
        assert [part.code for part in parts] == [f"{index * 10:04d}" for index in range(len(parts))]
        assert len({part.material_id for part in parts}) == len(parts)
    assert site.get_resource(Tag).factory is factory_for(Tag)


@pytest.mark.django_db
def test_hand_written_post_generation_picks_the_crew_lead_among_its_astronauts():
    crew = site.get_resource("Crew").factory.create()
    members = set(crew.astronauts.all())
    assert 2 <= len(members) <= 10 and crew.lead in members
    chosen = Astronaut.objects.all()[:2]
    crew = site.get_resource(Crew).factory.create(astronauts=chosen)
    assert set(crew.astronauts.all()) == set(chosen) and crew.lead in set(chosen)
    assert RocketPart.objects.count() == 0


@given(capacity_=st.integers(min_value=1, max_value=5_000), seed=st.integers(min_value=0, max_value=2**32))
@settings(max_examples=50, deadline=None)
def test_the_shuffled_enumeration_visits_every_value_once(capacity_, seed):
    factory.random.reseed_random(seed)
    declaration = UniqueValue(model_graph(Country).fields["code"], lambda: "XX")
    declaration.capacity = capacity_
    assert sorted(declaration._position(cursor) for cursor in range(capacity_)) == list(range(capacity_))


@given(width=st.integers(min_value=1, max_value=12), index=st.integers(min_value=0, max_value=36**6))
def test_tokens_are_fixed_width_and_distinct(width, index):
    assert len(token(index % 36**width, width)) == width
    assert token(index, width) != token(index + 1, width)
