"""The picture of the arenas: a server-rendered SVG, laid out here in Python.

Left: the organisations that appoint members. Right: the arenas as a tree (a body
under the body it is part of). A line joins an organisation to each arena it
appoints to (labelled where it appoints more than one seat); each arena shows its
number of seats. The same facts are given as a
table beside the picture for those who do not see it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from councils.models import Body, Organisation

ROW = 34
BOX_H = 26
LEFT_X = 16
LEFT_W = 230
RIGHT_X = 470
RIGHT_W = 420
INDENT = 22
TOP = 40


@dataclass
class Box:
    x: int
    y: int
    width: int
    label: str
    url: str
    kind: str
    depth: int = 0
    seats: int = 0

    @property
    def seats_x(self) -> int:
        return self.x + self.width - 8

    @property
    def mid_y(self) -> int:
        return self.y + BOX_H // 2

    @property
    def text_x(self) -> int:
        return self.x + 8

    @property
    def text_y(self) -> int:
        return self.y + 17


@dataclass
class Edge:
    path: str
    label: str
    label_x: int
    label_y: int


@dataclass
class Overview:
    width: int
    height: int
    organisations: list[Box] = field(default_factory=list)
    bodies: list[Box] = field(default_factory=list)
    seat_edges: list[Edge] = field(default_factory=list)
    part_edges: list[str] = field(default_factory=list)
    box_height: int = BOX_H
    bodies_x: int = RIGHT_X


def _tree_order(bodies: Iterable[Body]) -> list[tuple[Body, int]]:
    """Depth-first order: each body followed by its parts, indented by depth."""
    by_parent: dict[int | None, list[Body]] = {}
    all_bodies = list(bodies)
    ids = {b.pk for b in all_bodies}
    for body in all_bodies:
        parent = body.parent_id if body.parent_id in ids else None
        by_parent.setdefault(parent, []).append(body)
    ordered: list[tuple[Body, int]] = []

    def visit(parent: int | None, depth: int) -> None:
        for body in sorted(by_parent.get(parent, []), key=lambda b: (b.organisation.name, b.name)):
            ordered.append((body, depth))
            visit(body.pk, depth + 1)

    visit(None, 0)
    return ordered


def build_overview(bodies: Iterable[Body]) -> Overview:
    """Lay out ``bodies`` (with ``organisation`` and ``seat_allocations__organisation``
    loaded) and the organisations appointing to them."""
    ordered = _tree_order(bodies)
    organisations: dict[int, Organisation] = {}
    for body, _depth in ordered:
        for allocation in body.seat_allocations.all():
            organisations.setdefault(allocation.organisation.pk, allocation.organisation)
    org_list = sorted(organisations.values(), key=lambda o: (o.kind != "region", o.kind, o.name))

    rows = max(len(ordered), len(org_list), 1)
    overview = Overview(width=RIGHT_X + RIGHT_W + 16, height=TOP + rows * ROW + 16)
    org_boxes: dict[int, Box] = {}
    org_top = TOP + max(0, (len(ordered) - len(org_list)) * ROW // 2)
    for index, org in enumerate(org_list):
        box = Box(
            LEFT_X, org_top + index * ROW, LEFT_W, org.label, org.get_absolute_url(), org.kind
        )
        org_boxes[org.pk] = box
        overview.organisations.append(box)

    body_boxes: dict[int, Box] = {}
    placed: list[tuple[int, int]] = []  # the seat labels so far
    for index, (body, depth) in enumerate(ordered):
        box = Box(
            RIGHT_X + depth * INDENT,
            TOP + index * ROW,
            RIGHT_W - depth * INDENT,
            body.label if len(body.name) > 48 - depth * 3 else body.name,
            body.get_absolute_url(),
            body.kind,
            depth,
            body.seat_count,
        )
        body_boxes[body.pk] = box
        overview.bodies.append(box)
        if body.parent_id in body_boxes:
            parent = body_boxes[body.parent_id]
            x = parent.x + 10
            overview.part_edges.append(f"M{x},{parent.y + BOX_H} V{box.mid_y} H{box.x}")
        for allocation in body.seat_allocations.all():
            start = org_boxes[allocation.organisation.pk]
            x1, y1 = start.x + start.width, start.mid_y
            x2, y2 = box.x, box.mid_y
            bend = (x2 - x1) // 2
            # Single seats are the rule; only larger delegations are labelled, on the
            # line, where no other label is (lines from one organisation share a start,
            # lines to one arena an end: labels there would stack).
            label = str(allocation.seats) if allocation.seats > 1 else ""
            label_x, label_y = _free_spot(placed, x1, y1, x2, y2) if label else (0, 0)
            if label:
                placed.append((label_x, label_y))
            overview.seat_edges.append(
                Edge(
                    path=f"M{x1},{y1} C{x1 + bend},{y1} {x2 - bend},{y2} {x2},{y2}",
                    label=label,
                    label_x=label_x,
                    label_y=label_y,
                )
            )
    return overview


#: A seat label's room: wide enough for two digits, as tall as a line of 12px text.
LABEL_W, LABEL_H = 18, 14
#: Where on its line a label may go (0 its start, 1 its end), tried from the middle out.
SPOTS = sorted((step / 40 for step in range(4, 37)), key=lambda t: (abs(t - 0.5), t))


def _free_spot(
    placed: list[tuple[int, int]], x1: int, y1: int, x2: int, y2: int
) -> tuple[int, int]:
    """A point on the line from (x1, y1) to (x2, y2) (the cubic curve the picture
    draws) whose label does not overlap one already placed: from the middle outwards."""
    bend = (x2 - x1) / 2
    spot = (0, 0)
    for t in SPOTS:
        u = 1 - t
        x = u**3 * x1 + 3 * u * u * t * (x1 + bend) + 3 * u * t * t * (x2 - bend) + t**3 * x2
        y = u**3 * y1 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y2
        spot = (round(x) - LABEL_W // 2, round(y) + 4)
        if all(abs(spot[0] - px) >= LABEL_W or abs(spot[1] - py) >= LABEL_H for px, py in placed):
            return spot
    return spot
