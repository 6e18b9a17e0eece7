"""The ER diagram drawn server-side as a small SVG, so the overview page needs no JavaScript and no CDN.

    svg = render_svg(descriptions)   # "<svg xmlns=... role="img">...</svg>", one box per resource

A Mermaid build is 2.5-2.7 MB of JavaScript; this draws the same picture as ``diagram.mermaid_er`` in a
few lines. Layout: resources that point at others stand left of their targets (longest-path layers over
the forward relations), each column ordered by the mean position of its neighbours; a line starts at the
relation's row and ends at the target's header, with the cardinality written at both ends.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any

from cruddy_django.meta.diagram import (
    CARDINALITY_TEXT,
    attribute_keys,
    attribute_type,
    drawn_fields,
    entity_names,
    links,
)

__all__ = ["BOX_GAP", "CHAR_WIDTH", "COLOURS", "COLUMN_GAP", "HEADER_HEIGHT", "MARGIN", "PADDING", "ROW_HEIGHT",
    "SWEEPS", "Box", "layout", "render_svg"]


CHAR_WIDTH = 7.3  # px per character of a 12px monospace font
ROW_HEIGHT = 18
HEADER_HEIGHT = 36
PADDING = 10
COLUMN_GAP = 110
BOX_GAP = 30
MARGIN = 24
SWEEPS = 4
COLOURS = {"header": "#1f4e79", "header_text": "#ffffff", "border": "#8fa3b8", "body": "#ffffff",
           "stripe": "#f1f5f9", "text": "#1e293b", "muted": "#64748b", "key": "#b45309", "line": "#475569"}


@dataclass
class Box:
    model: str
    title: str
    subtitle: str
    url: str | None
    rows: list[tuple[str, str, str]]  # name, type, keys
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = field(init=False)

    def __post_init__(self) -> None:
        longest = max([len(self.title) + 2, len(self.subtitle)] +
                      [len(name) + len(kind) + len(keys) + 4 for name, kind, keys in self.rows])
        self.width = round(longest * CHAR_WIDTH + 2 * PADDING)
        self.height = HEADER_HEIGHT + max(len(self.rows), 1) * ROW_HEIGHT + PADDING / 2

    def row_y(self, index: int) -> float:
        return self.y + HEADER_HEIGHT + index * ROW_HEIGHT + ROW_HEIGHT / 2


def _layers(models: list[str], targets: Mapping[str, set[str]]) -> dict[str, int]:
    """0 for resources that point at no other; else one more than their deepest target (cycles cut)."""
    layers: dict[str, int] = {}

    def depth(model: str, visiting: frozenset[str]) -> int:
        if model not in layers:
            deeper = [depth(target, visiting | {model}) + 1 for target in targets[model] - visiting - {model}]
            layers[model] = max(deeper, default=0)
        return layers[model]

    for model in models:
        depth(model, frozenset())
    return layers


def _mean(values: list[float], default: float) -> float:
    return sum(values) / len(values) if values else default


def _stack(columns: list[list[str]], boxes: Mapping[str, Box]) -> dict[str, float]:
    """Place the columns left to right and their boxes top to bottom; the middle height of each box."""
    middles: dict[str, float] = {}
    x: float = MARGIN
    for column in columns:
        y: float = MARGIN
        for model in column:
            box = boxes[model]
            box.x, box.y = x, y
            middles[model] = y + box.height / 2
            y += box.height + BOX_GAP
        x += max((boxes[model].width for model in column), default=0) + COLUMN_GAP
    return middles


def layout(descriptions: list[Mapping[str, Any]]) -> tuple[list[Box], float, float]:
    names = entity_names(descriptions)
    boxes = {description["model"]: Box(
        model=description["model"], title=names[description["model"]], subtitle=description["url"] or "",
        url=description["url"], rows=[(item["name"], attribute_type(item), attribute_keys(item))
                                      for item in drawn_fields(description)])
        for description in descriptions}
    targets: dict[str, set[str]] = {model: set() for model in boxes}
    neighbours: dict[str, set[str]] = {model: set() for model in boxes}
    for link in links(descriptions):
        targets[link.source].add(link.target)
        neighbours[link.source].add(link.target)
        neighbours[link.target].add(link.source)
    layers = _layers(sorted(boxes), targets)
    columns: list[list[str]] = [[] for _ in range(max(layers.values(), default=0) + 1)]
    for model in sorted(boxes):
        columns[len(columns) - 1 - layers[model]].append(model)  # pointing resources on the left
    for _ in range(SWEEPS):  # order each column by its neighbours' mean height, then stack it again
        position = _stack(columns, boxes)
        for column in columns:
            column.sort(key=lambda model: (_mean([position[other] for other in neighbours[model]
                                                   if other != model], position[model]), model))
    _stack(columns, boxes)
    width = max((box.x + box.width for box in boxes.values()), default=0) + MARGIN
    height = max((box.y + box.height for box in boxes.values()), default=0) + MARGIN
    return list(boxes.values()), width, height


def _text(x: float, y: float, content: str, **attributes: Any) -> str:
    extra = "".join(f' {key.replace("_", "-")}="{escape(str(value))}"' for key, value in attributes.items())
    return f'<text x="{x:.0f}" y="{y:.0f}"{extra}>{escape(content)}</text>'


def _box(box: Box) -> list[str]:
    parts = [f'<g class="entity" id="entity-{escape(box.title)}">',
             f'<rect x="{box.x}" y="{box.y}" width="{box.width}" height="{box.height}" rx="6" '
             f'fill="{COLOURS["body"]}" stroke="{COLOURS["border"]}"/>',
             f'<path d="M{box.x} {box.y + HEADER_HEIGHT}V{box.y + 6}q0 -6 6 -6H{box.x + box.width - 6}'
             f'q6 0 6 6V{box.y + HEADER_HEIGHT}Z" fill="{COLOURS["header"]}"/>']
    title = _text(box.x + PADDING, box.y + 16, box.title, fill=COLOURS["header_text"], font_weight="bold")
    parts.append(f'<a href="{escape(box.url)}">{title}</a>' if box.url else title)
    parts.append(_text(box.x + PADDING, box.y + 30, box.subtitle.split("/api/", 1)[-1],
                       fill=COLOURS["header_text"], font_size="10"))
    for index, (name, kind, keys) in enumerate(box.rows):
        top = box.y + HEADER_HEIGHT + index * ROW_HEIGHT
        if index % 2:
            parts.append(f'<rect x="{box.x + 1}" y="{top}" width="{box.width - 2}" height="{ROW_HEIGHT}" '
                         f'fill="{COLOURS["stripe"]}"/>')
        parts.append(_text(box.x + PADDING, top + 13, name, fill=COLOURS["text"],
                           font_weight="bold" if "PK" in keys else "normal"))
        parts.append(_text(box.x + box.width - PADDING, top + 13, f"{kind} {keys}".strip(), fill=COLOURS[
            "key" if keys else "muted"], text_anchor="end"))
    parts.append("</g>")
    return parts


def _line(source: Box, row: int, target: Box, end: tuple[int, int], source_end: str,
          target_end: str) -> list[str]:
    """A curve from the relation's row to the target's header; ``end`` = (this line's index, how many
    lines end on that header), so lines ending on one box do not share a point."""
    y1, y2 = source.row_y(row), target.y + HEADER_HEIGHT * (end[0] + 1) / (end[1] + 1)
    if target.x > source.x + source.width:  # target to the right
        x1, x2, out1, out2 = source.x + source.width, target.x, 1, -1
    elif target.x + target.width < source.x:  # to the left (a relation against the layers)
        x1, x2, out1, out2 = source.x, target.x + target.width, -1, 1
    else:  # same column, or itself: loop out on the right
        x1, x2, out1, out2 = source.x + source.width, target.x + target.width, 1, 1
    reach = max(40.0, abs(x2 - x1) / 2)
    path = (f"M{x1:.0f} {y1:.0f}C{x1 + out1 * reach:.0f} {y1:.0f} {x2 + out2 * reach:.0f} {y2:.0f} "
            f"{x2:.0f} {y2:.0f}")
    label = {"fill": COLOURS["line"], "font_size": "10"}
    return [f'<path d="{path}" fill="none" stroke="{COLOURS["line"]}" stroke-width="1.4"/>',
            f'<circle cx="{x1:.0f}" cy="{y1:.0f}" r="2.5" fill="{COLOURS["line"]}"/>',
            f'<circle cx="{x2:.0f}" cy="{y2:.0f}" r="2.5" fill="{COLOURS["line"]}"/>',
            _text(x1 + out1 * 6, y1 - 4, CARDINALITY_TEXT[source_end], text_anchor="start" if out1 > 0 else "end",
                  **label),
            _text(x2 + out2 * 6, y2 - 4, CARDINALITY_TEXT[target_end], text_anchor="start" if out2 > 0 else "end",
                  **label)]


def render_svg(descriptions: Iterable[Mapping[str, Any]]) -> str:
    descriptions = sorted(descriptions, key=lambda description: description["model"])
    boxes, width, height = layout(descriptions)
    by_model = {box.model: box for box in boxes}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="er-diagram" role="img" width="{width:.0f}" '
             f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" font-family="DejaVu Sans Mono, '
             'Menlo, Consolas, monospace" font-size="12"><title>Resources and their relations</title>']
    found = links(descriptions)
    incoming = Counter(link.target for link in found)
    seen: Counter[str] = Counter()
    for link in found:
        source = by_model[link.source]
        row = next(index for index, (name, _, _) in enumerate(source.rows) if name == link.field)
        end = (seen[link.target], incoming[link.target])
        seen[link.target] += 1
        parts += _line(source, row, by_model[link.target], end, link.source_end, link.target_end)
    for box in boxes:
        parts += _box(box)
    parts.append("</svg>")
    return "".join(parts)
