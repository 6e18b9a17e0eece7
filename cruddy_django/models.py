"""Django's models module of the app: the abstract models users inherit, defined in ``registry.models``.

    from cruddy_django.models import Tracked
    class Mission(Tracked, ResourceModel): ...
"""

from __future__ import annotations

from cruddy_django.registry.models import ResourceModel, Tracked, resource

__all__ = ["ResourceModel", "Tracked", "resource"]
