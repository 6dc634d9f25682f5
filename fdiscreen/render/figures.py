"""Figures as reportlab Drawings, one per figure type of the document model. The PDF renderer draws
them as vectors; HTML gets SVG and DOCX gets PNG from the same drawing."""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from grandalf.graphs import Edge, Graph, Vertex
from grandalf.layouts import SugiyamaLayout, VertexViewer
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from fdiscreen.render.document import Figure
from fdiscreen.render.linebreak import CANNOT_END, CANNOT_START
from fdiscreen.render.fonts import FONT_NAME, japanese_font_path, register_fonts

WIDTH = 440.0
GREY = colors.HexColor("#666666")
ACCENT = colors.HexColor("#c0392b")
CALM = colors.HexColor("#2c6e9b")
TIER_FILL = [colors.HexColor("#e8f5e9"), colors.HexColor("#fff8e1"), colors.HexColor("#ffe0b2"), colors.HexColor("#ffcdd2")]


def _text(x: float, y: float, s: str, size: float = 8, anchor: str = "start", color: Any = colors.black) -> String:
    return String(x, y, s, fontName=register_fonts(), fontSize=size, textAnchor=anchor, fillColor=color)


def _fit(s: str, width: float, size: float) -> str:
    """Shorten a label to fit a width in the chart's font, ending it with an ellipsis."""
    return _ellipsis(s, width, size)


def _tier_region(cut: float, left: float, bottom: float, size: float, steps: int = 24) -> list[float]:
    """The points (flattened) of the region x * y >= cut^2 inside the 0-100 square."""
    x0 = cut * cut / 100
    xs = [x0 + (100 - x0) * k / steps for k in range(steps + 1)]
    pts = [(x, cut * cut / x) for x in xs] + [(100.0, 100.0)]
    return [v for x, y in pts for v in (left + x * size / 100, bottom + y * size / 100)]


def risk_matrix(data: dict[str, Any]) -> Drawing:
    """Two risk measures against each other (x, y: 0-100), shaded by tier where the overall score is
    sqrt(x * y) (``tiers``: the cut points); gross point, residual point, arrow."""
    size, left, bottom = 200.0, 60.0, 34.0
    d = Drawing(WIDTH, size + bottom + 20)
    d.add(Rect(left, bottom, size, size, fillColor=TIER_FILL[0], strokeColor=None))
    for i, cut in enumerate(data.get("tiers") or [30, 45, 60]):
        d.add(Polygon(_tier_region(float(cut), left, bottom, size), fillColor=TIER_FILL[min(i + 1, 3)], strokeColor=None))
    d.add(Rect(left, bottom, size, size, fillColor=None, strokeColor=GREY, strokeWidth=0.6))
    for t in (0, 25, 50, 75, 100):
        d.add(_text(left + t * size / 100, bottom - 10, str(t), 6, "middle", GREY))
        d.add(_text(left - 4, bottom + t * size / 100 - 2, str(t), 6, "end", GREY))
    d.add(_text(left + size / 2, bottom - 22, data.get("x_label", "x"), 8, "middle"))
    d.add(_text(left - 30, bottom + size + 8, data.get("y_label", "y"), 8, "start"))
    g, r = data["gross"], data["residual"]
    gx, gy = left + g["x"] * size / 100, bottom + g["y"] * size / 100
    rx, ry = left + r["x"] * size / 100, bottom + r["y"] * size / 100
    if (gx, gy) != (rx, ry):
        d.add(Line(gx, gy, rx, ry, strokeColor=CALM, strokeWidth=1, strokeDashArray=[3, 2]))
        d.add(Circle(rx, ry, 5, fillColor=colors.white, strokeColor=CALM, strokeWidth=1.5))
    d.add(Circle(gx, gy, 5, fillColor=ACCENT, strokeColor=ACCENT))
    lx = left + size + 24
    d.add(Circle(lx, bottom + size - 10, 4, fillColor=ACCENT, strokeColor=ACCENT))
    d.add(_text(lx + 10, bottom + size - 13, f"{data.get('gross_label', 'gross')} ({g['x']:g}, {g['y']:g})", 8))
    d.add(Circle(lx, bottom + size - 28, 4, fillColor=colors.white, strokeColor=CALM, strokeWidth=1.5))
    d.add(_text(lx + 10, bottom + size - 31, f"{data.get('residual_label', 'residual')} ({r['x']:g}, {r['y']:g})", 8))
    return d


#: the ownership chart's type sizes and widest boxes, tried in turn until the chart fits the text width and
#: MAX_CHART_HEIGHT (the last pair is the floor; beyond it the whole chart is scaled down)
CHART_STEPS: tuple[tuple[float, float], ...] = ((7.0, 130.0), (7.0, 110.0), (6.5, 100.0), (6.0, 90.0), (6.0, 76.0),
                                                (5.5, 70.0), (5.0, 64.0), (5.0, 56.0))
MAX_CHART_HEIGHT = 640.0
LEGEND_HEIGHT = 12.0
LABEL_LINES = 3  # the most lines a name takes in its box; beyond them it ends in an ellipsis
PAD = 4.0
MIN_BOX_W = 44.0
_TOKEN = re.compile(r"[\u2e80-\uffff]\s*|[^\s\u2e80-\uffff]+\s*|\s+")


def _width(s: str, size: float) -> float:
    return float(stringWidth(s.strip(), register_fonts(), size))


def _ellipsis(s: str, width: float, size: float) -> str:
    """The longest start of ``s`` that fits ``width`` with an ellipsis after it (``s`` itself if it fits)."""
    if _width(s, size) <= width:
        return s
    lo, hi = 0, len(s)
    while lo < hi:  # the longest prefix whose text plus "…" fits
        mid = (lo + hi + 1) // 2
        if _width(s[:mid].rstrip() + "…", size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return s[:lo].rstrip() + "…"


def _head(s: str, room: float, size: float) -> str:
    """The shortest start of ``s`` wider than ``room`` (all of it if it is not): enough to fill the lines a
    label may take and overflow them, however long the name."""
    total = 0.0
    for i, ch in enumerate(s):
        total += stringWidth(ch, register_fonts(), size)
        if total > room:
            return s[: i + 1]
    return s


def _tokens(s: str, width: float, size: float) -> list[str]:
    """Break opportunities: a Latin word with its trailing spaces, or one CJK character; a word wider than
    the line is cut into pieces that fit."""
    out: list[str] = []
    for tok in _TOKEN.findall(s):
        while _width(tok, size) > width and len(tok.strip()) > 1:
            cut = max(1, len(_ellipsis(tok, width, size).rstrip("…")))
            out.append(tok[:cut])
            tok = tok[cut:]
        out.append(tok)
    return out


def wrap_label(s: str, width: float, size: float, max_lines: int = LABEL_LINES) -> list[str]:
    """Lines of ``s`` that fit ``width`` in the chart's font: Latin text breaks between words, Japanese
    between characters (no line starts with 、。）」 and the like, none ends with （「). The lines are
    slices of ``s`` (joined they give ``s`` back) unless ``s`` needs more than ``max_lines``: then the last
    line ends in an ellipsis."""
    lines: list[str] = []
    cur = ""
    for tok in _tokens(_head(s, width * (max_lines + 1), size), width, size):
        if not cur or _width(cur + tok, size) <= width or tok.strip()[:1] in CANNOT_START or not tok.strip():
            cur += tok
            continue
        carry = ""
        if cur.rstrip()[-1:] in CANNOT_END and len(cur.rstrip()) > 1:  # an opening bracket moves down with its text
            cur, carry = cur.rstrip()[:-1], cur.rstrip()[-1]
        lines.append(cur)
        cur = carry + tok
    if cur or not lines:
        lines.append(cur)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [_ellipsis("".join(lines[max_lines - 1:]), width, size)]
    return lines


@dataclass
class ChartBox:
    """One entity's box, in the chart's own units (x, y: lower left)."""

    id: str
    x: float
    y: float
    w: float
    h: float
    lines: list[str]
    sub: str
    size: float
    node: dict[str, Any]

    def overlaps(self, o: ChartBox) -> bool:
        return self.x < o.x + o.w and o.x < self.x + self.w and self.y < o.y + o.h and o.y < self.y + self.h


@dataclass
class ChartEdge:
    """One stake drawn from its holder (first point) to the held entity (last point, where the arrowhead is),
    with its label's centre and size."""

    src: str
    dst: str
    points: list[tuple[float, float]]
    label: str
    label_xy: tuple[float, float]
    label_wh: tuple[float, float]
    highlight: bool
    dashed: bool


@dataclass
class OwnershipLayout:
    """Where the ownership chart puts everything, in its own units; the drawing scales them by ``scale``
    and shifts them right by ``offset`` to centre the chart in the text width."""

    width: float
    height: float
    size: float
    boxes: dict[str, ChartBox] = field(default_factory=dict)
    edges: list[ChartEdge] = field(default_factory=list)
    scale: float = 1.0
    offset: float = 0.0


class _Path:
    """grandalf's edge view: receives the route (centres of the end boxes and of the dummy vertices)."""

    points: list[tuple[float, float]] = []

    def setpath(self, pts: list[tuple[float, float]]) -> None:
        self.points = [(float(x), float(y)) for x, y in pts]


def _box(n: dict[str, Any], size: float, max_w: float) -> ChartBox:
    lines = wrap_label(str(n.get("label", "")), max_w - 2 * PAD, size)
    sub = _ellipsis(str(n.get("sub", "")), max_w - 2 * PAD, size - 1)
    w = max([_width(x, size) for x in lines] + [_width(sub, size - 1)]) + 2 * PAD
    h = 2 * PAD + len(lines) * size * 1.2 + (size + 1)
    return ChartBox(str(n["id"]), 0.0, 0.0, max(MIN_BOX_W, w), h, lines, sub, size, n)  # a kinsoku carry may pass max_w


def feedback_edges(pairs: list[tuple[str, str]], first: str) -> set[tuple[str, str]]:
    """Edges (holder, held) to reverse so the chart has no cycle (cross-holdings): the back edges of a
    depth-first walk from ``first`` (the target) up through the holders, then from every entity not yet
    reached. Each entity keeps the path it was reached by, so the target stays below all its holders."""
    holders: dict[str, list[str]] = {}
    for a, b in pairs:
        holders.setdefault(b, []).append(a)
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()
    for root in [first, *holders, *(a for a, _ in pairs)]:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(holders.get(root, [])))]
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                back.add((nxt, node))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(holders.get(nxt, []))))
    return back


def _ports(boxes: dict[str, ChartBox], routes: list[list[tuple[float, float]]], ends: list[tuple[str, str]]) -> None:
    """Move each route's first and last point from a box's centre to its top or bottom side, spreading the
    routes that meet one side along it (ordered by where they come from, so they do not cross)."""
    sides: dict[tuple[str, str], list[tuple[float, int, int]]] = {}
    for i, ((src, dst), pts) in enumerate(zip(ends, routes)):
        for end, box_id, nb in ((0, src, pts[1]), (-1, dst, pts[-2])):
            b = boxes[box_id]
            side = "bottom" if nb[1] < b.y + b.h / 2 else "top"  # the route leaves or arrives below or above
            sides.setdefault((box_id, side), []).append((nb[0], i, end))
    for (box_id, side), items in sides.items():
        b = boxes[box_id]
        items.sort()
        for k, (_, i, end) in enumerate(items):
            x = b.x + b.w * (0.5 if len(items) == 1 else 0.2 + 0.6 * k / (len(items) - 1))
            routes[i][end] = (x, b.y if side == "bottom" else b.y + b.h)


def _along(pts: list[tuple[float, float]], y: float) -> float | None:
    """The x where the route crosses height ``y``."""
    for (x1, y1), (x2, y2) in zip(pts, pts[1:]):
        if min(y1, y2) <= y <= max(y1, y2) and y1 != y2:
            return x1 + (x2 - x1) * (y - y1) / (y2 - y1)
    return None


def _place_labels(lay: OwnershipLayout, gaps: list[tuple[float, float]], size: float) -> None:
    """Put each edge's label in a gap between layers (never on a box), nearest the held entity first,
    moving it along its route when it would cover another label."""
    placed: list[tuple[float, float, float, float]] = []
    for e in lay.edges:
        w, h = _width(e.label, size) + 3, size + 2
        ys = sorted({y for _, y in e.points})
        crossed = [g for g in gaps if min(ys) - 0.01 <= g[0] and g[1] <= max(ys) + 0.01]
        crossed.sort(key=lambda g: abs((g[0] + g[1]) / 2 - e.points[-1][1]))
        best: tuple[float, float] | None = None
        for lo, hi in crossed or [(min(ys), max(ys))]:
            mid, room = (lo + hi) / 2, max(0.0, (hi - lo - h) / 2)
            for y in (mid, mid + room, mid - room, mid + room / 2, mid - room / 2):
                x = _along(e.points, y)
                if x is None:
                    continue
                rect = (x - w / 2, y - h / 2, w, h)
                best = best or (x, y)
                if not any(_rects_meet(rect, r) for r in placed) and not any(_rects_meet(rect, (b.x, b.y, b.w, b.h)) for b in lay.boxes.values()):
                    best = (x, y)
                    break
            else:
                continue
            break
        e.label_xy, e.label_wh = best or e.points[-1], (w, h)
        placed.append((e.label_xy[0] - w / 2, e.label_xy[1] - h / 2, w, h))


def _rects_meet(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


class _Edge(Edge):  # type: ignore[misc]
    """grandalf's Edge hashed by its number rather than its address: grandalf keeps a component's edges in a
    set, and a set of address-hashed objects iterates in a different order from one run to the next, which
    would move boxes between runs of the same memo."""

    def __hash__(self) -> int:
        return int(self.data)


class _Vertex(Vertex):  # type: ignore[misc]
    """grandalf's Vertex hashed by its id's checksum (stable across runs, unlike an address or str hash)."""

    def __hash__(self) -> int:
        return zlib.crc32(str(self.data).encode())


def _box_widths(nodes: list[dict[str, Any]], size: float, max_w: float, width: float) -> dict[str, float]:
    """The widest box each node may take: on a level with few boxes, more than ``max_w`` (up to the widest
    box at this type size), so a short row keeps its names on fewer lines."""
    per_level: dict[object, int] = {}
    for n in nodes:
        per_level[n.get("level")] = per_level.get(n.get("level"), 0) + 1
    widest = CHART_STEPS[0][1] * size / CHART_STEPS[0][0]
    gap = 10.0 * size / 7
    return {str(n["id"]): max(max_w, min(widest, (width - 4 - gap * (per_level[n.get("level")] - 1)) / per_level[n.get("level")]))
            for n in nodes}


def _layout_at(data: dict[str, Any], size: float, max_w: float, width: float | None = None) -> OwnershipLayout:
    """Lay the chart out at one type size with grandalf's layered (Sugiyama) layout: holders above what
    they hold, each connected part laid out alone and the parts placed side by side, bottoms aligned.
    Boxes are at most ``max_w`` wide, or wider on a short level when ``width`` (the room) is given."""

    room = _box_widths(data["nodes"], size, max_w, width) if width else {}
    boxes = {str(n["id"]): _box(n, size, room.get(str(n["id"]), max_w)) for n in data["nodes"]}
    raw = [e for e in data["edges"] if e["src"] in boxes and e["dst"] in boxes and e["src"] != e["dst"]]
    pairs = list(dict.fromkeys((str(e["src"]), str(e["dst"])) for e in raw))
    verts = {k: _Vertex(k) for k in boxes}
    for k, v in verts.items():
        v.view = VertexViewer(w=boxes[k].w, h=boxes[k].h)
    gedges = {p: _Edge(verts[p[0]], verts[p[1]], data=k) for k, p in enumerate(pairs)}
    for ge in gedges.values():
        ge.view = _Path()
    target = next((k for k, b in boxes.items() if b.node.get("role") == "target"), next(iter(boxes), ""))
    back = feedback_edges(pairs, target)
    gap_x, gap_y = 10.0 * size / 7, max(22.0, 3.4 * size)
    graph = Graph(list(verts.values()), list(gedges.values()))
    parts = sorted(graph.C, key=lambda c: target not in {v.data for v in c.sV})
    placed: list[tuple[float, float, list[Any], list[tuple[float, float]]]] = []
    for part in parts:
        sug = SugiyamaLayout(part)
        sug.xspace, sug.yspace, sug.dw, sug.dh = gap_x, gap_y, 6.0, 4.0
        sug.init_all(inverted_edges=[ge for ge in part.sE if (ge.v[0].data, ge.v[1].data) in back], optimize=True)
        sug.draw()
        bands = [(min(v.view.xy[1] - v.view.h / 2 for v in layer), max(v.view.xy[1] + v.view.h / 2 for v in layer)) for layer in sug.layers]
        placed.append((min(v.view.xy[0] - v.view.w / 2 for layer in sug.layers for v in layer),
                       max(v.view.xy[0] + v.view.w / 2 for layer in sug.layers for v in layer), list(part.sV), bands))
    height = max((b[-1][1] for *_, b in placed), default=0.0) + 4
    lay = OwnershipLayout(width=0.0, height=height + 4, size=size)
    gaps: set[tuple[float, float]] = set()
    x0 = 2.0
    for lo, hi, vs, bands in placed:
        dx, dy = x0 - lo, height - bands[-1][1]  # grandalf's y grows downwards: flip it, bottoms aligned

        def at(p: tuple[float, float], dx: float = dx, dy: float = dy) -> tuple[float, float]:
            return (p[0] + dx, lay.height - (p[1] + dy))

        for v in vs:
            b = boxes[v.data]
            cx, cy = at(v.view.xy)
            b.x, b.y = cx - b.w / 2, cy - b.h / 2
            lay.boxes[b.id] = b
        for (t1, b1), (t2, _) in zip(bands, bands[1:]):
            gaps.add((lay.height - (t2 + dy), lay.height - (b1 + dy)))
        for p, ge in gedges.items():
            if ge.v[0] in vs:
                ge.view.points = [at(q) for q in ge.view.points]
        x0 += hi - lo + 3 * gap_x
    lay.width = x0 - 3 * gap_x + 2
    routes = [list(gedges[(str(e["src"]), str(e["dst"]))].view.points) for e in raw]
    ends = [(str(e["src"]), str(e["dst"])) for e in raw]
    _ports(lay.boxes, routes, ends)
    lay.edges = [ChartEdge(s, d, r, str(e.get("label", "")), (0.0, 0.0), (0.0, 0.0), bool(e.get("highlight")), e.get("style") == "dashed")
                 for (s, d), r, e in zip(ends, routes, raw)]
    _place_labels(lay, sorted(gaps), size - 1)
    return lay


def layout_ownership(data: dict[str, Any], width: float = WIDTH, max_height: float = MAX_CHART_HEIGHT) -> OwnershipLayout:
    """The ownership chart's layout at the largest type (CHART_STEPS) that fits ``width`` and ``max_height``;
    a chart that does not fit even at the floor is scaled down as a whole."""
    lay = None
    for (size, max_w), room in ((step, room) for step in CHART_STEPS for room in (width, None)):
        lay = _layout_at(data, size, max_w, room)
        if lay.width <= width and lay.height <= max_height:
            break
    assert lay is not None
    lay.scale = min(1.0, width / max(lay.width, 1.0), max_height / max(lay.height, 1.0))
    lay.offset = (width - lay.width * lay.scale) / 2
    return lay


def _dashes(x1: float, y1: float, x2: float, y2: float, on: float = 3.0, off: float = 2.0) -> list[tuple[float, float, float, float]]:
    """A dashed line as its dashes (renderSVG closes each line's path, which fills a dash pattern's gaps)."""
    length = math.hypot(x2 - x1, y2 - y1)
    if length == 0:
        return []
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    out, t = [], 0.0
    while t < length:
        e = min(t + on, length)
        out.append((x1 + ux * t, y1 + uy * t, x1 + ux * e, y1 + uy * e))
        t = e + off
    return out


def _arrowhead(pts: list[tuple[float, float]], size: float) -> list[float]:
    """A filled triangle whose tip is the route's last point, pointing along its last segment."""
    (x1, y1), (x2, y2) = pts[-2], pts[-1]
    length = max(math.hypot(x2 - x1, y2 - y1), 1e-6)
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    back, half = size, size * 0.45
    return [x2, y2, x2 - ux * back - uy * half, y2 - uy * back + ux * half, x2 - ux * back + uy * half, y2 - uy * back - ux * half]


def ownership(data: dict[str, Any]) -> Drawing:
    """Layered ownership chart (layout_ownership): every stake an arrow from holder to held with its
    percentage, the ultimate owners at the top and the target at the bottom; the path that makes the
    acquirer foreign is drawn in red, a tie that is not a stake (a nominee's principal, a fund's executing
    partner) dashed, with a line under the chart saying so (``legend``)."""
    lay = layout_ownership(data)
    legend = str(data.get("legend") or "")
    foot = LEGEND_HEIGHT if legend else 0.0  # a line under the chart saying what a dashed arrow is
    d = Drawing(WIDTH, lay.height * lay.scale + foot)
    if legend:
        for a, b, c, f in _dashes(4, 5, 22, 5):
            d.add(Line(a, b, c, f, strokeColor=GREY, strokeWidth=0.7))
        d.add(_text(26, 3, _fit(legend, WIDTH - 30, 6), 6, "start", GREY))
    g = Group(transform=(lay.scale, 0, 0, lay.scale, lay.offset, foot))
    for e in lay.edges:
        color = ACCENT if e.highlight else GREY
        width = 1.4 if e.highlight else 0.7
        tip = _arrowhead(e.points, 5.0)
        pts = [*e.points[:-1], ((tip[2] + tip[4]) / 2, (tip[3] + tip[5]) / 2)]  # the line stops at the arrowhead's base
        for (x1, y1), (x2, y2) in zip(pts, pts[1:]):  # segments, not a PolyLine: renderSVG would fill the polygon
            for a, b, c, f in _dashes(x1, y1, x2, y2) if e.dashed else [(x1, y1, x2, y2)]:
                g.add(Line(a, b, c, f, strokeColor=color, strokeWidth=width))
        g.add(Polygon(tip, fillColor=color, strokeColor=color, strokeWidth=0.3))
    for e in lay.edges:
        (x, y), (w, h) = e.label_xy, e.label_wh
        g.add(Rect(x - w / 2, y - h / 2, w, h, fillColor=colors.white, strokeColor=None))
        g.add(_text(x, y - (lay.size - 1) * 0.35, e.label, lay.size - 1, "middle", ACCENT if e.highlight else GREY))
    for b in lay.boxes.values():
        n = b.node
        stroke = ACCENT if n.get("highlight") else (CALM if n.get("role") == "target" else GREY)
        fill = colors.HexColor("#fdecea") if n.get("foreign") else colors.HexColor("#eaf2f8") if n.get("role") == "target" else colors.white
        g.add(Rect(b.x, b.y, b.w, b.h, rx=3, ry=3, fillColor=fill, strokeColor=stroke, strokeWidth=1.4 if n.get("highlight") else 0.8))
        top = b.y + b.h - PAD - b.size * 0.85
        for k, line in enumerate(b.lines):
            g.add(_text(b.x + b.w / 2, top - k * b.size * 1.2, line.strip(), b.size, "middle"))
        g.add(_text(b.x + b.w / 2, b.y + PAD, b.sub, b.size - 1, "middle", GREY))
    d.add(g)
    return d


TIMELINE_TIER = 22.0  # the height of one row of milestone labels


def _timeline_tiers(spans: list[tuple[bool, float, float]]) -> list[int]:
    """For each milestone label (above the axis or below it, its left and right ends) the row it takes:
    the nearest to the axis where it meets no label already placed on that side."""
    taken: dict[tuple[bool, int], list[tuple[float, float]]] = {}
    out: list[int] = []
    for up, a, b in spans:
        k = 0
        while any(a < y and x < b for x, y in taken.get((up, k), [])):
            k += 1
        taken.setdefault((up, k), []).append((a, b))
        out.append(k)
    return out


def timeline(data: dict[str, Any]) -> Drawing:
    """Milestones on a day axis: notification, acceptance, waiting period (and its extensions), closing,
    reports; labels alternate above and below the axis and move out a row where they would meet."""
    ms = sorted(data["milestones"], key=lambda m: m["day"])
    left, right = 20.0, WIDTH - 20
    lo = min(m["day"] for m in ms)
    span = max(1.0, max(m["day"] for m in ms) - lo)
    xs = [left + (m["day"] - lo) / span * (right - left) for m in ms]
    texts = [(_fit(m["label"], 110, 7), str(m.get("when", ""))) for m in ms]
    spans = []
    for i, (x, (label, when)) in enumerate(zip(xs, texts)):
        half = max(_width(label, 7), _width(when, 6)) / 2 + 3
        c = min(max(x, half), WIDTH - half)
        spans.append((i % 2 == 0, c - half, c + half))
    tiers = _timeline_tiers(spans)
    below = max([k for (up, _, _), k in zip(spans, tiers) if not up], default=0)
    above = max([k for (up, _, _), k in zip(spans, tiers) if up], default=0)
    y = 46.0 + below * TIMELINE_TIER
    d = Drawing(WIDTH, 110 + (below + above) * TIMELINE_TIER)
    d.add(Line(left, y, right, y, strokeColor=GREY, strokeWidth=1))
    for band in data.get("bands", []):
        x0 = left + (band["from"] - lo) / span * (right - left)
        x1 = left + (band["to"] - lo) / span * (right - left)
        d.add(Rect(x0, y - 3, max(1.0, x1 - x0), 6, fillColor=colors.HexColor(band.get("color", "#f5b7b1")), strokeColor=None))
    for m, x, (label, when), (up, _, _), k in zip(ms, xs, texts, spans, tiers):
        color = ACCENT if m.get("kind") == "closing" else CALM
        sign, lift = (1 if up else -1), k * TIMELINE_TIER
        d.add(Circle(x, y, 3.5, fillColor=color, strokeColor=color))
        d.add(Line(x, y, x, y + sign * (14 + lift), strokeColor=color, strokeWidth=0.5))
        d.add(_text(_inside(x, label, 7), y + (18 + lift if up else -24 - lift), label, 7, "middle"))
        d.add(_text(_inside(x, when, 6), y + (28 + lift if up else -34 - lift), when, 6, "middle", GREY))
    return d


def _inside(x: float, s: str, size: float) -> float:
    """The centre nearest ``x`` at which ``s`` stays inside the drawing's width."""
    half = _width(s, size) / 2 + 2
    return min(max(x, half), WIDTH - half)


DRAWERS: dict[str, Callable[[dict[str, Any]], Drawing]] = {"risk_matrix": risk_matrix, "ownership": ownership, "timeline": timeline}


def drawing(fig: Figure) -> Drawing:
    return DRAWERS[fig.figure](fig.data)


def svg(fig: Figure) -> str:
    from reportlab.graphics import renderSVG

    text = renderSVG.drawToString(drawing(fig))
    return text[text.index("<svg"):] if "<svg" in text else text


def png(fig: Figure, zoom: float = 2.0) -> bytes:
    """Rasterise the figure's SVG with resvg (a wheel with no system libraries), using the bundled font."""
    import resvg_py

    data: bytes | list[int] = resvg_py.svg_to_bytes(svg_string=svg(fig), zoom=zoom, background="#ffffff", skip_system_fonts=True,
                                                    font_files=[str(japanese_font_path())], font_family=FONT_NAME,
                                                    sans_serif_family=FONT_NAME)
    return bytes(data)
