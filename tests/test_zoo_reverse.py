"""Reverse relations everywhere: to-many reverse foreign keys, reverse many-to-manys (through a model) and
reverse one-to-ones filter in every dialect, to-one ones sort, and errors list them with the other fields —
as ``fields`` and ``expand`` already accept them. Hops respect the related resource's scope and never repeat
a row."""

import json
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User

from tests.zoo.models import Authorship, Language, Member, Passport, Publication, Writer

pytestmark = pytest.mark.django_db

LANGUAGES, WRITERS, MEMBERS = "/api/zoo/languages/", "/api/zoo/writers/", "/api/zoo/members/"


def where(tree):
    return "where=" + quote(json.dumps(tree))


@pytest.fixture
def library():
    english = Language.objects.create(code="en", name="English")
    french = Language.objects.create(code="fr", name="French")
    Language.objects.create(code="de", name="German")
    first = Publication.objects.create(title="Dune", isbn="1", language=english)
    second = Publication.objects.create(title="Emma", isbn="2", language=english)
    Publication.objects.create(title="Secret", isbn="3", language=french, published=False)
    ann, bob = Writer.objects.create(name="Ann"), Writer.objects.create(name="Bob")
    Authorship.objects.create(writer=ann, publication=first)
    Authorship.objects.create(writer=ann, publication=second)
    Authorship.objects.create(writer=bob, publication=Publication.objects.get(isbn="3"))
    zed, amy = Member.objects.create(email="z@x.org", name="Zed"), Member.objects.create(email="a@x.org", name="Amy")
    Passport.objects.create(number="P-2", member=zed)
    Passport.objects.create(number="P-1", member=amy)
    Member.objects.create(email="n@x.org", name="None")
    return first, second


def codes(response):
    assert response.status_code == 200, response.json()
    return sorted(row.get("code") or row.get("name") for row in response.json()["results"])


@pytest.mark.parametrize("query", [
    ".publications*.title=Dune", where({"publications.title": "Dune"}), "publications.title=Dune",
    "publications.title.$eq=Dune", ".publications*.title=like~Du*", ".publications*.isbn=ge~1;le~1",
])
def test_a_reverse_foreign_key_filters_in_every_dialect(api, library, query):
    assert codes(api.get(f"{LANGUAGES}?{query}")) == ["en"]


@pytest.mark.parametrize("query", [
    ".publications*.title=Emma", where({"publications.title": {"*in": ["Dune", "Emma"]}}),
    "publications.title.$in=Dune,Emma", ".publications*.isbn=in~1,2",
])
def test_a_reverse_many_to_many_through_a_model_filters_without_repeating_rows(api, library, query):
    response = api.get(f"{WRITERS}?{query}")
    assert codes(response) == ["Ann"] and response.json()["count"] == 1


@pytest.mark.parametrize("query", [
    ".passport.number=P-1", where({"passport.number": "P-1"}), "passport.number=P-1", "passport__number=P-1",
    "passport__number__startswith=P-1",
])
def test_a_reverse_one_to_one_filters_in_every_dialect(api, library, query):
    assert codes(api.get(f"{MEMBERS}?{query}")) == ["Amy"]


@pytest.mark.parametrize(("sort", "names"), [
    ("passport.number:nl", ["Amy", "Zed", "None"]), ("-passport.number:nf", ["None", "Zed", "Amy"]),
    ("passport.number:nf", ["None", "Amy", "Zed"]), ("-passport.number:nl", ["Zed", "Amy", "None"]),
])
def test_a_reverse_one_to_one_sorts(api, library, sort, names):
    response = api.get(f"{MEMBERS}?sort={sort}")
    assert [row["name"] for row in response.json()["results"]] == names


def test_hops_see_only_the_related_resources_rows(api, library):
    assert codes(api.get(f"{LANGUAGES}?.publications*.title=Secret")) == []
    assert codes(api.get(f"{WRITERS}?{where({'publications.title': 'Secret'})}")) == []
    api.force_authenticate(User.objects.create_user("staff", is_staff=True))
    assert codes(api.get(f"{LANGUAGES}?.publications*.title=Secret")) == ["fr"]


def test_a_to_many_relation_compared_as_a_whole(api, library):
    first, second = library
    assert codes(api.get(f"{WRITERS}?{where({'publications': {'*in': [first.pk, second.pk]}})}")) == ["Ann"]
    assert codes(api.get(f"{LANGUAGES}?{where({'publications': None})}")) == ["de", "fr"]  # Secret is hidden
    assert codes(api.get(f"{LANGUAGES}?.publications*=null~false")) == ["en"]


def test_errors_list_reverse_relations_like_the_other_fields(api, library):
    message = api.get(f"{LANGUAGES}?.nope=1").json()[".nope"][0]
    assert "publications" in message and "name" in message
    message = api.get(f"{LANGUAGES}?expand=nope").json()["expand"][0]
    assert "publications" in message
    response = api.get(f"{LANGUAGES}?sort=publications.title")
    assert response.status_code == 400
    message = "'publications' in 'sort[0]' is a to-many relation of languages; it cannot be sorted on"
    assert message in response.json()["sort"][0]
    response = api.get(f"{MEMBERS}?.passport*.number=1")
    assert "'passport*' in '.passport*.number' marks a to-many hop" in response.json()[".passport*.number"][0]


def test_selection_still_accepts_them(api, library):
    row = api.get(f"{MEMBERS}?fields=name,passport.number&.passport.number=P-2").json()["results"][0]
    assert row == {"name": "Zed", "passport": {"number": "P-2"}}
