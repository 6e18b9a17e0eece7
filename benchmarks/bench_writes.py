"""Write benchmark: create 1,000 materials in one POST, cruddy_django against a plain DRF ListSerializer.

    python benchmarks/bench_writes.py                 # a temporary SQLite file
    DATABASE_URL=postgres://... python benchmarks/bench_writes.py --rows 1000 --rounds 5
    (prints rows/s for each side and the ratio; a throwaway test database is used on PostgreSQL)

Both sides go through the same Django test client, URL resolution, JSON parsing, validation (including the
unique check of ``code``), one transaction, and a JSON answer with the created rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(database_file: str) -> None:
    import django
    from django.conf import settings

    if os.environ.get("DATABASE_URL"):
        import dj_database_url

        database = dj_database_url.parse(os.environ["DATABASE_URL"])
    else:
        database = {"ENGINE": "django.db.backends.sqlite3", "NAME": database_file}
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench",
        ALLOWED_HOSTS=["*"],
        USE_TZ=True,
        DATABASES={"default": database},
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        INSTALLED_APPS=[
            "django.contrib.auth", "django.contrib.contenttypes", "rest_framework", "django_filters",
            "drf_spectacular", "drf_spectacular_sidecar", "cruddy_django", "example_project.assets",
            "example_project.ops", "example_project.staff",
        ],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        REST_FRAMEWORK={"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
                        "DEFAULT_AUTHENTICATION_CLASSES": [], "UNAUTHENTICATED_USER": None},
    )
    django.setup()


urlpatterns: list = []


def build_urls() -> None:
    from django.db import transaction
    from django.urls import include, path
    from rest_framework import serializers
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from cruddy_django import site
    from example_project.assets.models import Material

    class PlainMaterialSerializer(serializers.ModelSerializer):
        class Meta:
            model = Material
            fields = ["id", "code", "name", "description", "price"]

    class PlainBulkCreate(APIView):
        """What a DRF user writes by hand: ``many=True`` and ``ListSerializer.create``."""

        authentication_classes: list = []
        permission_classes: list = []

        def post(self, request):
            with transaction.atomic():
                serializer = PlainMaterialSerializer(data=request.data, many=True)
                serializer.is_valid(raise_exception=True)
                serializer.save()
            return Response(serializer.data, status=201)

    urlpatterns[:] = [path("plain/materials/", PlainBulkCreate.as_view()), path("api/", include(site.urls))]


def measure(client, url: str, rows: int, rounds: int) -> list[float]:
    from example_project.assets.models import Material

    timings = []
    for round_number in range(rounds):
        payload = [{"code": f"B{round_number}-{i}", "name": f"Material {i}", "description": "bench",
                    "price": 1.5 + i} for i in range(rows)]
        Material.objects.all().delete()
        started = time.perf_counter()
        response = client.post(url, payload, format="json")
        timings.append(time.perf_counter() - started)
        assert response.status_code == 201, response.content[:500]
        assert Material.objects.count() == rows
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000, help="rows per request (default 1000)")
    parser.add_argument("--rounds", type=int, default=5, help="timed requests per side (default 5)")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        configure(str(Path(directory) / "bench.sqlite3"))
        from django.core.management import call_command
        from django.db import connection
        from rest_framework.test import APIClient

        on_postgres = connection.vendor == "postgresql"
        if on_postgres:
            test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        else:
            call_command("migrate", verbosity=0, run_syncdb=True)
        try:
            build_urls()
            client = APIClient()
            measure(client, "/api/assets/materials/", 50, 1)  # warm both paths up
            measure(client, "/plain/materials/", 50, 1)
            cruddy = measure(client, "/api/assets/materials/", arguments.rows, arguments.rounds)
            plain = measure(client, "/plain/materials/", arguments.rows, arguments.rounds)
        finally:
            if on_postgres:
                connection.creation.destroy_test_db(test_name, verbosity=0)

    print(f"Bulk create of {arguments.rows} materials in one POST ({connection.vendor}, median of "
          f"{arguments.rounds} requests)")
    for label, timings in (("plain DRF ListSerializer", plain), ("cruddy_django", cruddy)):
        median = statistics.median(timings)
        print(f"  {label:<26} {median * 1000:8.1f} ms   {arguments.rows / median:10,.0f} rows/s")
    print(f"  ratio: cruddy_django is {statistics.median(plain) / statistics.median(cruddy):.1f}x faster")


if __name__ == "__main__":
    main()
