"""The target's FEFTA class: non-designated, designated or core, over its own and its subsidiaries'
businesses (指定業種・コア業種), and whether it is a specified core business entity (特定コア事業者)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import Field

from fdiscreen.filing.conclusion import WHO_ACQUIRER, WHO_TARGET, Conclusion, Reasoning
from fdiscreen.i18n import T, Text
from fdiscreen.locale import format_date
from fdiscreen.mof_list import MofList, MofListRecord
from fdiscreen.model import Business, Deal, FeftaClass, Target
from fdiscreen.regime import CitationSpec, FactorItem, Regime

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
    """特定取得に係る指定業種: some own or subsidiary business is on the specified-acquisition designated
    list (a specified acquisition then needs prior notification); None when a business's listing is unknown."""
    specified_acquisition_core: bool | None = None
    """特定取得に係るコア業種: some own or subsidiary business is on the specified-acquisition core list
    (no exemption for the specified acquisition); None when a business's listing is unknown."""
    businesses: list[dict[str, str | None]] = Field(default_factory=list)
    mof_list: MofListRecord | None = None
    """The MOF classification list consulted (file, sheet, the date it is as of), when one was supplied and
    the target has a securities code."""


def _item_class(item_id: str, r: Reasoning) -> FeftaClass:
    """The class of one catalog item on the regime's date; before its listing, non-designated."""
    cls = r.regime.activity_class(item_id)
    return "non_designated" if cls is None else cls


def business_items(b: Business, deal_path: str, r: Reasoning) -> list[str]:
    """The catalog items a business's activity names (an id, an old id or a JSIC code); when a JSIC code
    spans items of different classes, ask which item the business is (the most sensitive class stands)."""
    items = r.regime.catalog.resolve_activity(b.activity or "")
    if len({_item_class(i, r) for i in items}) > 1:
        names = "; ".join(f"{i} ({r.regime.item(i).label.en}: {_item_class(i, r)})" for i in items)
        names_ja = "、".join(f"{r.regime.item(i).label.ja}（{CLASS_TEXT[_item_class(i, r)].ja}）" for i in items)
        r.need(f"{deal_path}.activity",
               T(f"JSIC code {b.activity} of '{b.name}' spans catalog items of different classes: which is it? {names}",
                 f"「{b.name}」の産業分類番号{b.activity}は区分の異なる複数の項目にまたがる。いずれに当たるか：{names_ja}"),
               T("treat as the most sensitive of these items", "これらのうち最も厳しい区分として扱う"), WHO_TARGET)
    return items


def business_class(b: Business, deal_path: str, r: Reasoning) -> FeftaClass | None:
    """The class of one business line as of the regime's date: given directly, else by activity code
    (catalog id, old id or JSIC code); None when a JSIC code spans items of different classes."""
    if b.fefta_class is not None:
        r.say(f"{b.name}: class given in the deal file as {b.fefta_class}.",
              f"{b.name}：取引ファイルで{CLASS_TEXT[b.fefta_class].ja}と指定。")
        return b.fefta_class
    if b.activity is None:
        r.need(f"{deal_path}.activity", T(f"Which FEFTA business class (or activity code) is '{b.name}'?",
                                          f"「{b.name}」の外為法上の業種区分（又は業種コード）は？"),
               T("treat as core", "コア業種として扱う"), WHO_TARGET)
        return None
    items = business_items(b, deal_path, r)
    for item_id in items:
        _say_item_class(b, item_id, r)
    classes = {_item_class(i, r) for i in items}
    return classes.pop() if len(classes) == 1 else None


def _say_item_class(b: Business, item_id: str, r: Reasoning) -> None:
    cls = r.regime.activity_class(item_id)
    r.cite(item_id)
    label = r.regime.item(item_id).label
    if cls is None:
        first = r.regime.timeline(item_id)[0][0]
        r.say(f"{b.name} ({label.en}) was not on the designated list on this date (listed from {first}).",
              f"{b.name}（{label.ja}）は本基準日には指定業種ではない（{first}から指定）。")
        return
    r.say(f"{b.name} ({label.en}): {CLASS_TEXT[cls].en}.", f"{b.name}（{label.ja}）：{CLASS_TEXT[cls].ja}。")


def _listed(b: Business, cls: FeftaClass | None, r: Reasoning, flag: str) -> bool | None:
    """Whether a business is on a specified-acquisition list (``flag`` names the Regime method): by its
    catalog items; with the class given directly, a non-designated business is on neither list."""
    if b.activity is not None and b.fefta_class is None:
        flags = {getattr(r.regime, flag)(i) for i in r.regime.catalog.resolve_activity(b.activity)}
        return flags.pop() if len(flags) == 1 else None
    if flag == "specified_acquisition_listed":
        return None if cls is None else cls == "core"
    return None if cls in (None, "core") else False


def _any_true(flags: list[bool | None]) -> bool | None:
    """Three-valued 'any': True if one is True, False if all are known False (or none), else None."""
    return True if True in flags else (False if None not in flags else None)


def _resolved_activity(b: Business, r: Reasoning) -> str | None:
    """The catalog item id a business names, where its items share one class (for citations downstream);
    else the code as given."""
    items = r.regime.catalog.resolve_activity(b.activity) if b.activity else []
    return items[0] if items and len({_item_class(i, r) for i in items}) == 1 else b.activity


def target_class(target: Target, regime: Regime, mof: MofList | None = None) -> TargetClassConclusion:
    """Classify the target over its own and its subsidiaries' businesses, whatever their size.

    The most sensitive class wins. A business of unknown class, or subsidiaries not known to be
    complete, leaves the answer indeterminate unless the target is already core.
    """
    r = Reasoning(regime)
    t = target
    classes: list[FeftaClass | None] = []
    spec: list[bool | None] = []
    spec_core: list[bool | None] = []
    rows: list[dict[str, str | None]] = []
    lines = [(f"target.businesses[{i}]", t.name, b) for i, b in enumerate(t.businesses)]
    for s, sub in enumerate(t.subsidiaries):
        lines += [(f"target.subsidiaries[{s}].businesses[{i}]", sub.name, b) for i, b in enumerate(sub.businesses)]
    for path, owner, b in lines:
        cls = business_class(b, path, r)
        classes.append(cls)
        spec.append(_listed(b, cls, r, "specified_acquisition_listed"))
        spec_core.append(_listed(b, cls, r, "specified_acquisition_core"))
        rows.append({"entity": owner, "business": b.name, "activity": _resolved_activity(b, r), "class": cls})
    listed_class = _from_mof_list(t, mof, r)
    if listed_class is not None:
        classes.append(listed_class)
    known = [c for c in classes if c is not None]
    best = max(known, key=RANK.__getitem__) if known else None
    complete = bool(classes) and (None not in classes) and (t.subsidiaries_complete is True or listed_class is not None)
    if best != "core" and not complete:
        if t.subsidiaries_complete is not True and listed_class is None:
            r.need("target.subsidiaries_complete",
                   T("Are all subsidiaries' businesses listed? Does any subsidiary run a designated or core business?",
                     "子会社の事業は全て記載されているか。指定業種・コア業種を営む子会社はないか？"),
                   T("treat the target as core", "コア業種として扱う"), WHO_TARGET)
        if not t.businesses and listed_class is None:
            r.say("The deal file lists no business for the target.", "発行会社の事業が記載されていない。")
            r.need("target.businesses", T("What businesses does the target itself run (activity id or JSIC code)?",
                                          "発行会社自身はどのような事業を営むか（業種ID又は日本標準産業分類番号）？"),
                   T("treat the target as core", "コア業種として扱う"), WHO_TARGET)
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
    spec_listed = _any_true(spec) if spec else None
    spec_core = _any_true(spec_core) if spec_core else None
    return TargetClassConclusion(**r.conclude("target_class", status, summary, fefta_class=cls_out,
                                              specified_acquisition_listed=spec_listed,
                                              specified_acquisition_core=spec_core, businesses=rows,
                                              mof_list=mof.record() if mof is not None and t.securities_code else None))


def _from_mof_list(target: Target, mof: MofList | None, r: Reasoning) -> FeftaClass | None:
    """The class MOF's list of listed companies gives the target's securities code (an aid: the investor
    remains responsible), with a warning when the list's date does not match the notices in force."""
    code = target.securities_code
    if mof is None or not code:
        return None
    label = _list_label(mof)
    cls = mof.lookup(code)
    if cls is None:
        r.say(f"Securities code {code} is not in the MOF list supplied ({label.en}).",
              f"証券コード{code}は提供された財務省リスト（{label.ja}）に掲載されていない。")
    else:
        r.say(f"The MOF list supplied ({label.en}) classes {code} as {CLASS_TEXT[cls].en}; the list is an aid and the investor remains responsible.",
              f"提供された財務省リスト（{label.ja}）は{code}を{CLASS_TEXT[cls].ja}としている（参考情報であり、判断責任は投資家にある）。")
    _check_list_date(mof, r)
    return cls


def _date_text(d: dt.date) -> Text:
    """A date as each reader writes it (1 December 2026 / 2026年12月1日)."""
    return T(format_date(d, "en"), format_date(d, "ja"))


def _list_label(mof: MofList) -> Text:
    """「list.xlsx、2026年10月15日現在」 / "list.xlsx, as of 15 October 2026" (or the date unknown)."""
    if mof.vintage is None:
        return T(f"{mof.source}, date unknown", f"{mof.source}、作成日不明")
    when = _date_text(mof.vintage)
    return T(f"{mof.source}, as of {when.en}", f"{mof.source}、{when.ja}現在")


@dataclass(frozen=True)
class NoticeRevision:
    """One amendment of the business-sector notices (業種告示・コア業種告示) as the catalog dates it: made
    (promulgated or in effect) on ``made``, changing classes from ``applies``; ``item`` is an activity whose
    class changed then (cited for it)."""

    made: dt.date
    applies: dt.date
    item: str


def _revision_citation(item: FactorItem, when: dt.date) -> CitationSpec | None:
    """The citation of the notice that gave ``item`` its class from ``when``, if the catalog names it."""
    for key, spec in (item.citations or {}).items():
        if key == when.isoformat():
            return spec
    c = item.citation
    return c if when in (c.applies_from, c.effective) else None


def notice_revisions(regime: Regime) -> list[NoticeRevision]:
    """Every date an activity's class changed under the notices, with the date the amending notice was made
    (its promulgation or effect, from the catalog's citations; the class date itself where none is given),
    in order of application."""
    found: dict[dt.date, NoticeRevision] = {}
    for item in regime.catalog.activities():
        for when, _ in regime.timeline(item.id):
            spec = _revision_citation(item, when)
            made = min([d for d in (spec.promulgated, spec.effective, spec.applies_from) if d is not None] + [when]) if spec else when
            prev = found.get(when)
            if prev is None or made < prev.made:
                found[when] = NoticeRevision(made=made, applies=when, item=item.id)
    return sorted(found.values(), key=lambda v: v.applies)


def _revision_text(v: NoticeRevision) -> Text:
    made, applies = _date_text(v.made), _date_text(v.applies)
    if v.made == v.applies:
        return T(f"the notice revision of {made.en}", f"{made.ja}の告示改正")
    return T(f"the notice revision of {made.en} (applying from {applies.en})", f"{made.ja}の告示改正（{applies.ja}適用）")


def _check_list_date(mof: MofList, r: Reasoning) -> None:
    """Warn when the list gives no date, predates the latest notice revision in force on the as-of date, or
    postdates one that applies only after it (each with the list's date as a fact to confirm)."""
    as_of = r.regime.as_of
    revisions = notice_revisions(r.regime)
    in_force = [v for v in revisions if v.applies <= as_of]
    latest = in_force[-1] if in_force else None
    if mof.vintage is None:
        _list_date_unknown(mof, latest, r)
        return
    if latest is not None and mof.vintage < latest.made:
        _list_predates_revision(mof.vintage, latest, r)
    later = next((v for v in revisions if v.applies > as_of and v.made <= mof.vintage), None)
    if later is not None:
        _list_reflects_later_revision(mof.vintage, later, r)


def _confirm_list_date(question: Text, r: Reasoning) -> None:
    r.need("mof_list.vintage", question,
           T("classify the target from its own and its subsidiaries' businesses (core where unknown)",
             "発行会社及び子会社の事業内容から区分を判断する（不明な場合はコア業種）"), WHO_ACQUIRER)


def _list_date_unknown(mof: MofList, latest: NoticeRevision | None, r: Reasoning) -> None:
    on = _date_text(r.regime.as_of)
    last = T(f"; they were last amended by {_revision_text(latest).en}", f"（直近の改正は{_revision_text(latest).ja}）") if latest else T("", "")
    r.say(f"The MOF list's date is unknown (neither its title rows nor its file name give it): confirm that it reflects the business-sector notices in force on {on.en}{last.en}.",
          f"財務省リストの作成日が不明である（表題行にもファイル名にも記載がない）。{on.ja}時点で効力を有する業種告示{last.ja}を反映したリストであることを確認すること。")
    _confirm_list_date(T(f"What date is the MOF list supplied ({mof.source}) as of, and does it reflect the notices in force on {on.en}?",
                         f"提供された財務省リスト（{mof.source}）は何年何月何日現在のものか。{on.ja}時点の告示を反映しているか？"), r)


def _list_predates_revision(vintage: dt.date, latest: NoticeRevision, r: Reasoning) -> None:
    on, listed, rev = _date_text(r.regime.as_of), _date_text(vintage), _revision_text(latest)
    r.cite(latest.item)
    r.say(f"Warning: the MOF list is as of {listed.en}, before {rev.en}, which is in force on {on.en}; its categories may not reflect that revision.",
          f"注意：財務省リストは{listed.ja}現在のもので、{on.ja}時点で効力を有する{rev.ja}より前に作成されている。区分が当該改正を反映していないおそれがある。")
    _confirm_list_date(T(f"The MOF list supplied is as of {listed.en}, before {rev.en}: what is the target's category on the list revised after it?",
                         f"提供された財務省リストは{listed.ja}現在で、{rev.ja}より前のものである。改正後に改訂されたリストでの発行会社の区分は？"), r)


def _list_reflects_later_revision(vintage: dt.date, later: NoticeRevision, r: Reasoning) -> None:
    on, listed, rev = _date_text(r.regime.as_of), _date_text(vintage), _revision_text(later)
    r.say(f"Warning: the MOF list is as of {listed.en}, after {rev.en}, which does not yet apply on {on.en}; its categories may reflect notices not yet in force.",
          f"注意：財務省リストは{listed.ja}現在のもので、{on.ja}時点では未適用の{rev.ja}を反映しているおそれがある。")
    _confirm_list_date(T(f"The MOF list supplied is as of {listed.en}, after {rev.en}: what was the target's category under the notices in force on {on.en}?",
                         f"提供された財務省リストは{listed.ja}現在で、{rev.ja}を反映しているおそれがある。{on.ja}時点の告示での発行会社の区分は？"), r)


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

