"""Autodiscovered by cruddy_django's app config, like an admin.py."""

from cruddy_django import site

from .models import Country

site.register(Country, namespace="geo", fields=["code", "name"])
