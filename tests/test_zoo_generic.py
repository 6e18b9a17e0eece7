"""Generic relations: a GenericForeignKey reads as a reference ``{"type": <resource>, "id": <pk>}``, expands to
the row when its resource is on the site and the row in the request's scope, filters by type and id in every
dialect and is written by (type, pk); a GenericRelation is a reverse to-many relation like any other."""

import json
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType

from tests.zoo.models import Comment, Publication, Writer

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db):
    """A signed-in user without staff rights: the writes here are not about anonymous users."""
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(User.objects.create_user("writer"))
    return client

COMMENTS, PUBLICATIONS = "/api/zoo/comments/", "/api/zoo/publications/"


@pytest.fixture
def rows():
    ContentType.objects.get_for_models(Publication, Writer, User)  # warm Django's cache: counts stay exact
    shown = Publication.objects.create(title="Shown", isbn="1")
    hidden = Publication.objects.create(title="Hidden", isbn="2", published=False)
    writer = Writer.objects.create(pk=shown.pk, name="Ann")  # same id, other model: content types keep them apart
    user = User.objects.create_user("someone")
    comments = [Comment.objects.create(text="on shown", target=shown),
                Comment.objects.create(text="on hidden", target=hidden),
                Comment.objects.create(text="on writer", target=writer),
                Comment.objects.create(text="on user", target=user)]
    return shown, hidden, writer, user, comments


def texts(response):
    assert response.status_code == 200, response.json()
    return sorted(row["text"] for row in response.json()["results"])


def test_a_generic_foreign_key_reads_as_a_reference(api, rows):
    shown, hidden, writer, user, _comments = rows
    targets = {row["text"]: row["target"] for row in api.get(COMMENTS).json()["results"]}
    assert targets == {"on shown": {"type": "zoo/publications", "id": shown.pk},
                       "on hidden": {"type": "zoo/publications", "id": hidden.pk},
                       "on writer": {"type": "zoo/writers", "id": writer.pk},
                       "on user": {"type": None, "id": user.pk}}  # a model off the API has no name here
    row = api.get(f"{COMMENTS}{rows[4][0].pk}/").json()
    assert row == {"id": rows[4][0].pk, "text": "on shown", "target": {"type": "zoo/publications", "id": shown.pk}}
    assert "content_type" not in row and "object_id" not in row


def test_it_expands_to_rows_of_the_site_within_the_scope(api, rows, django_assert_num_queries):
    _shown, hidden, writer, user, _comments = rows
    with django_assert_num_queries(5):  # count, page, publications (+ their writers), writers
        results = api.get(f"{COMMENTS}?expand=target").json()["results"]
    targets = {row["text"]: row["target"] for row in results}
    assert targets["on shown"]["object"]["title"] == "Shown"
    assert "royalty" not in targets["on shown"]["object"]  # the publication's own field rules
    assert targets["on hidden"] == {"type": "zoo/publications", "id": hidden.pk, "object": None}  # out of scope
    assert targets["on writer"]["object"] == {"id": writer.pk, "name": "Ann", "member": None}
    assert targets["on user"] == {"type": None, "id": user.pk, "object": None}  # never read off the site


def test_expanding_costs_the_same_for_more_rows(api, rows, django_assert_num_queries):
    shown, _hidden, writer, _user, _comments = rows
    for number in range(10):
        Comment.objects.create(text=f"more {number}", target=shown if number % 2 else writer)
    with django_assert_num_queries(5):
        assert api.get(f"{COMMENTS}?expand=target").status_code == 200


@pytest.mark.parametrize("query", [
    ".target.type=zoo/publications", "where=" + quote(json.dumps({"target.type": "zoo.Publication"})),
    "target.type=zoo/publications", "target__type=zoo/publications", "target__type__in=zoo/publications,nothing",
])
def test_filters_by_type_in_every_dialect(api, rows, query):
    if query.endswith("nothing"):
        response = api.get(f"{COMMENTS}?{query}")
        assert response.status_code == 400
        assert response.json()["target__type__in"][0].startswith("Unknown type 'nothing': use one of ")
        return
    assert texts(api.get(f"{COMMENTS}?{query}")) == ["on hidden", "on shown"]


@pytest.mark.parametrize("query", [
    ".target.type=zoo/writers&.target.id={id}", "where=" + quote(json.dumps({"target": {"type": "zoo/writers"}})),
    "target.type=zoo/writers&target.id={id}", "target__type=zoo/writers&target__id={id}",
    "target__type=zoo/writers&target__id__in={id},999",
])
def test_filters_by_type_and_id_in_every_dialect(api, rows, query):
    if "where" in query:
        query = "where=" + quote(json.dumps({"target.type": "zoo/writers", "target.id": rows[2].pk}))
    assert texts(api.get(f"{COMMENTS}?{query.format(id=rows[2].pk)}")) == ["on writer"]


@pytest.mark.parametrize(("query", "param", "message"), [
    (".target.type=auth.user", ".target.type", "Unknown type 'auth.user': use one of "),
    (".target=1", ".target", "'target' in '.target' is a generic reference to a row of any resource: use "
                             "'target.type' (the resource) or 'target.id' (its primary key)."),
    (".target.name=x", ".target.name", "use 'target.type' (the resource) or 'target.id'"),
    ("sort=target.type", "sort", "names a resource, which has no order; sort on 'target.id'"),
    ("fields=target.title", "fields", "'target' is a generic reference to rows of any resource; it expands whole"),
])
def test_mistakes_are_400s_that_say_so(api, rows, query, param, message):
    response = api.get(f"{COMMENTS}?{query}")
    assert response.status_code == 400
    assert message in response.json()[param][0]


def test_it_sorts_by_id(api, rows):
    ids = [row["target"]["id"] for row in api.get(f"{COMMENTS}?sort=-target.id").json()["results"]]
    assert ids == sorted(ids, reverse=True)


def test_it_is_written_by_type_and_pk(api, rows):
    shown, _hidden, writer, _user, _comments = rows
    response = api.post(COMMENTS, {"text": "new", "target": {"type": "zoo.Writer", "id": str(writer.pk)}},
                        format="json")
    assert response.status_code == 201
    assert response.json()["target"] == {"type": "zoo/writers", "id": writer.pk}
    comment = Comment.objects.get(pk=response.json()["id"])
    assert comment.target == writer
    response = api.patch(f"{COMMENTS}{comment.pk}/", {"target": {"type": "zoo/publications", "id": shown.pk}},
                         format="json")
    assert response.json()["target"] == {"type": "zoo/publications", "id": shown.pk}
    assert Comment.objects.get(pk=comment.pk).target == shown


@pytest.mark.parametrize(("target", "message"), [
    ({"type": "zoo/publications", "id": "hidden"}, "No publication with id HIDDEN."),  # out of scope
    ({"type": "auth.user", "id": 1}, "Unknown type 'auth.user': use one of "),  # off the site
    ({"type": "zoo/publications", "id": "abc"}, "No publication with id 'abc'."),
    ({"type": "zoo/publications"}, 'Expected {"type": "<resource>", "id": <primary key>}'),
    ([1], 'Expected {"type": "<resource>", "id": <primary key>}, not [1].'),
    (None, "This field may not be null."),
])
def test_it_refuses_rows_the_request_cannot_name(api, rows, target, message):
    hidden = rows[1]
    if isinstance(target, dict) and target.get("id") == "hidden":
        target = {**target, "id": hidden.pk}
    response = api.post(COMMENTS, {"text": "bad", "target": target}, format="json")
    assert response.status_code == 400
    assert response.json()["target"][0].startswith(message.replace("HIDDEN", str(hidden.pk)))
    assert not Comment.objects.filter(text="bad").exists()


def test_a_generic_relation_is_a_reverse_to_many_relation(api, rows, django_assert_num_queries):
    shown = rows[0]
    api.force_authenticate(User.objects.create_user("staff", is_staff=True))
    with django_assert_num_queries(4):  # count, page, writers, comments
        results = api.get(f"{PUBLICATIONS}?expand=comments&sort=isbn").json()["results"]
    assert [[comment["text"] for comment in row["comments"]] for row in results] == [["on shown"], ["on hidden"]]
    assert api.get(f"{PUBLICATIONS}{shown.pk}/?fields=comments").json() == {"comments": [rows[4][0].pk]}
    assert texts(api.get(f"{PUBLICATIONS}{shown.pk}/comments/")) == ["on shown"]
    response = api.get(f"{PUBLICATIONS}?.comments*.text=like~*shown")
    assert [row["title"] for row in response.json()["results"]] == ["Shown"]


def test_a_generic_relation_route_adds_and_replaces_members(api, rows):
    shown, _hidden, _writer, _user, comments = rows
    api.force_authenticate(User.objects.create_user("staff", is_staff=True))
    on_writer = comments[2]
    response = api.post(f"{PUBLICATIONS}{shown.pk}/comments/", [on_writer.pk], format="json")
    assert response.status_code == 200
    assert texts(response) == ["on shown", "on writer"]
    assert Comment.objects.get(pk=on_writer.pk).target == shown
    assert texts(api.put(f"{PUBLICATIONS}{shown.pk}/comments/", [on_writer.pk], format="json")) == ["on writer"]
    assert not Comment.objects.filter(pk=comments[0].pk).exists()  # a comment cannot exist without a target


def test_meta_and_schema_describe_the_reference(api, rows):
    target = next(field for field in api.get(f"{COMMENTS}_meta").json()["fields"] if field["name"] == "target")
    assert (target["type"], target["format"], target["sortable"]) == ("reference", "generic", False)
    assert target["parts"] == {"type": ["eq", "ne", "in", "nin", "null"],
                               "id": ["eq", "ne", "gt", "ge", "lt", "le", "in", "nin", "null", "between"]}
    schema = api.get("/api/schema/?format=json").json()["components"]["schemas"]["Comment"]
    assert schema["properties"]["target"]["properties"]["type"]["type"] == "string"
