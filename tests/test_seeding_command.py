"""``manage.py seed``: counts, summary, determinism, --clear, bulk and per-row paths, errors."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from cruddy_django import site
from cruddy_django.seeding import Seeder
from example_project.assets.models import Material, Rocket, RocketPart
from example_project.ops.models import Mission, Station
from example_project.staff.models import Astronaut, Crew
from tests.testapp.models import Author, Book, Country, Review, Tag

pytestmark = pytest.mark.django_db
EXAMPLE = [Material, Rocket, RocketPart, Astronaut, Crew, Station, Mission]


def seed(*args):
    out = io.StringIO()
    call_command("seed", *args, stdout=out)
    return out.getvalue()


def _ranks(model):
    return {pk: rank for rank, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True))}


def snapshot(models):
    """Every row's values with primary and foreign keys replaced by ranks, so two runs on fresh tables
    compare equal whatever their sequences say."""
    ranks = {model: _ranks(model) for model in models}
    rows = {}
    for model in models:
        fields = model._meta.concrete_fields
        keys = {field.attname: field.related_model for field in fields if field.is_relation}
        rows[model.__name__] = [
            {name: ranks[keys[name]][value] if name in keys and value is not None else value
             for name, value in row.items() if name != "id"}
            for row in model.objects.order_by("pk").values(*[field.attname for field in fields])
        ]
    rows["crew_members"] = sorted(
        (ranks[Crew][crew], ranks[Astronaut][astronaut])
        for crew, astronaut in Crew.astronauts.through.objects.values_list("crew_id", "astronaut_id"))
    return rows


def test_no_arguments_seeds_the_example_like_the_seed_script():
    output = seed("--seed", "1")
    assert output.startswith("Mock data generated:\n")
    for model in (Material, Rocket, Astronaut, Station, Mission):
        assert 1 <= model.objects.count() <= 100
        assert f"- {model._meta.verbose_name_plural.capitalize()}: {model.objects.count()}\n" in output
    assert 1 <= Crew.objects.count() <= 10
    for crew in Crew.objects.prefetch_related("astronauts"):
        members = set(crew.astronauts.all())
        assert 2 <= len(members) <= 10 and crew.lead in members
    per_rocket = Counter(RocketPart.objects.values_list("rocket_id", flat=True))
    assert set(per_rocket) == set(Rocket.objects.values_list("pk", flat=True))
    assert all(1 <= count <= 10 for count in per_rocket.values())
    for rocket in Rocket.objects.prefetch_related("parts")[:10]:
        codes = sorted(part.code for part in rocket.parts.all())
        assert codes == [f"{index * 10:04d}" for index in range(len(codes))]
    for model in EXAMPLE:
        for row in model.objects.all()[:50]:
            row.full_clean()


def test_counts_per_model_and_the_count_option():
    output = seed("testapp.Tag=7", "testapp.Book=3", "testapp.Country", "--count", "4")
    assert (Tag.objects.count(), Book.objects.count(), Country.objects.count()) == (7, 3, 4)
    assert Author.objects.count() == 10  # Book needs an author and there was none: the default count
    assert "- Tags: 7\n" in output and "- Books: 3\n" in output and "- Authors: 10\n" in output
    seed("testapp.Book=0", "testapp")
    assert Book.objects.count() == 3 and Review.objects.count() == 10


def test_the_same_seed_gives_the_same_data_on_fresh_tables():
    seed("--seed", "7", *[f"{model._meta.label}" for model in EXAMPLE])
    first = snapshot(EXAMPLE)
    seed("--seed", "7", "--clear", "--no-input", *[f"{model._meta.label}" for model in EXAMPLE])
    assert snapshot(EXAMPLE) == first
    seed("--seed", "8", "--clear", "--no-input", *[f"{model._meta.label}" for model in EXAMPLE])
    assert snapshot(EXAMPLE) != first


def test_clear_deletes_the_named_models_rows_after_confirmation(monkeypatch):
    seed("testapp.Tag=5")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Seeding cancelled: nothing was deleted"):
        seed("testapp.Tag=2", "--clear")
    assert Tag.objects.count() == 5
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    seed("testapp.Tag=2", "--clear")
    assert Tag.objects.count() == 2
    seed("testapp.Tag=3", "--clear", "--no-input")
    assert Tag.objects.count() == 3


def test_clear_refuses_rows_protected_by_models_left_out():
    seed("ops.Mission=2")
    with pytest.raises(CommandError, match=r"Cannot clear staff\.Crew: rows of ops\.Mission .* protect it"):
        seed("staff.Crew=1", "--clear", "--no-input")


def test_seeding_adds_to_existing_rows_without_unique_collisions():
    seed("testapp.Country=600", "testapp.Tag=300")
    seed("testapp.Country=600", "testapp.Tag=300")
    assert Country.objects.count() == 1_200 and Tag.objects.count() == 600
    with pytest.raises(CommandError, match=r"Country\.code is unique and holds at most 1,296 .*max_length=2"):
        seed("testapp.Country=100")


def test_unique_together_holds_when_nearly_every_combination_is_taken():
    seed("--seed", "5", "assets.Material=4", "assets.Rocket=3")
    RocketPart.objects.all().delete()
    seed("--seed", "5", "assets.RocketPart=12")  # 3 rockets x 4 materials: every pair, once
    pairs = list(RocketPart.objects.values_list("rocket_id", "material_id"))
    assert len(set(pairs)) == 12
    with pytest.raises(CommandError, match=r"Could not make a RocketPart .*rocket_id\+material_id"):
        seed("assets.RocketPart=1")
    reviews = Seeder(site, seed=2).run({Book: 2, Review: 150})[Review]
    assert reviews == 150 and len(set(Review.objects.values_list("book_id", "reviewer"))) == 150


def test_many_to_many_relations_are_sampled_from_existing_rows():
    seed("--seed", "3", "testapp.Tag=6", "testapp.Book=40")
    through = Book.tags.through.objects
    per_book = Counter(through.values_list("book_id", flat=True))
    assert set(through.values_list("tag_id", flat=True)) <= set(Tag.objects.values_list("pk", flat=True))
    assert max(per_book.values()) <= 5 and len(set(per_book.values())) > 1


def test_factories_with_their_own_post_generation_are_created_row_by_row(monkeypatch):
    class RowByRowCrewFactory(site.get_resource(Crew).factory):
        class Meta:
            model = Crew

        _seed_bulk = None  # a post-generation step and no bulk twin declared: one create() per row

    monkeypatch.setitem(site.get_resource(Crew).__dict__, "factory", RowByRowCrewFactory)
    seed("staff.Astronaut=12", "staff.Crew=6")
    assert Crew.objects.count() == 6
    for crew in Crew.objects.all():
        assert 2 <= crew.astronauts.count() <= 10 and crew.astronauts.filter(pk=crew.lead_id).exists()


def test_progress_is_drawn_on_a_terminal_only():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    call_command("seed", "testapp.Tag=2500", stdout=terminal)
    assert "\rtestapp.Tag" in terminal.getvalue() and "2,500/2,500" in terminal.getvalue()
    assert "\r" not in seed("testapp.Tag=10")
    quiet = Terminal()
    call_command("seed", "testapp.Tag=10", "--quiet", stdout=quiet)
    assert quiet.getvalue() == ""


@pytest.mark.parametrize(("args", "message"), [
    (["assets.Rockett"], r"Unknown model 'assets\.Rockett': use app_label\.ModelName"),
    (["nowhere"], r"'nowhere' is neither an app with resources \(.*assets.*\) nor a registered resource"),
    (["assets.Rocket=-3"], r"The count in 'assets\.Rocket=-3' must be a whole number of rows"),
    (["assets.Rocket=many"], r"must be a whole number of rows \(0 or more\), not 'many'"),
    (["--count", "-1"], r"--count must be 0 or more, not -1"),
])
def test_bad_arguments_are_command_errors_with_a_clear_sentence(args, message):
    with pytest.raises(CommandError, match=message):
        seed(*args)
    assert Rocket.objects.count() == 0
