"""The ASGI entry point of the example: ``uvicorn example_project.asgi:application`` (``python3 dev.py serve
--asgi``). Sync views run in Django's thread pool; the change feed (DESIGN.md §8) will add WebSockets here."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_project.settings")
application = get_asgi_application()
