"""The compiler's PostgreSQL-only branches, as a client meets them: full-text search (configurations, search
vector columns, its refusals), address patterns, JSON containment and the parts of arrays, ranges and hstore
columns. Elsewhere these tests are skipped (tests/test_compiler_guards.py covers the 400s there)."""

import pytest

from cruddy_django import site
from cruddy_django.access import access_for
from cruddy_django.compiler import QueryCompiler
from cruddy_django.query import Condition, PathStep, QueryError, parse_dotted, parse_where
from tests.testapp.models import Author, Book
from tests.zoo.models import Everything

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]


def compiled_rows(model, node, field):
    compiler = QueryCompiler(access_for(None, site.get_resource(model)))
    return sorted(getattr(row, field) for row in model.objects.filter(compiler.compile(node)))


def refusal(model, node):
    with pytest.raises(QueryError) as caught:
        QueryCompiler(access_for(None, site.get_resource(model))).compile(node)
    return caught.value.to_dict()


def built(path, operator, value, *, cast=None, cast_args=()):
    steps = tuple(PathStep(name) for name in path.split("."))
    return Condition(steps, operator, value, param="p", source=f"p.{path}", cast=cast, cast_args=cast_args)


@pytest.fixture
def books():
    author = Author.objects.create(name="Ann", email="ann@example.com")
    for isbn, title, genre in [("1", "The runners of Dune", "sf"), ("2", "A cat and a dog", "pets"),
                               ("3", "Dogs running", "pets")]:
        Book.objects.create(title=title, isbn=isbn, price=1, author=author,
                            metadata={"genre": genre, "blurb": title, "words": title.lower().split()})


@pytest.mark.parametrize(("node", "expected"), [
    (parse_dotted([(".title", "match~dune")]), ["The runners of Dune"]),
    (parse_dotted([(".title", "match~dog")]), ["A cat and a dog", "Dogs running"]),  # the default: english
    (parse_where('{"title:tsvector:simple": {"*match": "dog"}}'), ["A cat and a dog"]),
    (parse_where('{"title:tsvector:english": {"*match": "dog"}}'), ["A cat and a dog", "Dogs running"]),
    (parse_where('{"title:tsvector:english": {"*match": "run"}}'), ["Dogs running"]),
    (parse_where('{"title:tsvector:simple": {"*match": "run"}}'), []),
    (parse_where('{"title:tsvector:simple": {"*websearch_to_tsquery": "dog -cat"}}'), []),
    (parse_where('{"title:tsvector:english": {"*websearch_to_tsquery": "dog -cat"}}'), ["Dogs running"]),
    (parse_where('{"title": {"*websearch_to_tsquery": "\\"cat and\\""}}'), ["A cat and a dog"]),
])
def test_full_text_search_finds_the_rows_it_describes(books, node, expected):
    assert compiled_rows(Book, node, "title") == expected


def test_a_search_vector_column_is_matched_as_it_is():
    from tests.zoo_pg.models import PgEverything

    PgEverything.objects.create(nickname="Alice", document="'dog':1")
    PgEverything.objects.create(nickname="Bob", document="'cat':1")
    assert compiled_rows(PgEverything, parse_dotted([(".document", "match~dog")]), "nickname") == ["Alice"]
    assert compiled_rows(PgEverything, parse_where('{"document": {"*websearch": "cat"}}'), "nickname") == ["Bob"]


@pytest.mark.parametrize(("node", "expected"), [
    (parse_where('{"title:tsvector:klingon": {"*match": "x"}}'), {
        "detail": "Unknown text search configuration 'klingon' in 'where.title:tsvector:klingon.*match'; this "
                  "database has ", "param": "where", "path": "where.title:tsvector:klingon.*match",
        "code": "malformed"}),
    (built("title", "eq", "x", cast="tsvector"), {
        "detail": "A tsvector column ('p.title') takes *match or *websearch_to_tsquery.", "param": "p",
        "path": "p.title", "code": "unknown_operator"}),
    (built("title", "match", 5), {
        "detail": "'p.title' needs a text to search for.", "param": "p", "path": "p.title", "code": "malformed"}),
])
def test_full_text_refusals(node, expected):
    error = refusal(Book, node)
    assert error["detail"].startswith(expected["detail"])
    assert {key: error[key] for key in expected if key != "detail"} == {
        key: value for key, value in expected.items() if key != "detail"}


@pytest.mark.parametrize(("query", "expected"), [
    ("like~10.0.0.1", ["a"]),
    ("like~not-an-address", []),     # compared as text: never a database error
    ("ilike~2001:DB8::1", ["b"]),
    ("like~10.0.*", ["a"]),
    ("nlike~10.0.0.1", ["b"]),
])
def test_address_patterns_compare_the_address_text(query, expected):
    Everything.objects.create(char="a", ip="10.0.0.1")
    Everything.objects.create(char="b", ip="2001:db8::1")
    assert compiled_rows(Everything, parse_dotted([(".ip", query)]), "char") == expected


@pytest.mark.parametrize(("node", "expected"), [
    (parse_where('{"metadata": {"*contains": {"genre": "pets"}}}'), ["2", "3"]),
    (parse_dotted([(".metadata.genre", "contains~pets")]), ["2", "3"]),
    (parse_dotted([(".metadata", "contains~x,z")]), ["4"]),     # a list: the document holds them all
    (parse_dotted([(".metadata", "contains~x,w")]), []),
])
def test_json_containment(books, node, expected):
    Book.objects.create(title="Letters", isbn="4", price=1, author=Author.objects.get(), metadata=["x", "y", "z"])
    assert compiled_rows(Book, node, "isbn") == expected


@pytest.fixture
def columns():
    from tests.zoo_pg.models import PgEverything

    PgEverything.objects.create(nickname="Alice", tags=["red", "blue"], scores=[1, 5], ages=(1, 10),
                                attributes={"colour": "red"})
    PgEverything.objects.create(nickname="Bob", tags=["green"], scores=[], ages=None, attributes={"size": "L"})
    return PgEverything


@pytest.mark.parametrize(("node", "expected"), [
    (parse_dotted([(".tags.len", "gt~1")]), ["Alice"]),
    (parse_where('{"tags.len": 1}'), ["Bob"]),
    (parse_dotted([(".tags.0", "eq~green")]), ["Bob"]),
    (parse_where('{"scores.1": {"*gte": 5}}'), ["Alice"]),
    (parse_dotted([(".ages.empty", "false")]), ["Alice"]),
    (parse_where('{"ages.empty": false}'), ["Alice"]),
    (parse_dotted([(".ages.lower", "lt~5")]), ["Alice"]),
    (parse_dotted([(".attributes.colour", "red")]), ["Alice"]),
    (parse_dotted([(".tags", "contains~red,blue")]), ["Alice"]),
    (parse_dotted([(".tags", "overlap~blue,green")]), ["Alice", "Bob"]),
    (parse_dotted([(".ages", "contains~5")]), ["Alice"]),
    (parse_where('{"tags": {"*eq": ["green"]}}'), ["Bob"]),
])
def test_parts_and_whole_values_of_postgresql_columns(columns, node, expected):
    assert compiled_rows(columns, node, "nickname") == expected


@pytest.mark.parametrize(("node", "param", "path", "detail"), [
    (parse_where('{"tags.0": {"*eq": true}}'), "where", "where.tags.0.*eq",
     "'where.tags.0.*eq' compares a text field with bool True."),
    (parse_dotted([(".tags.len", "gt~x")]), ".tags.len", ".tags.len", "The value 'x' in '.tags.len' is not a valid "
     "integer."),
    (parse_where('{"ages.empty": "maybe"}'), "where", "where.ages.empty", "'where.ages.empty' expects true or false, "
     "not 'maybe'."),
    (parse_dotted([(".scores", "contains~x")]), ".scores", ".scores", "The value 'x' in '.scores' is not a valid "
     "integer."),
])
def test_refusals_on_parts_and_whole_values(columns, node, param, path, detail):
    assert refusal(columns, node) == {"detail": detail, "param": param, "path": path, "code": "malformed"}


def test_a_full_text_configuration_applies_across_a_to_many_hop(books):
    other = Author.objects.create(name="Bob", email="bob@example.com")
    Book.objects.filter(isbn="3").update(author=other)  # Dogs running
    assert compiled_rows(Author, parse_where('{"books.title:tsvector:simple": {"*match": "dog"}}'), "name") == ["Ann"]
    assert compiled_rows(Author, parse_where('{"books.title:tsvector:english": {"*match": "dog"}}'), "name") == [
        "Ann", "Bob"]


def test_text_not_shaped_like_the_cast_reads_as_null(books):
    """On PostgreSQL a failing CAST would fail the whole query: such rows simply do not match."""
    Book.objects.filter(isbn="2").update(isbn="x2")
    assert compiled_rows(Book, parse_where('{"isbn:Integer": {"*gt": 0}}'), "isbn") == ["1", "3"]
    assert compiled_rows(Book, parse_where('{"isbn:Integer": {"*lt": 3}}'), "isbn") == ["1"]


def test_json_containment_of_a_key_takes_a_document(books):
    assert compiled_rows(Book, parse_where('{"metadata.words": {"*contains": ["a", "cat"]}}'), "isbn") == ["2"]
    assert compiled_rows(Book, parse_where('{"metadata.words": {"*contains": ["cat", "dogs"]}}'), "isbn") == []
