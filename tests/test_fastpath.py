"""The fast read path and the DRF serializer path give byte-identical JSON, on every field type."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from rest_framework.renderers import JSONRenderer

from cruddy_django.renderers import FastJSONRenderer
from tests.testapp.models import Author, Book, Country, Cover, Note, Review, Tag

pytestmark = pytest.mark.django_db

# The reference: DRF's serializers rendered by DRF's own JSONRenderer.
DRF_PATH = {
    "TITLE": "Test API",
    "FAST_READS": False,
    "RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}


@pytest.fixture
def library():
    user = User.objects.create(username="ann")
    ann = Author.objects.create(name="Ann «Ñ»", email="ann@example.com", bio="line\nbreak \u2028 sep", user=user)
    bob = Author.objects.create(name="Bob", email="bob@example.com")
    tags = [Tag.objects.create(name=name, slug=name.lower()) for name in ("Zeta", "Alpha", "Mid")]
    full = Book.objects.create(
        title="Every field",
        isbn="9780000000001",
        pages=321,
        price=Decimal("12.50"),
        rating=4.25,
        published=datetime.date(2024, 2, 29),
        duration=datetime.timedelta(days=1, hours=2, seconds=3, microseconds=4),
        reading_time=datetime.time(13, 14, 15, 16),
        website="https://example.com/a?b=c",
        genre="science",
        author=ann,
        metadata={"nested": {"list": [1, 2.5, None, True, "é"]}, "tiny": 0.00005, "big": 1e20},
        uuid=uuid.UUID("12345678-1234-5678-1234-567812345678"),
    )
    Book.objects.filter(pk=full.pk).update(
        created_at=datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC)
    )
    full.tags.set(tags[:2])
    sparse = Book.objects.create(
        title="Nulls", isbn="9780000000002", price=Decimal("0.10"), author=bob, rating=0.00001
    )
    Book.objects.filter(pk=sparse.pk).update(created_at=datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC))
    Cover.objects.create(book=full, colour="blue", printed=datetime.date(2024, 3, 1))
    Review.objects.create(book=full, reviewer="Zed", stars=5, body="Great")
    Review.objects.create(book=full, reviewer="Amy", stars=3)
    Country.objects.create(code="FR", name="France")
    Note.objects.create(text="n", position=2)
    return {"books": [full, sparse], "authors": [ann, bob]}


def _both_paths(api, url):
    fast = api.get(url)
    with override_settings(CRUDDY_DJANGO=DRF_PATH):
        slow = api.get(url)
    assert fast.status_code == slow.status_code == 200, (fast.content, slow.content)
    return fast.content, slow.content


BOOK_URLS = [
    "/api/library/books/",
    "/api/library/books/?expand=author,tags,reviews",
    "/api/library/books/?fields=id,price,author.name,author.email,tags.name,reviews.stars,reviews.body",
    "/api/library/books/?exclude=metadata,author.email&expand=author,cover",
    "/api/library/books/?fields=created_at,duration,reading_time,uuid,published,rating,metadata",
    "/api/library/authors/?expand=books.tags,books.reviews&page_size=2",  # nested to-many: bounded pages
    "/api/library/authors/?fields=name,user,books",
    "/api/library/covers/?expand=book.author",
    "/api/library/reviews/?expand=book.author",
    "/api/library/tags/?expand=books",
    "/api/geo/countries/",
    "/api/memos/",
]


@pytest.mark.parametrize("url", BOOK_URLS)
def test_fast_and_drf_paths_render_the_same_bytes(api, library, url):
    fast, slow = _both_paths(api, url)
    assert fast == slow


@pytest.mark.parametrize("url", BOOK_URLS[:3])
def test_the_same_bytes_on_single_rows(api, library, url):
    pk = library["books"][0].pk
    path, _, query = url.partition("?")
    fast, slow = _both_paths(api, f"{path}{pk}/?{query}")
    assert fast == slow


@override_settings(TIME_ZONE="America/New_York")
def test_the_same_bytes_in_another_time_zone(api, library):
    fast, slow = _both_paths(api, "/api/library/books/?fields=id,created_at")
    assert fast == slow
    assert b"-04:00" in fast


def test_the_fast_path_is_taken_by_default(api, library, django_assert_num_queries):
    # count + books + tags hop; DRF's ModelSerializer would read tags once per book
    with django_assert_num_queries(3):
        assert api.get("/api/library/books/").status_code == 200


def test_values_come_out_as_drf_writes_them(api, library):
    row = api.get(f"/api/library/books/{library['books'][0].pk}/").json()
    assert row["price"] == "12.50"
    assert row["created_at"] == "2024-05-06T07:08:09.123456Z"
    assert row["duration"] == "1 02:00:03.000004"
    assert row["reading_time"] == "13:14:15.000016"
    assert row["uuid"] == "12345678-1234-5678-1234-567812345678"
    assert row["tags"] == sorted(row["tags"], key=lambda pk: Tag.objects.get(pk=pk).name)


def test_a_field_rule_sends_reads_down_the_drf_path(api, library, reconfigure, django_assert_num_queries):
    reconfigure(Book, field_rules={"price": {"read": lambda request, obj: True}})
    with django_assert_num_queries(3):  # count + books + prefetched tags, still no N+1
        body = api.get("/api/library/books/").json()
    assert body["results"][0]["price"] == "12.50"


@pytest.mark.parametrize(
    "data",
    [
        {"text": "plain", "n": 1, "f": 1.5, "none": None, "list": [True, False]},
        {"tiny": 0.00005, "smaller": 1e-9, "big": 1e22, "neg": -0.0},
        {
            "date": datetime.date(2024, 1, 2),
            "when": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
            "time": datetime.time(1, 2),
            "delta": datetime.timedelta(hours=1),
            "decimal": Decimal("1.10"),
        },
        {"uuid": uuid.UUID(int=5), "escapes": 'quote" backslash\\ control\x01 \u2028\u2029 emoji 😀'},
        {1: "int key", "huge": 2**70, "set": {3}},
        {"text looking like a float 0.00001": "and e-5, in text"},
    ],
)
def test_the_renderer_writes_drf_bytes(data):
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_the_renderer_indents_like_drf_for_the_browsable_api():
    data = {"a": [1, {"b": None}]}
    indented = FastJSONRenderer().render(data, "application/json; indent=4")
    assert indented == JSONRenderer().render(data, "application/json; indent=4")
    assert b"\n    " in indented


def test_the_browsable_api_still_renders(api, library):
    response = api.get("/api/library/books/?expand=author", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Every field" in response.content
