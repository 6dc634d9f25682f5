"""The target's FEFTA class: non-designated, designated or core, over its own and its subsidiaries'
businesses (指定業種・コア業種), and whether it is a specified core business entity (特定コア事業者)."""

from __future__ import annotations

from pydantic import Field

from fdiscreen.filing.conclusion import WHO_TARGET, Conclusion, Reasoning
from fdiscreen.i18n import T
from fdiscreen.mof_list import MofList
from fdiscreen.model import Business, Deal, FeftaClass, Target
from fdiscreen.regime import Regime

RANK: dict[FeftaClass, int] = {"non_designated": 0, "designated": 1, "core": 2}
CLASS_TEXT = {
    "non_designated": T("non-designated (post-investment report only)", "指定業種以外（事後報告業種）"),
    "designated": T("designated, not core", "指定業種（コア業種以外）"),
    "core": T("core", "コア業種"),
}


class TargetClassConclusion(Conclusion):
    fefta_class: FeftaClass | None = None
    conservative_class: FeftaClass = "core"
    specified_acquisition_listed: bool | None = None
    businesses: list[dict[str, str | None]] = Field(default_factory=list)


def business_class(b: Business, deal_path: str, r: Reasoning) -> FeftaClass | None:
    """The class of one business line as of the regime's date: given directly, else by activity code."""
    if b.fefta_class is not None:
        r.say(f"{b.name}: class given in the deal file as {b.fefta_class}.",
              f"{b.name}：取引ファイルで{CLASS_TEXT[b.fefta_class].ja}と指定。")
        return b.fefta_class
    if b.activity is None:
        r.need(f"{deal_path}.activity", T(f"Which FEFTA business class (or activity code) is '{b.name}'?",
                                          f"「{b.name}」の外為法上の業種区分（又は業種コード）は？"),
               T("treat as core", "コア業種として扱う"), WHO_TARGET)
        return None
    cls = r.regime.activity_class(b.activity)
    r.cite(b.activity)
    label = r.regime.item(b.activity).label
    if cls is None:
        first = r.regime.timeline(b.activity)[0][0]
        r.say(f"{b.name} ({label.en}) was not on the designated list on this date (listed from {first}).",
              f"{b.name}（{label.ja}）は本基準日には指定業種ではない（{first}から指定）。")
        return "non_designated"
    r.say(f"{b.name} ({label.en}): {CLASS_TEXT[cls].en}.", f"{b.name}（{label.ja}）：{CLASS_TEXT[cls].ja}。")
    return cls


def _specified_acquisition_listed(b: Business, cls: FeftaClass | None, r: Reasoning) -> bool | None:
    if b.activity is not None and b.fefta_class is None:
        return r.regime.specified_acquisition_listed(b.activity)
    return None if cls is None else cls == "core"


def target_class(target: Target, regime: Regime, mof: MofList | None = None) -> TargetClassConclusion:
    """Classify the target over its own and its subsidiaries' businesses, whatever their size.

    The most sensitive class wins. A business of unknown class, or subsidiaries not known to be
    complete, leaves the answer indeterminate unless the target is already core.
    """
    r = Reasoning(regime)
    t = target
    classes: list[FeftaClass | None] = []
    spec: list[bool | None] = []
    rows: list[dict[str, str | None]] = []
    lines = [(f"target.businesses[{i}]", t.name, b) for i, b in enumerate(t.businesses)]
    for s, sub in enumerate(t.subsidiaries):
        lines += [(f"target.subsidiaries[{s}].businesses[{i}]", sub.name, b) for i, b in enumerate(sub.businesses)]
    for path, owner, b in lines:
        cls = business_class(b, path, r)
        classes.append(cls)
        spec.append(_specified_acquisition_listed(b, cls, r))
        rows.append({"entity": owner, "business": b.name, "activity": b.activity, "class": cls})
    listed_class = _from_mof_list(t, mof, r)
    if listed_class is not None:
        classes.append(listed_class)
    known = [c for c in classes if c is not None]
    best = max(known, key=RANK.__getitem__) if known else None
    complete = (None not in classes) and (t.subsidiaries_complete is True or listed_class is not None)
    if best != "core" and not complete:
        if t.subsidiaries_complete is not True and listed_class is None:
            r.need("target.subsidiaries_complete",
                   T("Are all subsidiaries' businesses listed? Does any subsidiary run a designated or core business?",
                     "子会社の事業は全て記載されているか。指定業種・コア業種を営む子会社はないか？"),
                   T("treat the target as core", "コア業種として扱う"), WHO_TARGET)
        if not lines and listed_class is None:
            r.say("The deal file lists no business for the target.", "発行会社の事業が記載されていない。")
        status = "indeterminate"
        summary = T(f"Target class indeterminate (at least {CLASS_TEXT[best].en} from what is known)." if best else
                    "Target class indeterminate.",
                    f"業種区分は未確定（判明分では{CLASS_TEXT[best].ja}以上）。" if best else "業種区分は未確定。")
        cls_out = None
    else:
        status = "yes"
        summary = T(f"{t.name} is {CLASS_TEXT[best].en} (own and subsidiaries' businesses).",
                    f"{t.name}は{CLASS_TEXT[best].ja}に該当する（子会社の事業を含む）。")
        cls_out = best
    spec_listed = True if True in spec else (False if spec and None not in spec else None)
    return TargetClassConclusion(**r.conclude("target_class", status, summary, fefta_class=cls_out,
                                              specified_acquisition_listed=spec_listed, businesses=rows))


def _from_mof_list(target: Target, mof: MofList | None, r: Reasoning) -> FeftaClass | None:
    code = target.securities_code
    if mof is None or not code:
        return None
    cls = mof.lookup(code)
    if cls is None:
        r.say(f"Securities code {code} is not in the MOF list supplied ({mof.source}).",
              f"証券コード{code}は提供された財務省リスト（{mof.source}）に掲載されていない。")
        return None
    r.say(f"The MOF list supplied ({mof.source}) classes {code} as {CLASS_TEXT[cls].en}; the list is an aid and the investor remains responsible.",
          f"提供された財務省リスト（{mof.source}）は{code}を{CLASS_TEXT[cls].ja}としている（参考情報であり、判断責任は投資家にある）。")
    return cls


def is_specified_core_business_entity(deal: Deal, r: Reasoning) -> bool | None:
    """特定コア事業者 (from 2025-05-19): a core-sector company that is also an ESPA Art. 50 specified
    social-infrastructure operator, or the parent of one. Given in the deal file; unknown is None."""
    val = deal.target.specified_core_business_entity
    if val is None:
        r.need("target.specified_core_business_entity",
               T("Is the target (or a subsidiary) a specified core business entity (an ESPA specified social-infrastructure operator in a core sector)?",
                 "発行会社（又は子会社）は特定コア事業者（経済安全保障推進法の特定社会基盤事業者であるコア業種事業者）か？"),
               T("treat as a specified core business entity", "特定コア事業者として扱う"), WHO_TARGET)
    return val

