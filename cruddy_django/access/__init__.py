"""The one access object per request and resource (DESIGN.md §6), and the policy chains it reads.

    from cruddy_django.access import access_for
    access = access_for(request, resource)
    access.readable, access.rows(), access.related(info), access.policy_classes("update")
"""

from __future__ import annotations

from cruddy_django.access.access import Access, access_for, has_row_rules, has_scope, is_per_row
from cruddy_django.access.chains import ACTION_FALLBACKS, has_own_chain, policy_chain

__all__ = ["ACTION_FALLBACKS", "Access", "access_for", "has_own_chain", "has_row_rules", "has_scope", "is_per_row",
           "policy_chain"]
