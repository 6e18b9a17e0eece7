"""Settings of the missions example, from the environment (docs/deployment.md):

- ``DJANGO_DEBUG=1`` turns DEBUG on (``python3 dev.py demo`` does); it is off otherwise.
- ``DATABASE_URL`` chooses the database (SQLite in this folder by default); see ``databases.py``.
- ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` (comma-separated), ``DJANGO_LOG_LEVEL``.

``example_project.production`` adds HTTPS and requires a real secret key (``manage.py check --deploy`` clean).
"""

import os
from pathlib import Path

from example_project.databases import database_settings

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "example-only-not-a-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "cruddy_django",
    "example_project.assets",
    "example_project.ops",
    "example_project.staff",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves the browsable API's and Swagger UI's files (collected by `manage.py collectstatic`) from the
    # app server itself, compressed and cacheable, when no proxy serves /static/.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "example_project.urls"
WSGI_APPLICATION = "example_project.wsgi.application"
ASGI_APPLICATION = "example_project.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {"default": database_settings(os.environ.get("DATABASE_URL"))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")

# Every 5xx under the API root with its traceback and request id (cruddy_django.errors), each write
# (cruddy_django.writes), slow queries (cruddy_django.queries); 4xx and 5xx requests (cruddy_django.requests;
# INFO logs every request). Django's own server errors too (django.request), which DEBUG off hides otherwise.
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "cruddy_django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "cruddy_django.requests": {"level": os.environ.get("DJANGO_REQUEST_LOG_LEVEL", "WARNING")},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
}

CRUDDY_DJANGO = {
    "TITLE": "Missions API",
    "PAGE_SIZE": 20,
    # Reads are open; writes need a signed-in user (the demo account demo / demo); deletes need staff.
    # `update` also guards PATCH, upserts, filtered bulk updates and writing routes such as assign-lead;
    # `destroy` also guards filtered bulk deletes.
    "DEFAULT_POLICIES": {
        "*": ["cruddy_django.policies.allow_any"],
        "create": ["cruddy_django.policies.is_authenticated"],
        "update": ["cruddy_django.policies.is_authenticated"],
        "destroy": ["cruddy_django.policies.is_staff"],
    },
}
