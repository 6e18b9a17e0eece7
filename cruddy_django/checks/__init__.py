"""System checks with stable ids: resource options (``resources``), policies (``policies``) and settings
(``settings``). Importing the package registers them all.

    $ python manage.py check
    staff.Crew: (cruddy_django.E001) Crew.Resource.fields names 'nmae', which is not a field of Crew.
"""

from __future__ import annotations

from cruddy_django.checks.policies import check_policies
from cruddy_django.checks.resources import check_resources
from cruddy_django.checks.settings import (
    check_installed_apps,
    check_schema_class,
    check_settings_keys,
    check_sqlite_concurrency,
)

__all__ = ["check_installed_apps", "check_policies", "check_resources", "check_schema_class", "check_settings_keys",
           "check_sqlite_concurrency"]
