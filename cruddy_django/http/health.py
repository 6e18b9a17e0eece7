"""``GET <api root>_health/``: is this server able to serve? For load balancers and orchestrators.

    GET /api/_health/  -> 200 {"status": "ok", "database": "ok"}
                       -> 503 {"status": "unavailable", "database": "unavailable"}   (and Retry-After)

No authentication, no session, no throttle: one ``SELECT 1`` per database, cheap enough to be called every
second. The checks are ``CRUDDY_DJANGO["HEALTH_CHECKS"]`` (a name -> a callable that raises when its
dependency is down); a failing check is logged on ``cruddy_django.errors`` with its reason, which the answer
does not show (the view is public).
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cruddy_django.conf import cruddy_settings
from cruddy_django.logs import error_logger, request_id

__all__ = ["HealthView", "check_databases"]


def check_databases() -> None:
    """Run ``SELECT 1`` on every configured database; raises the database's error when one is down."""
    for connection in connections.all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


class HealthView(APIView):
    """Whether the server and its dependencies answer: 200 when every check passes, else 503."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    throttle_classes: list[Any] = []
    renderer_classes = [JSONRenderer]

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        answer = {"status": "ok"}
        for name, check in cruddy_settings.HEALTH_CHECKS.items():
            try:
                check()
            except Exception as exc:
                error_logger.warning("health check %r failed: %s: %s [request %s]", name, type(exc).__name__, exc,
                                     request_id(request), extra={"request_id": request_id(request)})
                answer[name] = answer["status"] = "unavailable"
            else:
                answer[name] = "ok"
        if answer["status"] == "ok":
            return Response(answer, headers={"Cache-Control": "no-store"})
        return Response(answer, status=status.HTTP_503_SERVICE_UNAVAILABLE,
                        headers={"Retry-After": str(cruddy_settings.RETRY_AFTER), "Cache-Control": "no-store"})
