"""The example's production profile: the settings of ``settings.py`` behind an HTTPS proxy.

    DJANGO_SETTINGS_MODULE=example_project.production DJANGO_SECRET_KEY=... \\
        DJANGO_ALLOWED_HOSTS=api.example.com python manage.py check --deploy     # no issues

The proxy terminates TLS and sets ``X-Forwarded-Proto``; the health check stays reachable over plain HTTP
for the load balancer.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from example_project.settings import *  # noqa: F403

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY to a random value of 50 characters or more.")
if "DJANGO_ALLOWED_HOSTS" not in os.environ:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS to the comma-separated host names the API answers.")
DEBUG = False
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if host and not host.startswith(".")]  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_REDIRECT_EXEMPT = [r"^api/_health/?$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
