"""The one place that reads ``Model._meta``: a model becomes a small, cached graph of field descriptions.

    from cruddy_django.introspection import model_graph
    graph = model_graph(Crew)
    graph.fields["astronauts"].relation.to_many  # -> True

Everything downstream (options, serializers, filters, the query compiler, _meta, seeding) reads these
dataclasses, so a Django upgrade that moves something in ``_meta`` is fixed here once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models.fields.related import ForeignObjectRel

__all__ = ["NOT_PROVIDED", "FieldInfo", "GenericKey", "ManyToManyLink", "ModelGraph", "RelationInfo",
    "ancestor_models", "app_label", "auto_now_fields", "is_multi_table_child", "local_field_names",
    "many_to_many_link", "model_graph", "model_label", "verbose_names"]


NOT_PROVIDED = models.NOT_PROVIDED


@dataclass(frozen=True, slots=True)
class GenericKey:
    """The two columns of a generic foreign key: the content type (a foreign key to ``ContentType``) and the
    primary key of the row it points to, by field name and by attribute name."""

    content_type: str
    object_id: str
    content_type_attname: str
    object_id_attname: str
    for_concrete_model: bool = True

    def content_type_of(self, model: type[models.Model]) -> Any:
        """The ``ContentType`` this key stores for rows of ``model`` (cached by Django after the first query)."""
        from django.contrib.contenttypes.models import ContentType

        return ContentType.objects.get_for_model(model, for_concrete_model=self.for_concrete_model)


@dataclass(frozen=True, slots=True)
class RelationInfo:
    """How a field links to another model."""

    related_model: type[models.Model]
    to_many: bool
    reverse: bool
    # The name to use in ORM lookups (`crew__lead`, or a reverse relation's related_query_name).
    query_name: str
    # The name of the field on the other side, when there is one.
    remote_name: str | None
    # The Django on_delete handler of a forward foreign key, or of the forward side of a reverse one.
    on_delete: Any = None
    nullable_link: bool = False
    # A generic relation (``GenericRelation``): the generic key of the related model that points back.
    generic: GenericKey | None = None
    # The one-to-one link of a multi-table-inheritance child to its parent (``publication_ptr``): the same
    # value as the row's primary key.
    parent_link: bool = False

    @property
    def cardinality(self) -> str:
        return "to_many" if self.to_many else "to_one"


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """One field of a model as the API sees it: a column, a forward relation or a reverse relation."""

    name: str
    model_field: Any = field(repr=False, compare=False)
    internal_type: str = ""
    attname: str | None = None
    primary_key: bool = False
    null: bool = False
    blank: bool = False
    editable: bool = True
    concrete: bool = True
    unique: bool = False
    max_length: int | None = None
    choices: tuple[tuple[Any, str], ...] = ()
    validators: tuple[Any, ...] = field(default=(), repr=False, compare=False)
    default: Any = field(default=NOT_PROVIDED, repr=False, compare=False)
    help_text: str = ""
    verbose_name: str = ""
    relation: RelationInfo | None = None
    # A generic foreign key (``GenericForeignKey``): a reference to a row of any model, by its two columns.
    generic: GenericKey | None = None

    @property
    def is_relation(self) -> bool:
        return self.relation is not None

    @property
    def link(self) -> RelationInfo:
        """The relation of a relation field, for code that has checked it is one (a column raises)."""
        if self.relation is None:
            raise TypeError(f"The field {self.name!r} is not a relation.")
        return self.relation

    @property
    def has_default(self) -> bool:
        return self.default is not NOT_PROVIDED

    @property
    def auto_created(self) -> bool:
        return self.internal_type in {"AutoField", "BigAutoField", "SmallAutoField"}

    @property
    def required(self) -> bool:
        """Must a client send this field when creating a row?"""
        if not self.editable or self.auto_created or self.has_default or self.null or self.blank:
            return False
        return not (self.relation and (self.relation.to_many or self.relation.reverse))

    @property
    def query_name(self) -> str:
        return self.relation.query_name if self.relation else self.name


@dataclass(frozen=True, slots=True)
class ModelGraph:
    model: type[models.Model]
    label: str
    pk_name: str
    fields: dict[str, FieldInfo]
    ordering: tuple[str, ...]
    unique_fields: tuple[str, ...]
    unique_together: tuple[tuple[str, ...], ...]
    # Fields of UniqueConstraints that hold only where their condition does (``tag`` among active rows).
    unique_when: tuple[tuple[str, ...], ...] = ()

    @property
    def forward_fields(self) -> list[FieldInfo]:
        """Concrete columns and forward relations, in declaration order."""
        return [info for info in self.fields.values() if not (info.relation and info.relation.reverse)]

    @property
    def reverse_fields(self) -> list[FieldInfo]:
        return [info for info in self.fields.values() if info.relation and info.relation.reverse]

    @property
    def generic_columns(self) -> set[str]:
        """The content type and object id fields of the model's generic foreign keys, which the API shows as
        the generic foreign key itself."""
        return {name for info in self.fields.values() if info.generic
                for name in (info.generic.content_type, info.generic.object_id)}



def _choices(model_field: models.Field) -> tuple[tuple[Any, str], ...]:
    flat: list[tuple[Any, str]] = []
    for value, label in model_field.choices or ():
        if isinstance(label, list | tuple):  # an option group
            flat.extend((inner_value, str(inner_label)) for inner_value, inner_label in label)
        else:
            flat.append((value, str(label)))
    return tuple(flat)


def _describe_forward(model_field: models.Field) -> FieldInfo:
    relation = None
    remote = model_field.remote_field
    if model_field.is_relation and model_field.related_model is not None and remote is not None:
        relation = RelationInfo(
            related_model=model_field.related_model,
            to_many=bool(model_field.many_to_many),
            reverse=False,
            query_name=model_field.name,
            remote_name=None if remote.hidden else remote.get_accessor_name(),
            on_delete=getattr(remote, "on_delete", None),
            nullable_link=bool(model_field.null),
            parent_link=bool(getattr(remote, "parent_link", False)),
        )
    return FieldInfo(
        name=model_field.name,
        model_field=model_field,
        internal_type=model_field.get_internal_type(),
        attname=getattr(model_field, "attname", None),
        primary_key=bool(model_field.primary_key),
        null=bool(model_field.null),
        blank=bool(model_field.blank),
        editable=bool(model_field.editable),
        concrete=bool(model_field.concrete),
        unique=bool(model_field.unique),
        max_length=model_field.max_length,
        choices=_choices(model_field),
        validators=tuple(model_field.validators),
        default=model_field.default,
        help_text=str(model_field.help_text or ""),
        verbose_name=str(model_field.verbose_name),
        relation=relation,
    )


def _describe_reverse(rel: ForeignObjectRel) -> FieldInfo:
    forward = rel.field
    return FieldInfo(
        name=rel.get_accessor_name() or rel.name,
        model_field=rel,
        internal_type=type(rel).__name__,
        editable=False,
        concrete=False,
        null=True,
        blank=True,
        verbose_name=str(rel.related_model._meta.verbose_name_plural),
        relation=RelationInfo(
            related_model=rel.related_model,
            to_many=bool(rel.one_to_many or rel.many_to_many),
            reverse=True,
            query_name=forward.related_query_name(),
            remote_name=forward.name,
            on_delete=getattr(rel, "on_delete", None),
            nullable_link=bool(forward.null),
        ),
    )


def _generic_key(model: type[models.Model], content_type: str, object_id: str,
                 for_concrete_model: bool) -> GenericKey:
    content_type_field: Any = model._meta.get_field(content_type)  # both are columns
    object_id_field: Any = model._meta.get_field(object_id)
    return GenericKey(content_type=content_type, object_id=object_id,
                      content_type_attname=content_type_field.attname, object_id_attname=object_id_field.attname,
                      for_concrete_model=for_concrete_model)


def _describe_generic_foreign_key(model: type[models.Model], field: Any) -> FieldInfo:
    content_type: Any = model._meta.get_field(field.ct_field)  # a foreign key to ContentType
    return FieldInfo(
        name=field.name,
        model_field=field,
        internal_type="GenericForeignKey",
        editable=bool(content_type.editable),
        concrete=False,
        null=bool(content_type.null),
        blank=bool(content_type.blank),
        verbose_name=str(field.verbose_name or field.name),
        generic=_generic_key(model, field.ct_field, field.fk_field, field.for_concrete_model),
    )


def _describe_generic_relation(field: Any) -> FieldInfo:
    related = field.related_model
    return FieldInfo(
        name=field.name,
        model_field=field,
        internal_type="GenericRelation",
        editable=False,
        concrete=False,
        null=True,
        blank=True,
        verbose_name=str(related._meta.verbose_name_plural),
        relation=RelationInfo(
            related_model=related, to_many=True, reverse=True, query_name=field.name, remote_name=None,
            on_delete=models.CASCADE,  # Django deletes a row's generic members with it
            generic=_generic_key(related, field.content_type_field_name, field.object_id_field_name,
                                 field.for_concrete_model),
        ),
    )


def _is_generic_foreign_key(field: Any) -> bool:
    return hasattr(field, "ct_field") and hasattr(field, "fk_field") and field.related_model is None


def _is_generic_relation(field: Any) -> bool:
    return hasattr(field, "object_id_field_name") and hasattr(field, "content_type_field_name")


@functools.cache
def model_graph(model: type[models.Model]) -> ModelGraph:
    """Describe a model once; the result is cached for the life of the process."""
    meta = model._meta
    fields: dict[str, FieldInfo] = {}
    for model_field in meta.get_fields(include_hidden=False):
        if isinstance(model_field, ForeignObjectRel):
            if model_field.hidden or _is_generic_relation(model_field.field):
                continue  # the reverse of a generic relation: the generic foreign key covers it
            info = _describe_reverse(model_field)
        elif _is_generic_relation(model_field):
            info = _describe_generic_relation(model_field)
        elif _is_generic_foreign_key(model_field):
            info = _describe_generic_foreign_key(model, model_field)
        elif getattr(model_field, "concrete", False) or model_field.many_to_many:
            info = _describe_forward(model_field)
        else:  # other virtual fields are not columns the API can expose
            continue
        fields[info.name] = info

    unique_together = [tuple(group) for group in meta.unique_together]
    unique_together += [
        tuple(constraint.fields)
        for constraint in meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and constraint.fields
        and constraint.condition is None
        and not constraint.expressions
    ]
    unique_when = tuple(
        tuple(constraint.fields) for constraint in meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and constraint.condition is not None
        and not constraint.expressions
    )
    ordering = tuple(item for item in (meta.ordering or ()) if isinstance(item, str))
    return ModelGraph(
        model=model,
        label=meta.label,
        pk_name=meta.pk.name,
        fields=fields,
        ordering=ordering,
        unique_fields=tuple(
            info.name for info in fields.values() if info.unique and not info.primary_key and info.concrete
        ),
        unique_together=tuple(unique_together),
        unique_when=unique_when,
    )


def model_label(model: type[models.Model]) -> str:
    return model._meta.label




def verbose_names(model: type[models.Model]) -> tuple[str, str]:
    return str(model._meta.verbose_name), str(model._meta.verbose_name_plural)



def app_label(model: type[models.Model]) -> str:
    return model._meta.app_label



def is_multi_table_child(model: type[models.Model]) -> bool:
    """A child of multi-table inheritance, which ``bulk_create`` cannot insert."""
    return bool(model._meta.parents)


def ancestor_models(model: type[models.Model]) -> list[type[models.Model]]:
    """The concrete models and proxies ``model`` inherits from, nearest first: the parents of a
    multi-table-inheritance child, the model a proxy stands for (abstract classes are not models)."""
    return [klass for klass in model.__mro__[1:]
            if isinstance(klass, type) and issubclass(klass, models.Model) and klass is not models.Model
            and not klass._meta.abstract]


def local_field_names(model: type[models.Model]) -> list[str]:
    """The fields a model declares itself, not those it inherits from a concrete parent (parent links
    excluded): what a child adds to the fields its parent's resource lists."""
    return [field.name for field in model._meta.local_fields + model._meta.local_many_to_many
            if not getattr(field.remote_field, "parent_link", False)]


@dataclass(frozen=True, slots=True)
class ManyToManyLink:
    """The join table of a many-to-many relation (auto-created, or a ``through`` model), seen from one side."""

    through: type[models.Model]
    source_attname: str  # the join table's column pointing at the side we stand on
    target_attname: str
    # Columns of a ``through`` model that have no default: join rows cannot be made from two keys alone
    required: tuple[str, ...] = ()


def many_to_many_link(info: FieldInfo) -> ManyToManyLink | None:
    """How to write join rows of a forward or reverse many-to-many; None for any other relation. Join rows of
    a ``through`` model get its defaults; ``required`` names its columns that have none."""
    relation = info.relation
    if relation is None or not relation.to_many or relation.generic is not None:
        return None
    forward = info.model_field.field if relation.reverse else info.model_field
    if not isinstance(forward, models.ManyToManyField):
        return None
    through: Any = forward.remote_field.through
    if through is None:
        return None
    source_field = through._meta.get_field(forward.m2m_field_name())
    target_field = through._meta.get_field(forward.m2m_reverse_field_name())
    required = tuple(
        column.name for column in model_graph(through).forward_fields
        if column.name not in {source_field.name, target_field.name} and column.required and column.concrete
    )
    source, target = source_field.attname, target_field.attname
    if relation.reverse:
        source, target = target, source
    return ManyToManyLink(through=through, source_attname=source, target_attname=target, required=required)


def auto_now_fields(model: type[models.Model]) -> list[models.Field]:
    """Columns that Django refreshes on every save (``auto_now=True``); bulk updates must refresh them too."""
    return [field for field in model._meta.concrete_fields if getattr(field, "auto_now", False)]
