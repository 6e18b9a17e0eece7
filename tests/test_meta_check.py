"""POST <collection>/_check: one field of a partial item, validated as a real write would."""

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from example_project import settings as example_settings
from tests.testapp.models import Author, Book

pytestmark = pytest.mark.django_db

@pytest.fixture
def api(signed_in_api):
    """_check needs the right to write: the default policies ask for a signed-in user."""
    return signed_in_api



def check(api, url, item, path):
    response = api.post(url, {"item": item, "path": path}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["error"]


@pytest.fixture
def book():
    author = Author.objects.create(name="Ann", email="ann@example.com")
    return Book.objects.create(title="Dune", isbn="123", price=10, author=author)


@pytest.mark.parametrize(("item", "path", "error"), [
    ({"title": "Dune"}, "title", None),
    ({"title": "x" * 201}, "title", "Ensure this field has no more than 200 characters."),
    ({}, "title", "This field is required."),
    ({"title": None}, "title", "This field may not be null."),
    ({"pages": "many"}, "pages", "A valid integer is required."),
    ({"pages": -1}, "pages", "Ensure this value is greater than or equal to 0."),
    ({"genre": "poetry"}, "genre", '"poetry" is not a valid choice.'),
    ({"genre": "science"}, "genre", None),
    ({"website": "not a url"}, "website", "Enter a valid URL."),
    ({"rating": None}, "rating", None),
    ({}, "rating", None),
    ({"author": 999999}, "author", 'Invalid pk "999999" - object does not exist.'),
    ({"title": "Dune"}, "$.title", None),
])
def test_field_validators_choices_and_lengths(api, item, path, error):
    assert check(api, "/api/library/books/_check", item, path) == error


def test_other_invalid_fields_are_ignored(api):
    assert check(api, "/api/library/books/_check", {"title": "ok", "pages": "many"}, "title") is None


def test_uniqueness_excludes_the_row_being_edited(api, book):
    url = "/api/library/books/_check/"
    assert check(api, url, {"isbn": "123"}, "isbn") == "book with this isbn already exists."
    assert check(api, url, {"isbn": "124"}, "isbn") is None
    assert check(api, url, {"id": book.pk, "isbn": "123"}, "isbn") is None
    assert check(api, url, {"id": book.pk}, "isbn") is None  # an update keeps the stored value


def test_unique_together_when_the_other_fields_are_known(api, book):
    api.post("/api/library/reviews/", {"book": book.pk, "reviewer": "Zoe", "stars": 4}, format="json")
    url = "/api/library/reviews/_check"
    assert check(api, url, {"book": book.pk, "reviewer": "Zoe"}, "reviewer") == \
        "The fields book, reviewer must make a unique set."
    assert check(api, url, {"book": book.pk, "reviewer": "Max"}, "reviewer") is None
    assert check(api, url, {"reviewer": "Zoe"}, "reviewer") is None  # the book is unknown: cannot tell
    assert check(api, url, {"stars": 6}, "stars") == "Ensure this value is less than or equal to 5."


def test_read_only_and_rule_protected_fields(api):
    assert check(api, "/api/library/books/_check", {"created_at": "2024-01-01T00:00:00Z"}, "created_at") == \
        "This field is read-only."
    assert check(api, "/api/library/books/_check", {}, "id") == "This field is read-only."
    api.force_authenticate(User.objects.create_user("boss", is_staff=True))  # reads salaries, may not write
    assert check(api, "/api/secure/employees/_check", {"salary": 10}, "salary") == "You may not set this field."


@pytest.mark.parametrize("path", ["nope", "salary", "notes", "title.x"])
def test_an_unknown_or_hidden_path_is_a_400(api, path):
    url = "/api/library/books/_check" if path in {"nope", "title.x"} else "/api/secure/employees/_check"
    response = api.post(url, {"item": {}, "path": path}, format="json")
    assert response.status_code == 400
    assert "path" in response.json()


@pytest.mark.parametrize("body", [[1], {"item": [], "path": "title"}, {"item": {}}, {"item": {}, "path": 3},
                                  {"item": {"nope": 1}, "path": "title"}])
def test_malformed_bodies_are_400(api, body):
    assert api.post("/api/library/books/_check", body, format="json").status_code == 400


def test_check_needs_the_right_to_write(settings):
    settings.CRUDDY_DJANGO = example_settings.CRUDDY_DJANGO  # writes need a signed-in user
    api = APIClient()
    response = api.post("/api/assets/materials/_check", {"item": {"code": "A"}, "path": "code"}, format="json")
    assert response.status_code in {401, 403}
    api.force_authenticate(User.objects.create_user("demo"))
    assert check(api, "/api/assets/materials/_check", {"code": "A"}, "code") is None
    assert check(api, "/api/assets/materials/_check", {"price": 0}, "price") == \
        "Ensure this value is greater than 0."
