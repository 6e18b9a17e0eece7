"""Every answer under the API root is JSON: unknown URLs, wrong methods, oversized and unframed bodies, server
errors and an unavailable database, each with the request id that ties it to the logs."""

import io
import json
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from rest_framework.test import APIClient

from cruddy_django.http.reads import SelectionMixin
from cruddy_django.http.views import APIRootView
from example_project.assets.models import Material
from tests.outages import database_down

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    """A client that gets the 500 response instead of the exception (the site's views send Django's
    ``got_request_exception``, which the test client would re-raise)."""
    return APIClient(raise_request_exception=False)


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("ops", password="ops", is_staff=True)


def test_an_unknown_url_under_the_api_root_is_a_json_404(api):
    for path in ("/api/nothing/", "/api/assets/nothing/here", "/api/missions/1/crew/extra/segments/"):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"
        assert path in response.json()["detail"]
        assert response["X-Request-ID"]


def test_a_write_to_an_unknown_url_with_a_session_is_a_json_404_not_a_csrf_page(staff):
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="ops", password="ops")
    response = client.post("/api/nothing/", {"a": 1}, format="json")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_a_method_the_route_does_not_have_is_a_json_405(api, staff):
    api.force_authenticate(staff)
    for method, path in (("patch", "/api/"), ("post", "/api/_health/"), ("trace", "/api/assets/materials/")):
        response = getattr(api, method)(path) if method != "trace" else api.generic("TRACE", path)
        assert response.status_code == 405, (method, path)
        assert response["Content-Type"] == "application/json"
        assert method.upper() in response.json()["detail"]


def test_a_body_over_the_size_limit_is_a_json_413_naming_the_limit(api, staff, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api.force_authenticate(staff)
    items = [{"code": f"C{index}", "name": "x" * 40, "price": 1} for index in range(40)]
    response = api.post("/api/assets/materials/", items, format="json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "1000 bytes" in response.json()["detail"] and "DATA_UPLOAD_MAX_MEMORY_SIZE" in response.json()["detail"]
    assert not Material.objects.exists()


def test_an_unexpected_error_is_a_json_500_with_the_request_id(client, monkeypatch):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("the list broke")

    monkeypatch.setattr(SelectionMixin, "list", broken)
    response = client.get("/api/assets/materials/", HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response["X-Request-ID"] == "req-42"
    body = response.json()
    assert body["request_id"] == "req-42" and "req-42" in body["detail"]
    assert "the list broke" not in json.dumps(body)  # DEBUG is off: nothing of the error leaks


def test_with_debug_on_the_500_says_what_broke(client, monkeypatch, settings):
    settings.DEBUG = True
    monkeypatch.setattr(APIRootView, "get", lambda self, request: 1 / 0)
    body = client.get("/api/").json()
    assert body["exception"] == "ZeroDivisionError: division by zero"
    assert any("1 / 0" in line for line in body["traceback"])


def test_a_request_id_that_could_forge_log_lines_is_replaced(api):
    response = api.get("/api/", HTTP_X_REQUEST_ID="bad id\nforged line")
    assert response["X-Request-ID"] != "bad id\nforged line"
    assert len(response["X-Request-ID"]) == 32


def test_an_unavailable_database_is_a_json_503_with_retry_after(client, staff, settings, caplog):
    settings.CRUDDY_DJANGO = {**settings.CRUDDY_DJANGO, "RETRY_AFTER": 7}
    client.force_authenticate(staff)
    with database_down(), caplog.at_level("WARNING", logger="cruddy_django.errors"):
        read = client.get("/api/assets/materials/")  # fails inside DRF's handler
        write = client.post("/api/assets/materials/", {"code": "X", "name": "X", "price": 1}, format="json")
    for response in (read, write):  # the write fails earlier, opening its transaction outside DRF
        assert response.status_code == 503
        assert response["Content-Type"] == "application/json"
        assert response["Retry-After"] == "7"
        assert "database is unavailable" in response.json()["detail"]
        assert response.json()["request_id"] == response["X-Request-ID"]
    logged = [record.getMessage() for record in caplog.records if record.name == "cruddy_django.errors"]
    assert [message.split(":")[0] for message in logged] == ["503 GET /api/assets/materials/",
                                                             "503 POST /api/assets/materials/"]
    assert all("the database is unavailable (OperationalError" in message for message in logged)
    assert client.get("/api/assets/materials/").status_code == 200  # back by itself
    assert not Material.objects.exists()


def test_a_broken_query_is_a_500_not_a_503(client, monkeypatch):
    """A missing table is a bug to fix, not an outage to wait out: no Retry-After."""
    from django.db import connection

    def broken(self, request, *args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM cruddy_no_such_table")

    monkeypatch.setattr(SelectionMixin, "list", broken)
    response = client.get("/api/assets/materials/")
    assert response.status_code == 500 and "Retry-After" not in response


# -- bodies without Content-Length ---------------------------------------------------------------------------
def _wsgi_post(path: str, body: bytes, *, input_terminated: bool) -> tuple[int, dict, dict]:
    """POST through Django's WSGI handler as a server does for ``Transfer-Encoding: chunked``: no
    CONTENT_LENGTH, the decoded body on wsgi.input, and ``wsgi.input_terminated`` when the server ends it."""
    import base64

    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "testserver",
        "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.multithread": False,
        "wsgi.multiprocess": False, "wsgi.run_once": False, "CONTENT_TYPE": "application/json",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"ops:ops").decode(),
    }
    if input_terminated:
        environ["wsgi.input_terminated"] = True
    started: dict = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=int(status.split()[0]), headers=dict(headers))

    response = WSGIHandler()(environ, start_response)
    content = b"".join(response)
    response.close()
    return started["status"], started["headers"], json.loads(content)


@pytest.mark.django_db(transaction=True)
def test_a_chunked_body_is_read_when_the_server_ends_the_input(staff):
    body = json.dumps({"code": "CHUNK", "name": "Chunked", "price": 3}).encode()
    status, _headers, answer = _wsgi_post("/api/assets/materials/", body, input_terminated=True)
    assert status == 201, answer
    assert Material.objects.get(code="CHUNK").name == "Chunked"


@pytest.mark.django_db(transaction=True)
def test_a_chunked_body_the_server_cannot_end_is_refused_with_411(staff):
    body = json.dumps({"code": "CHUNK", "name": "Chunked", "price": 3}).encode()
    status, headers, answer = _wsgi_post("/api/assets/materials/", body, input_terminated=False)
    assert status == 411
    assert "Content-Length" in answer["detail"] and answer["request_id"] == headers["X-Request-ID"]
    assert not Material.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_chunked_body_over_the_limit_is_a_413(staff, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = json.dumps([{"code": f"C{index}", "name": "Chunked", "price": 3} for index in range(20)]).encode()
    status, _headers, answer = _wsgi_post("/api/assets/materials/", body, input_terminated=True)
    assert status == 413 and "100 bytes" in answer["detail"]
    assert not Material.objects.exists()
