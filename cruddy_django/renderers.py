"""The old home of the JSON renderer, kept so that code and settings written against the first release still work;
import from ``cruddy_django.drf.renderers`` in new code."""

from __future__ import annotations

from cruddy_django.drf.renderers import FastJSONRenderer

__all__ = ["FastJSONRenderer"]
