"""What both read paths need to know about a relation hop: the scoped, ordered queryset of the rows on the
other side, the name that links them back, and whether a to-one hop may be a plain SQL join.

    queryset = related_queryset(request, site.get_resource(Astronaut), Astronaut)   # in scope, ordered
    back_query_name(Crew, model_graph(Crew).fields["astronauts"])                   # -> "crews"
    joinable(site.get_resource(Crew))                                               # -> True: no scope

Scopes are applied to every related queryset, so an expansion never shows a row the request could not
list; a to-one relation into a scoped resource is therefore fetched with its own query, not joined.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from cruddy_django import signals
from cruddy_django.access import access_for, has_scope
from cruddy_django.conf import cruddy_settings
from cruddy_django.introspection import FieldInfo, model_graph

if TYPE_CHECKING:
    from django.db import models

    from cruddy_django.registry import Resource

__all__ = ["EXPAND_ACTION", "back_filter", "back_query_name", "expand_limit", "joinable", "link_columns",
           "related_queryset"]

#: The ``action`` a ``before_query`` receiver sees for the related rows of an expansion (``?expand=books``).
EXPAND_ACTION = "expand"


def related_queryset(request: Any, resource: Resource | None, model: type[models.Model]) -> QuerySet:
    """The rows of ``model`` this request may see (its access object's), in the resource's default order,
    through the ``before_query`` receivers of that model with the action ``"expand"``."""
    if resource is None:  # a model not on the API: shown as pks only, in its own order
        return model._default_manager.order_by(*(model_graph(model).ordering or ("pk",)))
    queryset = access_for(request, resource).ordered_rows()
    return signals.before_query.pipe(resource.model, queryset, request=request, action=EXPAND_ACTION)


def back_filter(model: type[models.Model], info: FieldInfo) -> dict[str, Any]:
    """What the related rows must also match besides the back link: the content type a generic relation's rows
    carry for ``model`` (their object id alone could belong to a row of another model); nothing otherwise."""
    generic = info.relation.generic if info.relation is not None else None
    return {generic.content_type: generic.content_type_of(model)} if generic is not None else {}


def link_columns(info: FieldInfo) -> tuple[str, ...]:
    """The columns the related rows of a generic relation need for Django to match them to their owner."""
    generic = info.relation.generic if info.relation is not None else None
    return (generic.content_type,) if generic is not None else ()


def expand_limit(resource: Resource | None) -> int:
    """The most rows of ``resource`` one to-many relation shows per parent: its ``expand_limit`` option,
    else the ``EXPAND_LIMIT`` setting (also for models off the API, shown as pks)."""
    own = resource.options.expand_limit if resource is not None else None
    return int(own or cruddy_settings.EXPAND_LIMIT)


def joinable(resource: Resource | None) -> bool:
    """May a to-one relation into ``resource`` be read through a join? Only when nothing narrows its rows:
    no scope (whoever asks; plans are shared by every request) and no ``before_query`` receiver."""
    return resource is None or not (has_scope(resource) or signals.before_query.has_listeners(resource.model))


def back_query_name(model: type[models.Model], info: FieldInfo) -> str | None:
    """The ORM name, on the related model, that leads back to ``model`` across ``info``: ``rocket`` for
    ``Rocket.parts``, ``crews`` for ``Crew.astronauts``; None when Django keeps no way back (``related_name
    ="+"``, symmetrical self relations), and the hop must go through Django's prefetching instead."""
    relation = info.relation
    if relation is None:
        return None
    if relation.generic is not None:  # a generic relation: the related rows hold our pk in their object id
        return relation.generic.object_id
    if relation.reverse:
        return relation.remote_name
    if not relation.to_many:
        return "pk"
    for other in model_graph(relation.related_model).reverse_fields:
        other_relation = other.relation
        if (other_relation is not None and other_relation.remote_name == info.name
                and issubclass(model, other_relation.related_model)):
            return other_relation.query_name
    return None
