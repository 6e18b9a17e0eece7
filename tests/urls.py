from django.urls import include, path

from cruddy_django import site

urlpatterns = [path("api/", include(site.urls))]
