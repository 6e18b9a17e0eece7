"""Lifecycle signals: arguments, mutation, refusal, rollback, order, bulk and dry-run behaviour."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cruddy_django import signals
from example_project.assets.models import Material
from tests.testapp.models import Author, Book, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(signed_in_api):
    """Writes need a signed-in user (the default policies); reads behave the same for it."""
    return signed_in_api


@pytest.fixture
def received():
    """Connect a recorder to every signal for the duration of a test."""
    calls = []
    recorders = {}
    for name in ("before_create", "after_create", "before_update", "after_update", "before_delete",
                 "after_delete", "before_set_relations", "after_set_relations", "after_query",
                 "before_action", "after_action"):
        def recorder(sender, name=name, **kwargs):
            calls.append((name, sender, kwargs))
        recorders[name] = recorder
        getattr(signals, name).connect(recorder, weak=False)
    yield calls
    for name, recorder in recorders.items():
        getattr(signals, name).disconnect(recorder)


def names(calls, sender=None):
    return [name for name, call_sender, _ in calls if sender is None or call_sender is sender]


@pytest.fixture
def connect():
    connected = []

    def _connect(signal, receiver, sender=None):
        signal.connect(receiver, sender=sender, weak=False)
        connected.append((signal, receiver, sender))

    yield _connect
    for signal, receiver, sender in connected:
        signal.disconnect(receiver, sender=sender)


def test_create_sends_before_and_after_with_request_data_and_instance(api, received):
    response = api.post("/api/assets/materials/", {"code": "STEEL", "name": "Steel", "price": 1})
    assert response.status_code == 201
    assert names(received, Material) == ["before_action", "before_create", "after_create", "after_action"]
    before = next(kwargs for name, _, kwargs in received if name == "before_create")
    after = next(kwargs for name, _, kwargs in received if name == "after_create")
    assert before["data"]["code"] == "STEEL"
    assert before["request"].method == "POST"
    assert after["instance"].pk == response.json()["id"]


def test_a_before_create_receiver_may_change_the_data(api, connect):
    def shout(sender, data, **kwargs):
        data["name"] = data["name"].upper()

    connect(signals.before_create, shout, Material)
    response = api.post("/api/assets/materials/", {"code": "STEEL", "name": "Steel", "price": 1})
    assert response.json()["name"] == "STEEL"
    assert Material.objects.get().name == "STEEL"


@pytest.mark.parametrize(("error", "status"), [(ValidationError("Closed for inventory."), 400),
                                               (PermissionDenied("Not today."), 403)])
def test_a_before_receiver_refuses_with_the_matching_status(api, connect, error, status):
    def refuse(sender, **kwargs):
        raise error

    connect(signals.before_create, refuse, Material)
    response = api.post("/api/assets/materials/", {"code": "STEEL", "name": "Steel", "price": 1})
    assert response.status_code == status
    assert str(error.messages[0] if hasattr(error, "messages") else error) in str(response.json())
    assert not Material.objects.exists()


def test_a_failing_after_receiver_rolls_the_whole_request_back(api, connect):
    def fail(sender, instance, **kwargs):
        if instance.code == "B":
            raise ValidationError({"code": "B is cursed."})

    connect(signals.after_create, fail, Material)
    rows = [{"code": code, "name": code, "price": 1} for code in ("A", "B", "C")]
    response = api.post("/api/assets/materials/", rows, format="json")
    assert response.status_code == 400
    assert response.json() == {"code": ["B is cursed."]}
    assert not Material.objects.exists()


def test_bulk_writes_send_one_signal_per_row_in_body_order(api, received):
    rows = [{"code": code, "name": code, "price": 1} for code in ("A", "B", "C")]
    assert api.post("/api/assets/materials/", rows, format="json").status_code == 201
    creates = [kwargs["instance"].code for name, _, kwargs in received if name == "after_create"]
    assert creates == ["A", "B", "C"]
    received.clear()
    response = api.patch("/api/assets/materials/?.code=in~A,C", {"price": 2}, format="json")
    assert response.status_code == 200
    updates = [(kwargs["instance"].code, kwargs["changes"]) for name, _, kwargs in received
               if name == "after_update"]
    assert sorted(updates) == [("A", {"price": 2.0}), ("C", {"price": 2.0})]
    received.clear()
    assert api.delete("/api/assets/materials/?.code=B").status_code == 204
    deleted = [(kwargs["instance"].code, kwargs["instance"].pk is not None) for name, _, kwargs in received
               if name == "after_delete"]
    assert deleted == [("B", True)]


def test_update_signals_see_the_stored_row_and_the_changes(api, connect):
    material = Material.objects.create(code="A", name="Old", price=1)
    seen = []

    def before(sender, instance, data, **kwargs):
        seen.append((instance.name, dict(data)))
        data["description"] = "changed by a receiver"

    connect(signals.before_update, before, Material)
    response = api.patch(f"/api/assets/materials/{material.pk}/", {"name": "New"})
    assert response.status_code == 200
    assert seen == [("Old", {"name": "New"})]
    material.refresh_from_db()
    assert (material.name, material.description) == ("New", "changed by a receiver")


def test_dry_runs_send_the_signals_then_roll_back(api, received):
    body = {"payload": [{"code": "A", "name": "A", "price": 1}], "dry_run": True}
    response = api.post("/api/assets/materials/", body, format="json")
    assert response.status_code == 200
    assert "after_create" in names(received, Material)
    assert not Material.objects.exists()


def test_relation_writes_send_set_relation_signals_with_mutable_pks(api, connect, received):
    author = Author.objects.create(name="Ann", email="ann@example.com")
    book = Book.objects.create(title="T", isbn="1", price=Decimal("1.00"), author=author)
    tags = [Tag.objects.create(name=name) for name in ("a", "b", "c")]

    def drop_c(sender, pks, **kwargs):
        if tags[2].pk in pks:
            pks.remove(tags[2].pk)

    connect(signals.before_set_relations, drop_c, Book)
    response = api.put(f"/api/library/books/{book.pk}/tags/", [tag.pk for tag in tags], format="json")
    assert response.status_code in {200, 204}, response.content
    assert sorted(book.tags.values_list("name", flat=True)) == ["a", "b"]
    after = [kwargs for name, sender, kwargs in received if name == "after_set_relations" and sender is Book]
    assert (after[-1]["relation"], sorted(after[-1]["pks"])) == ("tags", sorted([tags[0].pk, tags[1].pk]))


def test_before_query_is_a_pipe_in_connection_order(api, connect):
    for code in ("A", "B", "C"):
        Material.objects.create(code=code, name=code, price=1)
    order = []

    def first(sender, queryset, action, **kwargs):
        order.append(("first", action))
        return queryset.exclude(code="A")

    def second(sender, queryset, **kwargs):
        order.append(("second", queryset.count()))
        return queryset.exclude(code="B")

    def keep(sender, queryset, **kwargs):
        return None  # None keeps the queryset as it is

    connect(signals.before_query, first, Material)
    connect(signals.before_query, keep, Material)
    connect(signals.before_query, second, Material)
    response = api.get("/api/assets/materials/")
    assert [row["code"] for row in response.json()["results"]] == ["C"]
    assert order == [("first", "list"), ("second", 2)]


def test_before_and_after_action_share_a_context(api, connect):
    def before(sender, view, action, context, **kwargs):
        context["started"] = action

    def after(sender, context, response, **kwargs):
        response["X-Started"] = context["started"]

    connect(signals.before_action, before, Material)
    connect(signals.after_action, after, Material)
    assert api.get("/api/assets/materials/")["X-Started"] == "list"


def test_a_failing_after_action_receiver_rolls_back(api, connect):
    def fail(sender, action, **kwargs):
        raise ValidationError("Audit log unavailable.")

    connect(signals.after_action, fail, Material)
    response = api.post("/api/assets/materials/", {"code": "A", "name": "A", "price": 1})
    assert response.status_code == 400
    assert not Material.objects.exists()
