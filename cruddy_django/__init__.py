"""cruddy_django: plain Django models in, a complete, fast and secure REST back end out.

    from cruddy_django import ResourceModel, resource, site
    class Rocket(ResourceModel): ...
    urlpatterns = [path("api/", include(site.urls))]

Names are imported lazily so that ``import cruddy_django`` is safe while Django is still loading apps.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY_NAMES = {
    "ResourceModel": "cruddy_django.registry.models",
    "resource": "cruddy_django.registry.models",
    "site": "cruddy_django.registry.sites",
    "ResourceSite": "cruddy_django.registry.sites",
    "route": "cruddy_django.registry.routes",
    "Key": "cruddy_django.registry.routes",
    "signals": "cruddy_django.signals",
    "policies": "cruddy_django.policies",
}

__all__ = [*_LAZY_NAMES, "__version__"]


def __getattr__(name: str) -> Any:
    if name not in _LAZY_NAMES:
        raise AttributeError(f"module 'cruddy_django' has no attribute {name!r}")
    module = importlib.import_module(_LAZY_NAMES[name])
    return module if name in {"signals", "policies"} else getattr(module, name)
