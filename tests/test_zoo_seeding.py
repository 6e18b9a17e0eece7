"""``manage.py seed`` on real projects' models: multi-table children and proxies, a custom user model (one
documented password, no rights), through models with their unique_together, generic foreign keys pointing at
seeded rows of the site, soft-delete managers (summaries count every row), PostgreSQL columns."""

import io

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.db import connection

from cruddy_django import site
from cruddy_django.conf import cruddy_settings
from tests.zoo.models import (
    Authorship,
    Comment,
    Diary,
    Ebook,
    Everything,
    Member,
    Publication,
    Sponsorship,
)

pytestmark = pytest.mark.django_db


def seed(*args):
    out = io.StringIO()
    call_command("seed", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def zoo():
    return seed("zoo", "--count", "12", "--seed", "5")


def test_every_model_of_the_zoo_is_seeded(zoo):
    for resource in site.resources:
        if resource.model._meta.app_label == "zoo":
            assert resource.model._base_manager.exists(), resource
    assert Ebook.objects.count() == 12 and Publication.objects.count() >= 24  # ebooks are publications too
    for ebook in Ebook.objects.all():
        ebook.full_clean()


def test_proxies_share_their_tables_unique_values(zoo):
    isbns = list(Publication.objects.values_list("isbn", flat=True))
    assert len(isbns) == len(set(isbns))
    assert "- Featured publications: 12\n" in zoo


def test_users_get_the_documented_password_and_no_rights(zoo):
    members = list(Member.objects.all())
    assert len({member.password for member in members}) == 1  # hashed once
    assert all(check_password(cruddy_settings.SEED_PASSWORD, member.password) for member in members)
    assert not any(member.is_staff or member.is_superuser for member in members)
    assert all(member.is_active for member in members)


def test_through_rows_respect_unique_together(zoo):
    pairs = list(Authorship.objects.values_list("writer_id", "publication_id"))
    assert pairs and len(pairs) == len(set(pairs))
    assert Sponsorship.objects.exists() and all(row.amount is not None for row in Sponsorship.objects.all())


def test_generic_keys_point_at_seeded_rows_of_the_site(zoo):
    for comment in Comment.objects.all():
        target = comment.target
        assert target is not None and site.resource_for(type(target)) is not None


def test_summaries_count_every_row(zoo):
    assert Diary.all_objects.count() == 12
    assert "- Diaries: 12\n" in zoo
    assert Diary.objects.count() <= 12  # the default manager hides the deleted ones


def test_values_pass_the_fields_own_validation(zoo):
    for row in Everything.objects.all():
        row.full_clean(exclude=["file_path"])  # a FilePathField validates against the files of its folder


@pytest.mark.requires_postgres
def test_postgresql_columns_are_seeded():
    from tests.zoo_pg.models import PgEverything

    assert connection.vendor == "postgresql"
    seed("zoo_pg", "--count", "5", "--seed", "2")
    rows = list(PgEverything.objects.all())
    assert len(rows) == 5
    assert all(row.ages is None or row.ages.lower <= row.ages.upper for row in rows)
    assert any(row.tags for row in rows) and any(row.attributes for row in rows)
