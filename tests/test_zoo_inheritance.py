"""Multi-table inheritance and proxies: a child (Ebook) or a proxy (FeaturedPublication) is served with its
parent's options unless it declares its own — policies, scope, field rules — on each site separately; its link
to the parent never shows, and rows serialise on every read path."""

import pytest
from django.contrib.auth.models import User

from cruddy_django import site
from cruddy_django.test import override_resource
from tests.zoo.models import Ebook, FeaturedPublication, Publication
from tests.zoo_urls import open_site

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.zoo_urls")]

EBOOKS, OPEN = "/api/zoo/ebooks/", "/open/o/ebooks/"


@pytest.fixture
def staff():
    return User.objects.create_user("staff", is_staff=True)


@pytest.fixture
def ebook():
    return Ebook.objects.create(title="Dune", isbn="111", royalty="12.50", file_format="pdf")


def test_a_child_without_options_takes_its_parents():
    child, parent = site.get_resource(Ebook), site.get_resource(Publication)
    assert child.parent is parent
    assert child.options.policies == parent.options.policies
    assert child.options.scope is parent.options.scope
    assert child.options.field_rules == parent.options.field_rules
    assert child.options.path == "ebooks" and child.options.namespace == "zoo"


def test_anonymous_users_cannot_create_rows_of_a_child_whose_parent_refuses_them(api):
    response = api.post(EBOOKS, {"title": "Anon", "isbn": "999"}, format="json")
    assert response.status_code == 401  # anonymous, and basic auth can challenge
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert not Publication.objects.filter(isbn="999").exists()


def test_the_parents_staff_only_field_stays_hidden_on_the_childs_route(api, ebook, staff):
    row = api.get(f"{EBOOKS}{ebook.pk}/").json()
    assert "royalty" not in row and row["file_format"] == "pdf"
    assert "royalty" not in api.get(EBOOKS).json()["results"][0]
    response = api.get(f"{EBOOKS}?.royalty=gt~1")
    assert response.status_code == 400 and "Unknown field 'royalty'" in response.json()[".royalty"][0]
    assert api.get(f"{EBOOKS}?sort=royalty").status_code == 400
    assert api.get(f"{EBOOKS}?fields=royalty").status_code == 400
    api.force_authenticate(staff)
    assert api.get(f"{EBOOKS}{ebook.pk}/").json()["royalty"] == "12.50"


def test_the_parents_scope_holds_on_the_childs_route(api, staff):
    hidden = Ebook.objects.create(title="Draft", isbn="222", published=False)
    assert api.get(f"{EBOOKS}{hidden.pk}/").status_code == 404
    assert api.get(EBOOKS).json()["count"] == 0
    api.force_authenticate(staff)
    assert api.get(f"{EBOOKS}{hidden.pk}/").status_code == 200


def test_a_proxy_that_declares_a_path_keeps_its_parents_rules(api):
    FeaturedPublication.objects.create(title="Shown", isbn="333", royalty=3)
    assert site.get_resource(FeaturedPublication).options.path == "featured"
    assert "royalty" not in api.get("/api/zoo/featured/").json()["results"][0]
    assert api.post("/api/zoo/featured/", {"title": "Anon", "isbn": "998"}, format="json").status_code == 401


def test_a_second_site_follows_its_own_parent(api, ebook):
    assert open_site.get_resource(Ebook).parent is open_site.get_resource(Publication)
    response = api.post(OPEN, {"title": "Open", "isbn": "444", "royalty": "1.00"}, format="json")
    assert response.status_code == 201 and response.json()["royalty"] == "1.00"
    assert api.get(f"{OPEN}{ebook.pk}/").json()["royalty"] == "12.50"
    # ... while the default site still refuses and hides
    assert api.post(EBOOKS, {"title": "Anon", "isbn": "445"}, format="json").status_code == 401
    assert "royalty" not in api.get(f"{EBOOKS}{ebook.pk}/").json()


def test_a_childs_own_option_wins_and_dict_options_merge(api, ebook):
    with override_resource(Ebook, field_rules={"megabytes": {"read": lambda request, obj: False}}):
        row = api.get(f"{EBOOKS}{ebook.pk}/").json()
        assert "megabytes" not in row and "royalty" not in row  # its own rule added to the parent's
    with override_resource(Ebook, policies={"create": []}):
        assert api.post(EBOOKS, {"title": "Mine", "isbn": "555"}, format="json").status_code == 201


def test_changing_the_parent_changes_the_child_until_restored(api, ebook):
    with override_resource(Publication, field_rules={}):
        assert api.get(f"{EBOOKS}{ebook.pk}/").json()["royalty"] == "12.50"
    assert "royalty" not in api.get(f"{EBOOKS}{ebook.pk}/").json()


@pytest.mark.parametrize("url", [EBOOKS, "{ebooks}{pk}/", "{ebooks}?format=api", "{ebooks}{pk}/?format=api",
                                 "/api/zoo/publications/?expand=ebook", "/api/zoo/publications/{pk}/ebook/"])
def test_children_serialise_on_every_read_path_without_their_parent_link(api, ebook, staff, url):
    api.force_authenticate(staff)
    response = api.get(url.format(ebooks=EBOOKS, pk=ebook.pk))
    assert response.status_code == 200
    assert b"publication_ptr" not in response.content


def test_the_parent_expands_its_child(api, ebook, staff):
    api.force_authenticate(staff)
    row = api.get(f"/api/zoo/publications/{ebook.pk}/?expand=ebook").json()
    assert row["ebook"] == {"id": ebook.pk, "title": "Dune", "isbn": "111", "royalty": "12.50", "published": True,
                            "language": None, "shelf": None, "category": None, "writers": [],
                            "file_format": "pdf", "megabytes": 1.5}


def test_staff_create_update_and_delete_a_child(api, staff):
    api.force_authenticate(staff)
    response = api.post(EBOOKS, {"title": "New", "isbn": "666", "file_format": "mobi"}, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert Ebook.objects.get(pk=pk).file_format == "mobi" and Publication.objects.filter(pk=pk).exists()
    assert api.patch(f"{EBOOKS}{pk}/", {"title": "Renamed"}, format="json").json()["title"] == "Renamed"
    assert api.delete(f"{EBOOKS}{pk}/").status_code == 204
    assert not Publication.objects.filter(pk=pk).exists()
