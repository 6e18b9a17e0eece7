"""The example's ASGI entry point serves the API (sync views in Django's thread pool), bodies included."""

import json

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator

from example_project.asgi import application
from example_project.assets.models import Material

pytestmark = pytest.mark.django_db(transaction=True)


async def _call(method: str, path: str, *, body_chunks: tuple[bytes, ...] = (b"",),
                headers=()) -> tuple[int, dict, bytes]:
    query = path.partition("?")[2]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path.partition("?")[0], "raw_path": path.encode(), "query_string": query.encode(),
        "headers": [(b"host", b"testserver"), *headers], "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    communicator = ApplicationCommunicator(application, scope)
    for index, chunk in enumerate(body_chunks):
        await communicator.send_input(
            {"type": "http.request", "body": chunk, "more_body": index < len(body_chunks) - 1})
    start = await communicator.receive_output(timeout=60)  # a guard against a hang, not a speed limit
    content = b""
    while True:
        message = await communicator.receive_output(timeout=60)
        content += message.get("body", b"")
        if not message.get("more_body"):
            break
    await communicator.wait(timeout=60)
    return start["status"], {key.decode().lower(): value.decode() for key, value in start["headers"]}, content


def test_the_asgi_application_answers_a_list_request():
    Material.objects.create(code="STEEL", name="Steel", price=2)
    status, headers, content = async_to_sync(_call)("GET", "/api/assets/materials/?fields=code")
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert headers["x-request-id"]
    assert json.loads(content)["results"] == [{"code": "STEEL"}]


def test_a_chunked_body_over_asgi_is_read_not_dropped(django_user_model):
    import base64

    django_user_model.objects.create_user("ops", password="ops")
    body = json.dumps({"code": "ASGI", "name": "Sent in chunks", "price": 4}).encode()
    status, _headers, content = async_to_sync(_call)(
        "POST", "/api/assets/materials/", body_chunks=(body[:10], body[10:25], body[25:]),
        headers=((b"content-type", b"application/json"), (b"transfer-encoding", b"chunked"),
                 (b"authorization", b"Basic " + base64.b64encode(b"ops:ops"))))
    assert status == 201, content
    assert Material.objects.get(code="ASGI").name == "Sent in chunks"
