"""The attacker's tests for whole requests: a write whose response fails is rolled back, a query that runs too
long is cancelled with a 503 naming the setting, and wrong credentials are a cheap 401."""

import base64

import pytest
from django.db import models
from django.db.models.expressions import RawSQL

from cruddy_django.drf.renderers import FastJSONRenderer
from example_project.assets.models import Material

pytestmark = pytest.mark.django_db


def test_a_write_whose_response_cannot_be_rendered_is_rolled_back(api, monkeypatch, staff_user):
    """A renderer that fails (a bug in a project's renderer, data it cannot encode): the server's error, and
    the write it answered is rolled back instead of left behind."""
    def fail(self, data, accepted_media_type=None, renderer_context=None):
        raise TypeError("cannot render this")

    monkeypatch.setattr(FastJSONRenderer, "render", fail)
    api.force_authenticate(staff_user)
    with pytest.raises(TypeError):  # Django's test client raises what the server logged as a 500
        api.post("/api/assets/materials/", {"code": "ST", "name": "Steel", "price": 2.5}, format="json")
    assert not Material.objects.filter(code="ST").exists()


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_query_beyond_the_statement_timeout_is_a_503_naming_the_setting(api, reconfigure, settings):
    settings.CRUDDY_DJANGO = {**settings.CRUDDY_DJANGO, "STATEMENT_TIMEOUT": 50}
    slow = RawSQL("(pg_sleep(0.5))::text", [], output_field=models.TextField())
    reconfigure(Material, computed={"slow": slow})
    Material.objects.create(code="ST", name="Steel", price=2.5)
    response = api.get("/api/assets/materials/")
    assert response.status_code == 503
    assert "CRUDDY_DJANGO['STATEMENT_TIMEOUT']" in response.json()["detail"]
    settings.CRUDDY_DJANGO = {**settings.CRUDDY_DJANGO, "STATEMENT_TIMEOUT": 5000}
    assert api.get("/api/assets/materials/?fields=id,code").status_code == 200


def test_wrong_basic_credentials_are_a_401_with_a_challenge(api):
    from django.contrib.auth.models import User

    User.objects.create_user("alice", password="right")
    credentials = base64.b64encode(b"alice:wrong").decode()
    response = api.post("/api/assets/materials/", {"code": "ST", "name": "Steel", "price": 2.5}, format="json",
                        HTTP_AUTHORIZATION=f"Basic {credentials}")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid username/password."}
    assert response["WWW-Authenticate"] == 'Basic realm="api"'
    response = api.post("/api/assets/materials/", {"code": "ST", "name": "Steel", "price": 2.5}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="api"'
    assert not Material.objects.exists()
