"""cruddy_django under /api/, the baselines under /drf/, /tuned/, /flex/ and /floor/."""

from django.urls import include, path

from cruddy_django import site

from . import baselines

urlpatterns = [path("api/", include(site.urls)), *baselines.urlpatterns]
