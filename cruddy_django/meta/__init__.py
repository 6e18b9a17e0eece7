"""Describing the API: the ``_meta`` description of each resource, ``_check`` of one field of an item, and the
ER diagram (Mermaid text or server-side SVG).

    from cruddy_django.meta import describe_resource, user_view
    describe_resource(site.get_resource("Crew"))   # the same for every request, cached on the site
"""

from __future__ import annotations

from cruddy_django.meta.describe import describe_resource, user_view
from cruddy_django.meta.diagram import mermaid_er
from cruddy_django.meta.svg import render_svg

__all__ = ["describe_resource", "mermaid_er", "render_svg", "user_view"]
