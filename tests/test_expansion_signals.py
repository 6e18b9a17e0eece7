"""``before_query`` reaches expansions: the related rows of ``expand`` (and of ``fields``/``include`` paths) go
through the related model's receivers with the action ``"expand"``, on both read paths, for to-one joins,
to-many hops, prefetches and generic relations alike."""

import pytest
from django.contrib.auth.models import User

from cruddy_django import signals
from cruddy_django.policies import per_row
from tests.testapp.models import Author, Book
from tests.zoo.models import Comment, Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def hide():
    """``hide(Book, title="Hidden")``: a before_query receiver that drops those rows, recording its calls."""
    connected, calls = [], []

    def connect(model, **lookup):
        def receiver(sender, queryset, request, action, **kwargs):
            calls.append((sender, action, request is not None))
            return queryset.exclude(**lookup)

        signals.before_query.connect(receiver, sender=model, weak=False)
        connected.append((receiver, model))
        return calls

    yield connect
    for receiver, model in connected:
        signals.before_query.disconnect(receiver, sender=model)


@pytest.fixture
def library():
    author = Author.objects.create(name="Ann", email="ann@x.org")
    Book.objects.create(title="Shown", isbn="1", price=1, author=author)
    Book.objects.create(title="Hidden", isbn="2", price=1, author=author)
    return author


def titles(row):
    return [book["title"] for book in row["books"]]


def test_to_many_expansions_on_the_fast_path(api, library, hide):
    assert titles(api.get("/api/library/authors/?expand=books").json()["results"][0]) == ["Shown", "Hidden"]
    calls = hide(Book, title="Hidden")
    assert titles(api.get("/api/library/authors/?expand=books").json()["results"][0]) == ["Shown"]
    assert (Book, "expand", True) in calls
    assert api.get("/api/library/authors/?fields=books").json()["results"][0]["books"] == [
        Book.objects.get(title="Shown").pk]


def test_to_many_expansions_on_the_drf_path(api, library, hide, reconfigure):
    reconfigure(Author, field_rules={"email": {"read": per_row(lambda request, obj: True)}})
    hide(Book, title="Hidden")
    assert titles(api.get(f"/api/library/authors/{library.pk}/?expand=books").json()) == ["Shown"]


def test_to_one_expansions_are_not_joined_past_a_receiver(api, library, hide):
    assert api.get("/api/library/books/?expand=author").json()["results"][0]["author"]["name"] == "Ann"
    hide(Author, name="Ann")
    rows = api.get("/api/library/books/?expand=author").json()["results"]
    assert [row["author"] for row in rows] == [None, None]


def test_generic_expansions(api, hide):
    api.force_authenticate(User.objects.create_user("staff", is_staff=True))
    Comment.objects.create(text="c", target=Publication.objects.create(title="Hidden", isbn="1"))
    hide(Publication, title="Hidden")
    assert api.get("/api/zoo/comments/?expand=target").json()["results"][0]["target"]["object"] is None
