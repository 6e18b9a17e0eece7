from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from cruddy_django import site

urlpatterns = [
    path("", RedirectView.as_view(url="/api/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api-auth/", include("rest_framework.urls")),
    path("api/", include(site.urls)),
]
