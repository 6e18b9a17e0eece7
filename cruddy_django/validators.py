"""Validators that Django does not ship and the API needs, usable on any model field.

    price = models.FloatField(validators=[GreaterThanValidator(0)])
"""

from __future__ import annotations

from typing import Any

from django.core.validators import BaseValidator
from django.utils.deconstruct import deconstructible

__all__ = ["GreaterThanValidator", "LessThanValidator"]



@deconstructible
class GreaterThanValidator(BaseValidator):
    """Strictly greater than ``limit_value`` (Django's MinValueValidator allows equality)."""

    message = "Ensure this value is greater than %(limit_value)s."
    code = "greater_than"

    def compare(self, a: Any, b: Any) -> bool:
        return a <= b


@deconstructible
class LessThanValidator(BaseValidator):
    """Strictly less than ``limit_value``."""

    message = "Ensure this value is less than %(limit_value)s."
    code = "less_than"

    def compare(self, a: Any, b: Any) -> bool:
        return a >= b
