"""Lifecycle signals, sent with ``sender=<model class>`` and ``request`` from the generated viewsets.

    from cruddy_django.signals import before_create
    @receiver(before_create, sender=Rocket)
    def default_description(sender, request, data, **kwargs): data.setdefault("description", "New rocket")

``before_*`` receivers may change ``data`` or raise Django's ``ValidationError`` (400) or ``PermissionDenied``
(403). Every receiver runs inside the request's transaction: an exception in an ``after_*`` receiver rolls the
whole request back. For side effects that must wait for the commit, use ``transaction.on_commit`` (see
docs/signals.md). ``before_query`` is a pipe: each receiver may return a new queryset for the next one.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

__all__ = ["PipeSignal", "after_action", "after_create", "after_delete", "after_query", "after_set_relations",
    "after_update", "before_action", "before_create", "before_delete", "before_query", "before_set_relations",
    "before_update"]



class PipeSignal(Signal):
    """A signal whose receivers transform a value in turn, in connection order: each receiver gets the
    previous receiver's result (when it returned something other than None) as ``queryset``."""

    def pipe(self, sender: Any, value: Any, *, argument: str = "queryset", **named: Any) -> Any:
        if not self.has_listeners(sender):
            return value
        sync_receivers, _async_receivers = self._live_receivers(sender)
        for receiver in sync_receivers:
            result = receiver(signal=self, sender=sender, **{argument: value}, **named)
            if result is not None:
                value = result
        return value


# Writes, once per row (bulk writes send one signal per row, in body order).
before_create = Signal()  # request, data (the mutable dict of validated values)
after_create = Signal()  # request, instance
before_update = Signal()  # request, instance (as stored), data (the mutable dict of changes)
after_update = Signal()  # request, instance, changes
before_delete = Signal()  # request, instance
after_delete = Signal()  # request, instance
before_set_relations = Signal()  # request, instance, relation, pks (the mutable list)
after_set_relations = Signal()  # request, instance, relation, pks

# Reads.
before_query = PipeSignal()  # request, queryset, action -> a queryset (or None to keep it)
after_query = Signal()  # request, rows, action

# Around every action of a generated viewset.
before_action = Signal()  # request, view, action, context (a mutable dict shared with after_action)
after_action = Signal()  # request, view, action, context, response
