"""cruddy_django: plain Django models in, a complete, fast and secure REST back end out.

    from cruddy_django import ResourceModel, resource, site
    class Rocket(ResourceModel): ...
    urlpatterns = [path("api/", include(site.urls))]

Names are imported lazily so that ``import cruddy_django`` is safe while Django is still loading apps.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

_LAZY_NAMES = {
    "ResourceModel": "cruddy_django.registry.models",
    "Tracked": "cruddy_django.registry.models",
    "resource": "cruddy_django.registry.models",
    "site": "cruddy_django.registry.default",
    "ResourceSite": "cruddy_django.http.sites",
    "route": "cruddy_django.registry.routes",
    "Key": "cruddy_django.registry.routes",
    "ResourceViewSet": "cruddy_django.http.viewsets",
    "ResourceSerializer": "cruddy_django.drf.serializers",
    "ResourceFilterSet": "cruddy_django.drf.filtersets",
    "ResourcePagination": "cruddy_django.drf.pagination",
    "signals": "cruddy_django.signals",
    "policies": "cruddy_django.policies",
}
_MODULES = {"signals", "policies"}

__all__ = [
    "Key",
    "ResourceFilterSet",
    "ResourceModel",
    "ResourcePagination",
    "ResourceSerializer",
    "ResourceSite",
    "ResourceViewSet",
    "Tracked",
    "__version__",
    "policies",
    "resource",
    "route",
    "signals",
    "site",
]

if TYPE_CHECKING:
    from cruddy_django import policies, signals
    from cruddy_django.drf.filtersets import ResourceFilterSet
    from cruddy_django.drf.pagination import ResourcePagination
    from cruddy_django.drf.serializers import ResourceSerializer
    from cruddy_django.http.sites import ResourceSite
    from cruddy_django.http.viewsets import ResourceViewSet
    from cruddy_django.registry.default import site
    from cruddy_django.registry.models import ResourceModel, Tracked, resource
    from cruddy_django.registry.routes import Key, route


def __getattr__(name: str) -> Any:
    if name not in _LAZY_NAMES:
        raise AttributeError(f"module 'cruddy_django' has no attribute {name!r}")
    module = importlib.import_module(_LAZY_NAMES[name])
    return module if name in _MODULES else getattr(module, name)
