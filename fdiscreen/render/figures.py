"""Figures as reportlab Drawings, one per figure type of the document model. The PDF renderer draws
them as vectors; HTML gets SVG and DOCX gets PNG from the same drawing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors

from fdiscreen.render.document import Figure
from fdiscreen.render.fonts import FONT_NAME, japanese_font_path, register_fonts

WIDTH = 440.0
GREY = colors.HexColor("#666666")
ACCENT = colors.HexColor("#c0392b")
CALM = colors.HexColor("#2c6e9b")
TIER_FILL = [colors.HexColor("#e8f5e9"), colors.HexColor("#fff8e1"), colors.HexColor("#ffe0b2"), colors.HexColor("#ffcdd2")]


def _text(x: float, y: float, s: str, size: float = 8, anchor: str = "start", color: Any = colors.black) -> String:
    return String(x, y, s, fontName=register_fonts(), fontSize=size, textAnchor=anchor, fillColor=color)


def _fit(s: str, width: float, size: float) -> str:
    """Shorten a label to fit a width (CJK glyphs are about one em, Latin about half)."""
    budget = width / size
    out, used = "", 0.0
    for ch in s:
        w = 1.0 if ord(ch) > 0x2E80 else 0.55
        if used + w > budget:
            return out.rstrip() + "…"
        out += ch
        used += w
    return out


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


def ownership(data: dict[str, Any]) -> Drawing:
    """Layered ownership chart: the acquirer at the bottom, its owners above by depth, the target (and an
    overseas holding entity) beside it; the path that makes the acquirer foreign is drawn in red."""
    nodes: list[dict[str, Any]] = data["nodes"]
    edges: list[dict[str, Any]] = data["edges"]
    levels: dict[int, list[dict[str, Any]]] = {}
    for n in nodes:
        levels.setdefault(int(n["level"]), []).append(n)
    widest = max((len(r) for r in levels.values()), default=1)
    box_w, box_h, gap_y = min(130.0, WIDTH / widest - 10), 30.0, 30.0
    depth = max(levels) + 1 if levels else 1
    height = depth * (box_h + gap_y) + 16
    d = Drawing(WIDTH, height)
    pos: dict[str, tuple[float, float]] = {}
    for level, row in sorted(levels.items()):
        y = 8 + level * (box_h + gap_y)
        step = WIDTH / len(row)
        for k, n in enumerate(row):
            x = step * (k + 0.5) - box_w / 2
            x = max(2.0, min(WIDTH - box_w - 2, x))
            pos[n["id"]] = (x, y)
    for e in edges:
        if e["src"] not in pos or e["dst"] not in pos:
            continue
        (sx, sy), (tx, ty) = pos[e["src"]], pos[e["dst"]]
        x1, y1 = sx + box_w / 2, sy + (0 if sy > ty else box_h)
        x2, y2 = tx + box_w / 2, ty + (box_h if sy > ty else 0)
        color = ACCENT if e.get("highlight") else GREY
        width = 1.6 if e.get("highlight") else 0.7
        if sy <= ty and e["src"] != e["dst"]:
            mid = max(sx, tx) + box_w + 8
            mid = min(mid, WIDTH - 4)
            for a, b, c, e2 in ((sx + box_w, sy + box_h / 2, mid, sy + box_h / 2), (mid, sy + box_h / 2, mid, ty + box_h / 2),
                                (mid, ty + box_h / 2, tx + box_w, ty + box_h / 2)):
                d.add(Line(a, b, c, e2, strokeColor=color, strokeWidth=width, strokeDashArray=[2, 2]))
            d.add(_text(mid + 2, sy + box_h / 2 + 3, e.get("label", ""), 6, "start", color))
            continue
        d.add(Line(x1, y1, x2, y2, strokeColor=color, strokeWidth=width))
        d.add(Polygon([x2, y2, x2 - 3, y2 + 6, x2 + 3, y2 + 6], fillColor=color, strokeColor=color))
        d.add(_text((x1 + x2) / 2 + 3, (y1 + y2) / 2, e.get("label", ""), 6, "start", color))
    for n in nodes:
        x, y = pos[n["id"]]
        stroke = ACCENT if n.get("highlight") else (CALM if n.get("role") == "target" else GREY)
        fill = colors.HexColor("#fdecea") if n.get("foreign") else colors.white
        d.add(Rect(x, y, box_w, box_h, rx=3, ry=3, fillColor=fill, strokeColor=stroke, strokeWidth=1.4 if n.get("highlight") else 0.8))
        d.add(_text(x + 4, y + box_h - 11, _fit(n["label"], box_w - 8, 7), 7))
        d.add(_text(x + 4, y + 5, _fit(n.get("sub", ""), box_w - 8, 6), 6, "start", GREY))
    return d


def timeline(data: dict[str, Any]) -> Drawing:
    """Milestones on a day axis: notification, acceptance, waiting period (and its extensions), closing, reports."""
    ms: list[dict[str, Any]] = data["milestones"]
    left, right, y = 20.0, WIDTH - 20, 46.0
    lo = min(m["day"] for m in ms)
    hi = max(m["day"] for m in ms)
    span = max(1.0, hi - lo)
    d = Drawing(WIDTH, 110)
    d.add(Line(left, y, right, y, strokeColor=GREY, strokeWidth=1))
    for band in data.get("bands", []):
        x0 = left + (band["from"] - lo) / span * (right - left)
        x1 = left + (band["to"] - lo) / span * (right - left)
        d.add(Rect(x0, y - 3, max(1.0, x1 - x0), 6, fillColor=colors.HexColor(band.get("color", "#f5b7b1")), strokeColor=None))
    for i, m in enumerate(sorted(ms, key=lambda m: m["day"])):
        x = left + (m["day"] - lo) / span * (right - left)
        color = ACCENT if m.get("kind") == "closing" else CALM
        d.add(Circle(x, y, 3.5, fillColor=color, strokeColor=color))
        up = i % 2 == 0
        d.add(Line(x, y, x, y + (14 if up else -14), strokeColor=color, strokeWidth=0.5))
        d.add(_text(x, y + (18 if up else -24), _fit(m["label"], 110, 7), 7, "middle"))
        d.add(_text(x, y + (28 if up else -34), m.get("when", f"day {m['day']:g}"), 6, "middle", GREY))
    return d


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
