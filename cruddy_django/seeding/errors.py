"""The one error seeding raises for data it cannot make; the ``seed`` command turns it into a CommandError.

    from cruddy_django.seeding import SeedingError
    try: seed({Country: 100_000})
    except SeedingError as error: print(error)  # -> "Country.code holds at most 1,296 distinct values ..."
"""

from __future__ import annotations

__all__ = ["SeedingError"]



class SeedingError(Exception):
    """Seeding cannot go on: a unique field is full, a cycle cannot be broken, a row is protected."""
