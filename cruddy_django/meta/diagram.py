"""The resources and their relations as a Mermaid ``erDiagram``, from the ``_meta`` descriptions.

    text = mermaid_er([user_view(describe_resource(r), r, request) for r in site.resources])
    # erDiagram
    #     Mission }o--|| Crew : crew
    #     Mission { integer id PK  string code UK  relation crew FK "staff/crews" ... }

It reads the per-user descriptions, so a field the user cannot read is never drawn. Only forward relations
between two described resources become lines (a reverse relation is the same line seen from the other end).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["CARDINALITY_MARKS", "CARDINALITY_TEXT", "Link", "attribute_keys", "attribute_type", "drawn_fields",
    "entity_names", "links", "mermaid_er"]


# (to_many, unique, nullable) of a forward relation -> Mermaid's crow's feet (source end, target end).
CARDINALITY_MARKS: dict[tuple[bool, bool, bool], tuple[str, str]] = {
    (False, False, False): ("}o", "||"),  # foreign key: many rows to exactly one target
    (False, False, True): ("}o", "o|"),  # nullable foreign key: many rows to zero or one target
    (False, True, False): ("|o", "||"),  # one-to-one
    (False, True, True): ("|o", "o|"),
    (True, False, False): ("}o", "o{"),  # many-to-many
    (True, False, True): ("}o", "o{"),
    (True, True, False): ("}o", "o{"),
    (True, True, True): ("}o", "o{"),
}
# The same ends as short text, for the SVG picture.
CARDINALITY_TEXT: dict[str, str] = {"}o": "*", "|o": "0..1", "||": "1", "o|": "0..1", "o{": "*"}


@dataclass(frozen=True)
class Link:
    """One forward relation between two described resources."""

    source: str  # model label
    field: str
    target: str
    source_end: str  # Mermaid mark
    target_end: str


def entity_names(descriptions: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Model label -> entity name: the model's name, or ``app_Model`` when two apps share it."""
    labels = [description["model"] for description in descriptions]
    counts = Counter(label.split(".")[-1] for label in labels)
    return {label: _word(label.split(".")[-1] if counts[label.split(".")[-1]] == 1 else label.replace(".", "_"))
            for label in labels}


def _word(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def drawn_fields(description: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The fields a box shows: no reverse relations, and no ``id`` alias beside a natural primary key."""
    return [field for field in description["fields"]
            if not field.get("reverse") and not (field["name"] == "id" and description["primary_key"] != "id")]


def links(descriptions: Iterable[Mapping[str, Any]]) -> list[Link]:
    descriptions = list(descriptions)
    present = {description["model"] for description in descriptions}
    found = []
    for description in descriptions:
        for field in drawn_fields(description):
            if field["type"] != "relation" or field.get("target_model") not in present or not field.get("target"):
                continue
            to_many = field["cardinality"] == "to_many"
            source_end, target_end = CARDINALITY_MARKS[(to_many, bool(field["unique"]), bool(field["nullable"]))]
            found.append(Link(description["model"], field["name"], field["target_model"], source_end, target_end))
    return found


def attribute_keys(field: Mapping[str, Any]) -> str:
    keys = []
    if field["primary_key"]:
        keys.append("PK")
    if field["type"] == "relation" and field.get("cardinality") == "to_one":
        keys.append("FK")
    if field["unique"] and not field["primary_key"]:
        keys.append("UK")
    return ", ".join(keys)


def attribute_type(field: Mapping[str, Any]) -> str:
    if field["type"] == "relation" and field.get("cardinality") == "to_many":
        return "relations"
    return _word(field["type"])


def mermaid_er(descriptions: Iterable[Mapping[str, Any]]) -> str:
    descriptions = sorted(descriptions, key=lambda description: description["model"])
    names = entity_names(descriptions)
    lines = ["erDiagram"]
    for link in links(descriptions):
        lines.append(f"    {names[link.source]} {link.source_end}--{link.target_end} {names[link.target]} : "
                     f"{_word(link.field)}")
    for description in descriptions:
        lines.append(f"    {names[description['model']]} {{")
        for field in drawn_fields(description):
            parts = [attribute_type(field), _word(field["name"])]
            keys = attribute_keys(field)
            if keys:
                parts.append(keys)
            if field["type"] == "relation":
                parts.append(f'"{field.get("target") or field.get("target_model")}"')
            lines.append("        " + " ".join(parts))
        lines.append("    }")
    return "\n".join(lines) + "\n"
