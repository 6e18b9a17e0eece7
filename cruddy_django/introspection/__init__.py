"""What cruddy_django knows of a model, read from ``Model._meta`` in one place (``graph``), and the table of
field kinds that every layer derives its behaviour from (``kinds``).

    from cruddy_django.introspection import model_graph
    model_graph(Crew).fields["astronauts"].relation.to_many  # -> True
"""

from __future__ import annotations

from cruddy_django.introspection.graph import (
    NOT_PROVIDED,
    FieldInfo,
    GenericKey,
    ManyToManyLink,
    ModelGraph,
    RelationInfo,
    ancestor_models,
    app_label,
    auto_now_fields,
    is_multi_table_child,
    local_field_names,
    many_to_many_link,
    model_graph,
    model_label,
    verbose_names,
)

__all__ = [
    "NOT_PROVIDED",
    "FieldInfo",
    "GenericKey",
    "ManyToManyLink",
    "ModelGraph",
    "RelationInfo",
    "ancestor_models",
    "app_label",
    "auto_now_fields",
    "is_multi_table_child",
    "local_field_names",
    "many_to_many_link",
    "model_graph",
    "model_label",
    "verbose_names",
]
