"""Benchmark settings: the missions example on a SQLite file, or PostgreSQL when DATABASE_URL is set.

    DJANGO_SETTINGS_MODULE=benchmarks.settings python benchmarks/bench_reads.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python benchmarks/bench_reads.py

The benchmark creates its own database (``test_...``) and drops it at the end, like a test run.
"""

import os
import tempfile

SECRET_KEY = "benchmarks-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
TIME_ZONE = "UTC"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "cruddy_django",
    "example_project.assets",
    "example_project.ops",
    "example_project.staff",
]
DATABASE_URL = os.environ.get("DATABASE_URL")
if DATABASE_URL:
    import dj_database_url

    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
    DATABASES["default"]["TEST"] = {"NAME": "cruddy_benchmark"}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.path.join(tempfile.gettempdir(), "cruddy_benchmark.sqlite3"),
            "TEST": {"NAME": os.path.join(tempfile.gettempdir(), "cruddy_benchmark_test.sqlite3")},
        }
    }
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "benchmarks.urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
}
CRUDDY_DJANGO = {"MAX_PAGE_SIZE": 1000}
