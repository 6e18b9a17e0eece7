"""The zoo on the default site and on a second site that registers Publication with open policies and no field
rules, and Ebook with nothing: each child follows its own site's parent. Used by test_zoo_inheritance.py."""

from django.urls import include, path

from cruddy_django import ResourceSite, site
from cruddy_django.policies import allow_any
from tests.zoo.models import Ebook, Publication

open_site = ResourceSite(name="open")
open_site.register(Publication, namespace="o", policies={"*": [allow_any], "create": [allow_any]})  # open to anyone
open_site.register(Ebook, namespace="o")

urlpatterns = [path("api/", include(site.urls)), path("open/", include(open_site.urls))]
