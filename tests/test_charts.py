"""Issue 18, the ownership chart: laid out by grandalf's layered layout (holders above what they hold, the
target at the bottom), every stake an arrow from holder to held with its percentage, an indirect acquisition
drawn acquirer -> overseas holding entity -> target, names wrapped whole into their boxes, every label in
the memo's language, the drawing within the memo's text width."""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Any

import pytest
from reportlab.graphics.shapes import Drawing, Group, Polygon, String

from conftest import ROOT
from fdiscreen.i18n import Lang
from fdiscreen.load import load_deal
from fdiscreen.render import figures
from fdiscreen.render.linebreak import CANNOT_START
from fdiscreen.render.charts import CHART_BOXES_PER_LEVEL, CHART_TEXT, KIND_TEXT, charted_entities, ownership_data, timeline_data
from fdiscreen.render.document import Figure
from fdiscreen.screening import Screening, screen

EXAMPLES = ["indirect-overseas-parent", "jp-company-lookthrough", "closely-related-parent-stake", "nominee-for-non-resident",
            "bids/bid-a-pe-take-private", "bids/bid-b-strategic-intel-duty", "bids/bid-c-european-minority",
            "us-fund-5pct-core-board-seat", "loan-above-thresholds", "consent-director-appointment"]
LANGS: list[Lang] = ["en", "ja"]


@lru_cache(maxsize=None)
def screening(name: str) -> Screening:
    return screen(load_deal(ROOT / "examples" / f"{name}.yaml"))


def with_input(s: Screening, edit: Any) -> Screening:
    inp = copy.deepcopy(s.input)
    edit(inp)
    return s.model_copy(update={"input": inp})


def strings(shape: Any) -> list[str]:
    """Every text a drawing shows."""
    if isinstance(shape, String):
        return [shape.text]
    if isinstance(shape, (Drawing, Group)):
        return [t for c in shape.contents for t in strings(c)]
    return []


def polygons(shape: Any) -> list[Polygon]:
    if isinstance(shape, Polygon):
        return [shape]
    if isinstance(shape, (Drawing, Group)):
        return [p for c in shape.contents for p in polygons(c)]
    return []


def on_side(box: figures.ChartBox, p: tuple[float, float]) -> bool:
    """Is the point on the box's top or bottom side?"""
    return box.x - 0.01 <= p[0] <= box.x + box.w + 0.01 and min(abs(p[1] - box.y), abs(p[1] - box.y - box.h)) < 0.01


def test_indirect_acquisition_is_a_chain_acquirer_holding_entity_target() -> None:
    """Indirect acquisition (間接取得, model.IndirectAcquisition): the acquirer buys 100% of an overseas entity
    that holds 35% of the Japanese target; the chart is one chain, each arrow ending at the held entity."""
    data = ownership_data(screening("indirect-overseas-parent"), "en")
    edges = {(e["src"], e["dst"]): e["label"] for e in data["edges"]}  # type: ignore[union-attr]
    assert edges == {("orion", "helvetia"): "100%", ("helvetia", "__target__"): "35%"}
    assert all(e["style"] == "solid" and e["highlight"] for e in data["edges"])  # type: ignore[union-attr]
    lay = figures.layout_ownership(data)
    b = lay.boxes
    assert b["orion"].y > b["helvetia"].y + b["helvetia"].h and b["helvetia"].y > b["__target__"].y + b["__target__"].h
    assert b["helvetia"].sub == "CH · holding entity" and b["__target__"].sub == "JP · target"
    tips = {(round(p.points[0], 3), round(p.points[1], 3)) for p in polygons(figures.ownership(data))}
    for e in lay.edges:
        assert on_side(b[e.src], e.points[0]) and on_side(b[e.dst], e.points[-1])
        assert e.points[-1][1] == pytest.approx(b[e.dst].y + b[e.dst].h)  # arrives on the held box's top
        assert (round(e.points[-1][0], 3), round(e.points[-1][1], 3)) in tips  # an arrowhead at the held end


def test_direct_acquisition_closely_related_holder_and_nominee() -> None:
    """A direct acquisition: acquirer -> target with the stake after; a closely related person's own holding
    of the target (密接関係者, Cabinet Order Art. 2) is an arrow to the target; a nominee's principal (名義に
    よらない取得, FEFTA Art. 27(14)) is a dashed, highlighted arrow to the acquirer; a fund's executing
    partner a dashed arrow to the fund."""
    rel = {(e["src"], e["dst"]): e["label"] for e in ownership_data(screening("closely-related-parent-stake"), "en")["edges"]}  # type: ignore[union-attr]
    assert rel == {("cascade_holdings", "cascade_analytics"): "60%", ("cascade_analytics", "__target__"): "0.6%",
                   ("cascade_holdings", "__target__"): "0.5%"}
    nom = ownership_data(screening("nominee-for-non-resident"), "ja")
    (dashed,) = [e for e in nom["edges"] if e["style"] == "dashed"]  # type: ignore[union-attr]
    assert (dashed["src"], dashed["dst"], dashed["label"], dashed["highlight"]) == ("principal", "kanto", "名義人（契約）", True)
    assert nom["legend"] == CHART_TEXT["dashed"].ja and str(nom["legend"]) in strings(figures.ownership(nom))
    bid_b = {(e["src"], e["dst"]): e["label"] for e in ownership_data(screening("bids/bid-b-strategic-intel-duty"), "en")["edges"]}  # type: ignore[union-attr]
    assert bid_b == {("dragonfly", "__target__"): "60%"}
    bid_a = {(e["src"], e["dst"]): (e["label"], e["style"]) for e in ownership_data(screening("bids/bid-a-pe-take-private"), "ja")["edges"]}  # type: ignore[union-attr]
    assert bid_a == {("harbour_fund", "harbour_bidco"): ("100%", "solid"), ("harbour_bidco", "__target__"): ("100%", "solid"),
                     ("harbour_gp", "harbour_fund"): ("業務執行組合員", "dashed")}  # the GP (FEFTA Art. 26(1)(iv)): not a stake
    assert [e["label"] for e in ownership_data(screening("consent-director-appointment"), "ja")["edges"]] == ["2% · 同意"]  # type: ignore[union-attr]
    assert [e["label"] for e in ownership_data(screening("loan-above-thresholds"), "en")["edges"]] == ["loan"]  # type: ignore[union-attr]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_lays_out_cleanly(name: str, lang: Lang) -> None:
    """No two boxes overlap, no label covers a box or another label, every name is shown whole (its lines
    joined give it back), every edge starts on its holder and ends on the held box, the target is the
    lowest box, and the drawing fits the memo's text width."""
    data = ownership_data(screening(name), lang)
    lay = figures.layout_ownership(data)
    boxes = list(lay.boxes.values())
    assert len(boxes) == len(data["nodes"])  # type: ignore[arg-type]
    for i, a in enumerate(boxes):
        assert "".join(a.lines) == a.node["label"]
        assert all(figures._width(x, a.size) <= a.w - 2 * figures.PAD + 0.01 for x in a.lines)
        assert not any(a.overlaps(o) for o in boxes[i + 1:]), (a.id, [o.id for o in boxes[i + 1:] if a.overlaps(o)])
    rects = [(e.label_xy[0] - e.label_wh[0] / 2, e.label_xy[1] - e.label_wh[1] / 2, *e.label_wh) for e in lay.edges]
    for i, r in enumerate(rects):
        assert not any(figures._rects_meet(r, (b.x, b.y, b.w, b.h)) for b in boxes)
        assert not any(figures._rects_meet(r, o) for o in rects[i + 1:])
    for e in lay.edges:
        assert on_side(lay.boxes[e.src], e.points[0]) and on_side(lay.boxes[e.dst], e.points[-1])
    target = lay.boxes["__target__"]
    assert all(b.y > target.y + target.h for b in boxes if b is not target)
    drawing = figures.ownership(data)
    assert {x.strip() for b in boxes for x in b.lines} <= set(strings(drawing))  # every line is drawn
    assert len(polygons(drawing)) == len(lay.edges)  # one arrowhead per edge
    assert lay.width * lay.scale <= figures.WIDTH + 0.01 and drawing.width == figures.WIDTH
    assert figures.png(Figure(figure="ownership", data=data, caption="c")).startswith(b"\x89PNG")


@pytest.mark.parametrize("name", EXAMPLES)
def test_japanese_charts_carry_no_english_labels(name: str) -> None:
    """Sub-lines, edge labels and the timeline's texts of a Japanese memo are Japanese (jurisdiction codes,
    percentages and the names themselves as given)."""
    s = screening(name)
    data = ownership_data(s, "ja")
    lay = figures.layout_ownership(data)
    shown = [b.sub for b in lay.boxes.values()] + [e.label for e in lay.edges] + [str(data["legend"])]
    shown += strings(figures.timeline(timeline_data(s, "ja")))
    english = [t for t in shown if re.search(r"[a-z]", t)]
    assert not english, english
    assert not any(w in " ".join(shown) for w in ("target", "holding entity", "closing", "day"))
    assert "JP · 対象会社" in shown


def test_japanese_texts_come_from_chart_text() -> None:
    s = screening("indirect-overseas-parent")
    tl = strings(figures.timeline(timeline_data(s, "ja")))
    assert "クロージング後45日" in tl and "30日目以降" in tl
    assert "closing + 45" in strings(figures.timeline(timeline_data(s, "en")))
    ja = {b.sub for b in figures.layout_ownership(ownership_data(s, "ja")).boxes.values()}
    assert ja == {"KY · 法人", "CH · " + CHART_TEXT["holding_entity"].ja, "JP · 対象会社"}
    assert set(KIND_TEXT) == {"individual", "corporation", "partnership", "government", "state_owned_enterprise",
                              "sovereign_wealth_fund", "public_pension", "financial_institution"}
    names = {b.node["label"] for b in figures.layout_ownership(ownership_data(s, "ja")).boxes.values()}
    assert "つくばフォトニクス株式会社" in names  # the target's Japanese name in a Japanese chart


def test_long_names_wrap_whole_into_at_most_three_lines() -> None:
    """A long Latin name breaks between words, a long Japanese one between characters (no line starts with
    、。） or the like); both are shown whole in a box that grows to fit; only a name longer than three lines
    ends in an ellipsis."""
    latin = "American Instruments and Precision Measurement Technologies Inc."
    japanese = "中部インダストリアル・パートナーズ株式会社（旧：中部産業投資）"

    def edit(inp: dict[str, Any]) -> None:
        ents = {e["id"]: e for e in inp["entities"]}
        ents["us_parent"]["name"] = latin
        ents["jp_mid"]["name_ja"] = japanese

    s = with_input(screening("jp-company-lookthrough"), edit)
    for lang, eid, name in (("en", "us_parent", latin), ("ja", "jp_mid", japanese)):
        box = figures.layout_ownership(ownership_data(s, lang)).boxes[eid]  # type: ignore[arg-type]
        assert 2 <= len(box.lines) <= 3 and "".join(box.lines) == name
        assert not any(line.strip()[:1] in CANNOT_START for line in box.lines[1:])
        assert box.h > figures._box({"id": "x", "label": "x"}, box.size, 100).h  # the box grew
    assert figures.wrap_label("自由貿易（取引）協定", 28, 7) == ["自由貿易", "（取引）", "協定"]  # no line ends with （
    assert figures.wrap_label("あいう、えお。かきくけこ", 21, 7) == ["あいう、", "えお。", "かき…"]  # none starts with 、。
    long = figures.wrap_label("word " * 80, 60, 7)
    assert len(long) == 3 and long[-1].endswith("…")


def test_cross_holdings_lay_out_with_the_target_at_the_bottom() -> None:
    """Cycles (cross-holdings) are laid out: the look-through example's two Japanese companies hold each
    other (one arrow is drawn upwards), and a three-company loop above the acquirer lays out too."""
    data = ownership_data(screening("jp-company-lookthrough"), "en")
    pairs = {(e["src"], e["dst"]) for e in data["edges"]}  # type: ignore[union-attr]
    assert {("nph", "jp_mid"), ("jp_mid", "nph")} <= pairs
    lay = figures.layout_ownership(data)
    up = [e for e in lay.edges if e.points[-1][1] > e.points[0][1]]
    assert len(up) == 1 and up[0].points[-1][1] == pytest.approx(lay.boxes[up[0].dst].y)  # arrives on the held box's bottom

    def loop(inp: dict[str, Any]) -> None:
        ents = {e["id"]: e for e in inp["entities"]}
        ents["us_parent"]["owners"] = [{"owner": "de_holder", "voting_pct": 20}]
        ents["de_holder"]["owners"] = [{"owner": "jp_bank", "voting_pct": 25}]
        ents["jp_bank"]["owners"] = [{"owner": "us_parent", "voting_pct": 30}, {"owner": "nph", "voting_pct": 1}]

    data = ownership_data(with_input(screening("jp-company-lookthrough"), loop), "ja")
    lay = figures.layout_ownership(data)
    target = lay.boxes["__target__"]
    assert all(b.y > target.y for b in lay.boxes.values() if b is not target)
    assert len(polygons(figures.ownership(data))) == len(data["edges"])  # type: ignore[arg-type]
    assert figures.feedback_edges([("a", "b"), ("b", "a"), ("b", "t")], "t") == {("b", "a")}


def test_a_wide_chart_shrinks_to_the_text_width_and_stays_connected() -> None:
    """Six long-named owners on one level: the type shrinks (to a floor) so the chart fits 440 pt; owners are
    kept on the chart only above an entity it draws, larger stakes first."""
    def wide(inp: dict[str, Any]) -> None:
        acq = next(e for e in inp["entities"] if e["id"] == inp["acquirer"])
        acq["owners"] = [{"owner": f"lp_{i}", "voting_pct": 1 + i} for i in range(9)]
        inp["entities"] += [{"id": f"lp_{i}", "name": f"Pacific Limited Partner Number {i} Investment Holdings", "kind": "partnership",
                             "jurisdiction": "KY", "owners": [{"owner": f"gp_{i}", "voting_pct": 100}]} for i in range(9)]
        inp["entities"] += [{"id": f"gp_{i}", "name": f"General Partner {i} Ltd", "kind": "corporation", "jurisdiction": "KY"} for i in range(9)]

    s = with_input(screening("us-fund-5pct-core-board-seat"), wide)
    data = ownership_data(s, "en")
    kept = {n["id"] for n in data["nodes"]}  # type: ignore[union-attr]
    assert {f"lp_{i}" for i in range(3, 9)} <= kept and not {"lp_0", "lp_1", "lp_2", "gp_0"} & kept  # the largest stakes
    assert sum(str(k).startswith("lp_") for k in kept) == CHART_BOXES_PER_LEVEL
    lay = figures.layout_ownership(data)
    assert lay.width * lay.scale <= figures.WIDTH + 0.01 and lay.size < figures.CHART_STEPS[0][0]
    assert lay.size >= figures.CHART_STEPS[-1][0]
    holders = {e.src for e in lay.edges}
    assert all(b.id in holders for b in lay.boxes.values() if b.id != "__target__")  # no box floats free
    for b in lay.boxes.values():
        assert "".join(b.lines) == b.node["label"]
    level = {"a": 0, "b": 1, "c": 2}
    assert charted_entities(level, []) == {"a", "b", "c"}  # without stakes: every entity within the limits


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["bids/bid-b-strategic-intel-duty", "indirect-overseas-parent", "jp-company-lookthrough"])
def test_timeline_labels_do_not_meet(name: str, lang: Lang) -> None:
    """Milestones a few days apart (acceptance, the shortened end, the waiting period's end and the earliest
    closing) keep their labels apart: a label that would meet another moves out a row, inside the width."""
    drawing = figures.timeline(timeline_data(screening(name), lang))
    texts = [(t.x - figures._width(t.text, t.fontSize) / 2, t.x + figures._width(t.text, t.fontSize) / 2, t.y, t.fontSize)
             for t in drawing.contents if isinstance(t, String)]
    for i, (a1, b1, y1, s1) in enumerate(texts):
        assert 0 <= a1 and b1 <= figures.WIDTH and 0 <= y1 <= drawing.height
        for a2, b2, y2, s2 in texts[i + 1:]:
            assert not (a1 < b2 and a2 < b1 and abs(y1 - y2) < max(s1, s2)), (a1, b1, y1, a2, b2, y2)
