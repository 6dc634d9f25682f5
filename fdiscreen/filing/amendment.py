"""What the 2026 FEFTA amendment (promulgated 2026-06-05) changes for this deal, in force or not."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from fdiscreen.filing.acts import ActConclusion
from fdiscreen.filing.conclusion import Conclusion, Reasoning, Status
from fdiscreen.i18n import T, Text
from fdiscreen.model import Deal
from fdiscreen.regime import Regime


class AmendmentChange(BaseModel):
    item: str
    in_force: bool
    applies_to_deal: bool
    text: Text


class AmendmentConclusion(Conclusion):
    effective_date: dt.date | None = None
    effective_date_assumed: bool = True
    in_force: bool = False
    changes: list[AmendmentChange] = Field(default_factory=list)


def _indirect_change(deal: Deal, regime: Regime, acts: list[ActConclusion]) -> AmendmentChange | None:
    if deal.transaction.indirect is None:
        return None
    act = next(a for a in acts if a.act == "indirect_acquisition")
    on = regime.in_force("indirect_acquisition")
    text = (T("Indirect acquisition is inward direct investment: buying 50% or more of the overseas holding entity needs the same filing analysis as a direct purchase.",
              "間接取得が対内直接投資等となり、海外の直接保有者の議決権50%以上の取得は直接取得と同様の届出判断を要する。") if on else
            T("Once in force, buying 50% or more of the overseas holding entity becomes inward direct investment; today it is outside FEFTA.",
              "施行後は、海外の直接保有者の議決権50%以上の取得が対内直接投資等となる（現時点では外為法の対象外）。"))
    return AmendmentChange(item="indirect_acquisition", in_force=on, applies_to_deal=act.status != "no" or not on, text=text)


def amendment_2026(deal: Deal, regime: Regime, acts: list[ActConclusion], must_file: Status) -> AmendmentConclusion:
    """Report each element of the 2026 amendment: whether it is in force on the as-of date (on the
    assumed effective date) and whether it touches this deal."""
    r = Reasoning(regime)
    effective = regime.date_value("amendment_2026_effective_date")
    if effective is None:
        r.say("On this date the 2026 amendment had not been enacted.", "本基準日には2026年改正法は成立していない。")
        return AmendmentConclusion(**r.conclude("amendment_2026", "no", T("Not yet law on this date.", "本基準日には未成立。"),
                                                effective_date=None, in_force=False))
    r.cite("amendment_2026_effective_date")
    assumed = "amendment_2026_effective_date" not in regime.overrides
    in_force = regime.as_of >= effective
    changes: list[AmendmentChange] = []
    indirect = _indirect_change(deal, regime, acts)
    if indirect:
        changes.append(indirect)
        r.cite("indirect_acquisition")
    if deal.transaction.nominee is not None:
        on = regime.in_force("deemed_foreign_investor_contract")
        changes.append(AmendmentChange(item="deemed_foreign_investor_contract", in_force=on, applies_to_deal=True, text=T(
            "A person acting under a contract for non-residents without using their names is deemed a foreign investor, for specified acquisitions too.",
            "契約等に基づき非居住者等のために名義によらないで行う者は、特定取得を含め外国投資家とみなされる。")))
        r.cite("deemed_foreign_investor_contract")
    mitigations = bool(deal.transaction.risk_mitigation_measures)
    if must_file != "no":
        on = regime.in_force("risk_mitigation_notification")
        changes.append(AmendmentChange(item="risk_mitigation_notification", in_force=on, applies_to_deal=mitigations, text=T(
            "Risk-mitigation measures offered must be stated in the prior notification, and any change to them notified in advance.",
            "リスク軽減措置を講じる場合は事前届出に記載し、その変更は事前に届け出なければならない。")))
        r.cite("risk_mitigation_notification")
    else:
        on = regime.in_force("call_in_power")
        changes.append(AmendmentChange(item="call_in_power", in_force=on, applies_to_deal=True, text=T(
            "Even without a notification, ministers may demand reports and, if a serious security risk arises, recommend and order disposal of the shares.",
            "届出不要の投資でも、安全保障上のおそれが大きい場合には報告徴収及び株式処分等の勧告・命令があり得る。")))
        r.cite("call_in_power")
        r.cite("call_in_lookback_years")
    consult = regime.in_force("interagency_consultation")
    changes.append(AmendmentChange(item="interagency_consultation", in_force=consult, applies_to_deal=must_file != "no", text=T(
        "Ministers must seek the views of relevant agency heads when they judge it necessary (Committee on Foreign Investment in Japan); in force since promulgation.",
        "必要と認めるときは関係行政機関の長の意見を求める（対日外国投資委員会）。公布日から施行。")))
    r.cite("interagency_consultation")
    when = f"{effective} ({'assumed' if assumed else 'as given'})"
    if in_force:
        r.say(f"The amendment is in force on this date (effective {when}).", f"本基準日に改正法は施行済み（施行日{effective}、{'仮定' if assumed else '指定'}）。")
    else:
        r.say(f"The amendment is enacted but not in force on this date; effective {when}. Use --assume-amendment-effective to model another date.",
              f"改正法は成立済みだが本基準日には未施行（施行日{effective}、{'仮定' if assumed else '指定'}）。--assume-amendment-effectiveで別の日付を仮定できる。")
    closing = deal.transaction.closing_date
    if not in_force and closing is not None and closing >= effective:
        r.say(f"The deal is planned to close on {closing}, after that date: screen it with --as-of {closing} to apply the amended law.",
              f"本件の実行予定日{closing}は施行日後である。改正後の法令を適用するには --as-of {closing} で判定すること。")
    touches = [c for c in changes if c.applies_to_deal and c.item != "interagency_consultation"]
    summary = T(f"2026 amendment {'in force' if in_force else 'not yet in force'} (effective {when}); {len(touches)} change(s) touch this deal.",
                f"2026年改正は{'施行済み' if in_force else '未施行'}（施行日{effective}）。本件に関係する変更{len(touches)}件。")
    return AmendmentConclusion(**r.conclude("amendment_2026", "yes" if in_force else "no", summary, effective_date=effective,
                                            effective_date_assumed=assumed, in_force=in_force, changes=changes))
