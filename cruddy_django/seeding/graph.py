"""Seeding order: a topological sort of the models by their foreign keys, breaking cycles where a key is
nullable (that key is filled once every row exists).

    from cruddy_django.seeding.graph import Dependency, dependency_order
    order, deferred = dependency_order(["Crew", "Astronaut"], [Dependency("Crew", "Astronaut", "lead", True)])
    order  # -> ["Astronaut", "Crew"]; deferred -> [] (no cycle to break)

Nodes are anything hashable (models in practice, strings in tests). The sort is stable: among the models
that are ready, the one named first goes first, so the same request always seeds in the same order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from cruddy_django.seeding.errors import SeedingError

__all__ = ["Dependency", "dependency_order"]


NodeT = TypeVar("NodeT", bound=Hashable)


@dataclass(frozen=True)
class Dependency(Generic[NodeT]):
    """``dependent`` needs rows of ``target`` (through ``field``). A ``breakable`` dependency (a nullable
    key, a many-to-many, a factory's wish) may be satisfied after the fact when it closes a cycle."""

    dependent: NodeT
    target: NodeT
    field: str | None = None
    breakable: bool = False

    def __str__(self) -> str:
        via = f".{self.field}" if self.field else ""
        return f"{_name(self.dependent)}{via} -> {_name(self.target)}"


def _name(node: Hashable) -> str:
    return getattr(node, "__name__", str(node))


def _reaches(start: NodeT, goal: NodeT, edges: list[Dependency[NodeT]]) -> bool:
    """Does ``start`` depend, directly or not, on ``goal``?"""
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(edge.target for edge in edges if edge.dependent == node)
    return False


def dependency_order(
    nodes: Sequence[NodeT], dependencies: Iterable[Dependency[NodeT]]
) -> tuple[list[NodeT], list[Dependency[NodeT]]]:
    """``(order, deferred)``: every node after the ones it depends on, and the dependencies dropped to
    break cycles (self-references included). Raises ``SeedingError`` for a cycle with no breakable link."""
    node_set = set(nodes)
    edges = [edge for edge in dependencies if edge.dependent in node_set and edge.target in node_set]
    deferred = [edge for edge in edges if edge.dependent == edge.target]
    for edge in deferred:
        if not edge.breakable:
            raise SeedingError(f"{edge} is a required key to the model itself, so no first row can be made.")
    edges = [edge for edge in edges if edge.dependent != edge.target]

    order: list[NodeT] = []
    remaining = list(nodes)
    while remaining:
        ready = [node for node in remaining
                 if not any(edge.dependent == node and edge.target in remaining for edge in edges)]
        if ready:
            order.append(ready[0])
            remaining.remove(ready[0])
            continue
        live = [edge for edge in edges if edge.dependent in remaining and edge.target in remaining]
        # Cut the first breakable link that lies on a cycle (its target leads back to its dependent).
        on_cycle = (edge for edge in live if edge.breakable and _reaches(edge.target, edge.dependent, live))
        cut = next(on_cycle, None)
        if cut is None:
            cycle = " ; ".join(str(edge) for edge in live)
            raise SeedingError(
                f"These models depend on each other through required keys, so none can be seeded first: "
                f"{cycle}. Make one of the keys nullable."
            )
        edges.remove(cut)
        deferred.append(cut)
    return order, deferred
