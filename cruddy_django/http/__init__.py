"""The HTTP layer: the site with its URLs, the generated viewsets, filter backends, routes and views.

    from cruddy_django.http import ResourceSite, ResourceViewSet
    urlpatterns = [path("api/", include(site.urls))]

The only layer that builds URLs or views; everything below it is reached through ``resource.site``.
"""

from __future__ import annotations

from cruddy_django.http.sites import ResourceSite, SiteResource
from cruddy_django.http.viewsets import ResourceViewSet, build_viewset_class, viewset_for

__all__ = ["ResourceSite", "ResourceViewSet", "SiteResource", "build_viewset_class", "viewset_for"]
