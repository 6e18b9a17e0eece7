"""The names of the query parameters the API reads, in one place.

    "page_size" in PAGING            # True
    dialect_of(".code", set())       # -> "dotted"  (see cruddy_django.http.backends)

Every reader (paging, sorting, selection, the filter backends, write envelopes, the GET body) takes its names
from here, so a name is never a filter in one place and a flag in another.
"""

from __future__ import annotations

__all__ = [
    "BODY_FILTERS",
    "BODY_QUERY_KEYS",
    "FORMAT",
    "NAMED_FILTERS",
    "PAGING",
    "RESERVED",
    "SELECTION",
    "SORTING",
    "WRITE_FLAGS",
]

# ?page=2&page_size=10, or ?limit=10&offset=10, or backo's ?_page=10&_skip=10 (a size and an offset).
PAGING = ("page", "page_size", "limit", "offset", "_page", "_skip")
# ?sort=-launch_date,+name, DRF's ?ordering=, backo's ?_sort=.
SORTING = ("sort", "ordering", "_sort")
# What a response holds: ?fields=, ?exclude=, ?expand=, Plateforme's ?include= trees, named ?view= (backo: _view).
SELECTION = ("fields", "exclude", "expand", "include", "view", "_view")
# Filters with a name of their own (the others are `.path` dotted keys, backo's `path.$op` keys and the
# generated django-filter lookups).
NAMED_FILTERS = ("where", "search", "selection")
# Flags of writes: in the query string or in Plateforme's envelope.
WRITE_FLAGS = ("dry_run", "return_result", "on_conflict")
FORMAT = "format"

# Never read as a filter.
RESERVED = frozenset({*PAGING, *SORTING, *SELECTION, *WRITE_FLAGS, FORMAT})

# Keys a GET body may carry (Plateforme sends its queries so), and of them those that filter.
BODY_FILTERS = ("filter", "where", "search", "selection")
BODY_QUERY_KEYS = frozenset({*BODY_FILTERS, "include", "exclude", "fields", "expand", "view", "sort", "page",
                             "page_size", "limit", "offset", "return_result"})
