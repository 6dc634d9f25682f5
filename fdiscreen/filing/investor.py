"""Who the acquirer is in law: foreign investor (外国投資家), deemed foreign investor, and its class
for the exemption (foreign financial institution, foreign government etc., specified foreign investor)."""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from pydantic import Field

from fdiscreen.filing.conclusion import (WHO_ACQUIRER, Conclusion, Reasoning, status_of)
from fdiscreen.i18n import T
from fdiscreen.model import Deal, Entity
from fdiscreen.ownership import (COMPANY_KINDS, STATE_KINDS, LookThrough, Marked, Tri, chains_to_ultimate_owners, holders_above,
                                 is_home, look_through, tri_any)
from fdiscreen.regime import Regime, to_fraction

InvestorClass = Literal[
    "not_foreign", "violator", "foreign_government", "specified_foreign_investor",
    "equivalent_to_specified", "foreign_financial_institution", "accredited_swf", "general_investor",
]

CATEGORY_TEXT = {
    1: T("a non-resident individual (Art. 26(1)(i))", "非居住者である個人（法26条1項1号）"),
    2: T("an entity established under foreign law or with its principal office abroad (Art. 26(1)(ii))",
         "外国法令に基づいて設立され又は外国に主たる事務所を有する法人等（法26条1項2号）"),
    3: T("a company in which foreign investors hold, directly and indirectly, at least the threshold share of voting rights (Art. 26(1)(iii))",
         "外国投資家が直接・間接に一定割合以上の議決権を保有する会社（法26条1項3号）"),
    4: T("an investment partnership with mainly foreign contributions or executing partners (Art. 26(1)(iv))",
         "外国人等の出資又は業務執行組合員が過半等を占める特定組合等（法26条1項4号）"),
    5: T("an entity most of whose directors or representative directors are non-resident individuals (Art. 26(1)(v))",
         "役員又は代表権を有する役員の過半数が非居住者である個人である法人等（法26条1項5号）"),
}


class ForeignInvestorConclusion(Conclusion):
    category: int | None = None
    chain: list[str] = Field(default_factory=list, description="entities from the acquirer to the owners that make it foreign")
    deemed: bool = False


class InvestorClassConclusion(Conclusion):
    investor_class: InvestorClass | None = None


# -- Art. 26(1): the five categories --------------------------------------------------------------

def is_non_resident_individual(e: Entity, regime: Regime) -> Tri:
    """Art. 26(1)(i): an individual not resident in Japan, whatever the nationality."""
    if e.resident_in_japan is not None:
        return not e.resident_in_japan
    return e.jurisdiction != regime.catalog.home_country


def has_non_resident_officer_majority(e: Entity, regime: Regime) -> Tri:
    """Art. 26(1)(v): non-resident individuals hold more than half of the directors or of the
    officers with representative authority."""
    o = e.officers
    if o is None:
        return None
    tests: list[Tri] = []
    for part, whole in ((o.directors_non_resident, o.directors_total),
                        (o.representatives_non_resident, o.representatives_total)):
        if whole is None or whole == 0:
            continue
        tests.append(None if part is None else regime.meets("nonresident_officers_more_than_pct", Fraction(100 * part, whole)))
    return tri_any(tests) if tests else None


def _partnership_own_test(e: Entity, regime: Regime) -> Tri:
    """Art. 26(1)(iv) on the partnership's stated foreign contribution share; None before the test
    existed (the partnership rules were reorganised in 2020). Listed contributions are counted by the
    look-through; missing ones leave a remainder that the three-valued run reads both ways."""
    if regime.value("partnership_foreign_contribution_pct") is None:
        return None
    p = e.partnership
    if p is None or p.foreign_contribution_pct is None:
        return False
    return regime.meets("partnership_foreign_contribution_pct", p.foreign_contribution_pct)


def _own_foreign_facts(regime: Regime) -> "LookThrough":
    def base(e: Entity) -> Tri:
        if e.kind == "individual":
            return is_non_resident_individual(e, regime)
        if e.kind == "partnership":
            return _partnership_own_test(e, regime)
        if not is_home(e, regime):
            return True
        return has_non_resident_officer_majority(e, regime)

    def holders(e: Entity) -> list[tuple[str, Fraction]]:
        if e.kind == "partnership" and e.partnership:
            return [(c.partner, to_fraction(c.contribution_pct)) for c in e.partnership.contributions]
        return [(h.owner, to_fraction(h.voting_pct)) for h in e.owners]

    def limit_met(e: Entity, held: Fraction) -> bool:
        if e.kind == "partnership":
            return bool(regime.meets("partnership_foreign_contribution_pct", held))
        return e.kind in COMPANY_KINDS and bool(regime.meets("foreign_owned_company_pct", held))

    def executing_partner_majority(e: Entity, marked: dict[str, bool]) -> bool:
        if e.kind != "partnership" or not e.partnership or not e.partnership.executing_partners:
            return False
        gps = e.partnership.executing_partners
        share = Fraction(100 * sum(1 for g in gps if marked[g]), len(gps))
        return bool(regime.meets("partnership_nonresident_executing_partners_more_than_pct", share))

    def remainder_unknown(e: Entity) -> bool:
        if e.kind == "partnership":
            p = e.partnership
            return p is None or not p.executing_partners or (
                p.foreign_contribution_pct is None and sum(c.contribution_pct for c in p.contributions) < 100 - 1e-9)
        return e.kind in COMPANY_KINDS and is_home(e, regime) and e.owners_complete is not True

    proportional = regime.value("indirect_voting_attribution") == "proportional"
    return LookThrough(base=base, holders=holders, limit_met=limit_met, extra=executing_partner_majority,
                       remainder_unknown=remainder_unknown, proportional=proportional)


def foreign_status(deal: Deal, regime: Regime) -> Marked:
    """Foreign-investor status of every entity in the file (Art. 26(1)), cycles included."""
    return look_through(deal, _own_foreign_facts(regime))


def _category(e: Entity, regime: Regime, marked: Marked) -> int | None:
    if e.kind == "individual":
        return 1 if is_non_resident_individual(e, regime) else None
    if e.kind == "partnership":
        return 4 if marked.status.get(e.id) else None
    if not is_home(e, regime):
        return 2
    if has_non_resident_officer_majority(e, regime):
        return 5
    return 3 if marked.status.get(e.id) else None


def _path_to_foreign(deal: Deal, start: str, marked: Marked) -> list[str]:
    """The chain from ``start`` through marked owners to the first entity foreign on its own facts."""
    path = [start]
    while path[-1] in marked.via and marked.via[path[-1]]:
        nxt = next((o for o in marked.via[path[-1]] if o not in path), None)
        if nxt is None:
            break
        path.append(nxt)
    return path


def _unknown_foreign_facts(deal: Deal, regime: Regime, r: Reasoning) -> None:
    """List the facts whose absence leaves foreign-investor status open, along the acquirer's chain."""
    seen: set[str] = set()
    for chain in chains_to_ultimate_owners(deal, deal.acquirer):
        for eid in chain:
            if eid in seen:
                continue
            seen.add(eid)
            e = deal.entity(eid)
            i = deal.entity_index(e.id)
            if e.kind == "partnership" and (e.partnership is None or not e.partnership.executing_partners):
                r.need(f"entities[{i}].partnership", T(f"Who are the executing partners of {e.name} and who contributed what share?",
                                                        f"{e.name}の業務執行組合員と出資割合は？"),
                       T("treat the partnership as a foreign investor", "外国投資家として扱う"), WHO_ACQUIRER)
            elif e.kind != "individual" and is_home(e, regime):
                if e.officers is None:
                    r.need(f"entities[{i}].officers", T(f"How many of {e.name}'s directors and representative directors are non-residents?",
                                                         f"{e.name}の取締役・代表取締役のうち非居住者は何名か？"),
                           T("treat as a foreign investor", "外国投資家として扱う"), WHO_ACQUIRER)
                if e.kind in COMPANY_KINDS and e.owners_complete is not True:
                    r.need(f"entities[{i}].owners", T(f"Who holds the rest of {e.name}'s voting rights, and are they foreign?",
                                                       f"{e.name}のその他の議決権の保有者は誰か、外国投資家か？"),
                           T("count unlisted holders as foreign", "不明な保有者を外国投資家として数える"), WHO_ACQUIRER)


def is_foreign_investor(deal: Deal, regime: Regime, marked: Marked | None = None) -> ForeignInvestorConclusion:
    """Is the acquirer a foreign investor (外国投資家, FEFTA Art. 26(1)), or deemed one (みなし外国投資家)?"""
    r = Reasoning(regime)
    r.cite("foreign_investor_framework")
    marked = marked or foreign_status(deal, regime)
    acq = deal.entity(deal.acquirer)
    own = marked.status[acq.id]
    cat = _category(acq, regime, marked) if own else None
    chain: list[str] = []
    if own:
        chain = _path_to_foreign(deal, acq.id, marked)
        r.say(f"{acq.name} is {CATEGORY_TEXT[cat].en}." if cat else f"{acq.name} is a foreign investor.",
              f"{acq.name}は{CATEGORY_TEXT[cat].ja}に該当する。" if cat else f"{acq.name}は外国投資家である。")
        if cat == 3:
            r.say(" -> ".join(deal.entity(x).name for x in chain) + ": foreign voting rights reach the threshold through this chain.",
                  " → ".join(deal.entity(x).name for x in chain) + "：この経路で外国投資家の議決権が基準に達する。",
                  "foreign_owned_company_pct", "indirect_voting_attribution")
        if cat == 4:
            r.cite("partnership_foreign_contribution_pct")
            r.cite("partnership_nonresident_executing_partners_more_than_pct")
        if cat == 5:
            r.cite("nonresident_officers_more_than_pct")
    elif own is False:
        r.say(f"{acq.name} is resident in Japan in every sense Art. 26(1) tests: Japanese-law entity with its office in Japan, "
              "mostly resident officers, and foreign holders below the threshold.",
              f"{acq.name}は本邦法人で本邦に主たる事務所を有し、役員の過半が居住者で、外国投資家の議決権も基準未満である。",
              "foreign_owned_company_pct", "nonresident_officers_more_than_pct")
    else:
        r.say(f"Whether {acq.name} is a foreign investor depends on facts the file does not give.",
              f"{acq.name}が外国投資家に該当するかは、ファイルにない事実に依存する。", "foreign_owned_company_pct")
        _unknown_foreign_facts(deal, regime, r)
    deemed = deemed_foreign_investor(deal, regime, marked)
    status: Tri = own
    if not own and deemed.status != "no":
        r.absorb(deemed, reasons=True)
        status = True if deemed.status == "yes" else None
    summary = {
        True: T(f"{acq.name} is a foreign investor.", f"{acq.name}は外国投資家に該当する。"),
        False: T(f"{acq.name} is not a foreign investor.", f"{acq.name}は外国投資家に該当しない。"),
        None: T(f"Foreign-investor status of {acq.name} is indeterminate.", f"{acq.name}の外国投資家該当性は未確定。"),
    }[status]
    return ForeignInvestorConclusion(**r.conclude("foreign_investor", status_of(status), summary, category=cat,
                                                  chain=chain, deemed=bool(not own and deemed.status == "yes")))


def deemed_foreign_investor(deal: Deal, regime: Regime, marked: Marked | None = None) -> Conclusion:
    """Is a non-foreign acquirer deemed a foreign investor because it acts for a non-resident
    without using its name (Art. 27(14) existing rule; widened by the 2026 amendment)?"""
    r = Reasoning(regime)
    nominee = deal.transaction.nominee
    if nominee is None:
        return Conclusion(**r.conclude("deemed_foreign_investor", "no",
                                       T("No nominee arrangement is stated.", "名義貸し等の取決めは記載されていない。")))
    marked = marked or foreign_status(deal, regime)
    principal = deal.entity(nominee.acting_for)
    principal_foreign = marked.status[principal.id]
    existing = regime.in_force("deemed_foreign_investor_nominee")
    widened = regime.in_force("deemed_foreign_investor_contract")
    r.cite("deemed_foreign_investor_nominee")
    r.cite("deemed_foreign_investor_contract")
    if principal_foreign is False:
        r.say(f"The principal {principal.name} is not a foreign investor, so no deeming applies.",
              f"本人{principal.name}は外国投資家でないため、みなし規定は適用されない。")
        return Conclusion(**r.conclude("deemed_foreign_investor", "no", T("Not deemed.", "みなし適用なし。")))
    status: Tri
    if nominee.arrangement == "for_account" and existing:
        status = principal_foreign
        r.say(f"The acquirer acts for {principal.name} without using its name; the existing rule treats it as the foreign investor.",
              f"取得者は{principal.name}のためにその名義によらないで行為しており、現行のみなし規定により外国投資家とみなされる。")
    elif widened:
        status = principal_foreign
        r.say(f"The 2026 amendment (in force on this date) deems a person acting under a contract for non-residents etc. to be a foreign investor; it applies to the arrangement with {principal.name}.",
              f"2026年改正（本基準日に施行済み）により、契約等に基づき非居住者等のために行う者は外国投資家とみなされ、{principal.name}との取決めに適用される。")
    elif nominee.arrangement == "contract" and existing:
        status = None
        r.say("Whether the existing rule reaches a contract-based arrangement is unclear; the 2026 amendment, which removes the doubt, is not yet in force on this date.",
              "現行規定が契約に基づく取決めに及ぶかは明確でなく、これを明確化する2026年改正は本基準日に未施行。")
        r.need("transaction.nominee.arrangement", T("Does the acquirer act for the principal's account (not only under a contract)?",
                                                   "取得者は本人の計算において行為しているか（契約のみではないか）？"),
               T("treat the acquirer as a foreign investor and file", "外国投資家とみなして届出を行う"), WHO_ACQUIRER)
    else:
        status = False
        r.say("No deeming rule was in force on this date.", "本基準日にはみなし規定は施行されていない。")
    if status is True and principal_foreign is None:
        status = None
    summary = {True: T(f"Deemed a foreign investor (acting for {principal.name}).", f"外国投資家とみなされる（{principal.name}のため）。"),
               False: T("Not deemed a foreign investor.", "外国投資家とはみなされない。"),
               None: T("Deemed foreign-investor status is indeterminate.", "みなし外国投資家該当性は未確定。")}[status]
    return Conclusion(**r.conclude("deemed_foreign_investor", status_of(status), summary))


# -- the acquirer's class for the exemption -------------------------------------------------------

def _state_test(regime: Regime, count_accredited: bool) -> LookThrough:
    def base(e: Entity) -> Tri:
        if e.kind in STATE_KINDS and not is_home(e, regime):
            if e.kind in ("sovereign_wealth_fund", "public_pension") and e.accredited and not count_accredited:
                return False
            return True
        if e.state_owned_pct is not None and not is_home(e, regime):
            return bool(regime.meets("state_control_pct", e.state_owned_pct))
        return False

    return LookThrough(base=base, limit_met=lambda e, held: bool(regime.meets("state_control_pct", held)))


def is_foreign_government_entity(deal: Deal, regime: Regime) -> tuple[Tri, Tri]:
    """外国政府等: a foreign government, SOE or entity they control. Returns (counting accredited
    SWFs/pensions, not counting them)."""
    any_state = look_through(deal, _state_test(regime, True)).status[deal.acquirer]
    non_accredited = look_through(deal, _state_test(regime, False)).status[deal.acquirer]
    return any_state, non_accredited


def _officer_ratio_met(e: Entity, regime: Regime) -> Tri:
    o = e.officers
    if o is None or o.appointed_by_state_or_obliged is None or not o.directors_total:
        return None
    return regime.meets("specified_foreign_investor_officer_pct", Fraction(100 * o.appointed_by_state_or_obliged, o.directors_total))


def is_specified_foreign_investor(deal: Deal, regime: Regime, r: Reasoning) -> Tri:
    """特定外国投資家 (from 2025-05-19): obliged to cooperate with a foreign government's
    information gathering, or controlled by such persons or a foreign government (capital, officers,
    voting instructions). Owners' unknown duties are read as 'no' and listed as facts to confirm."""
    if not regime.in_force("specified_foreign_investor_class"):
        return False
    r.cite("specified_foreign_investor_class")
    state = _state_test(regime, True)

    def base(e: Entity) -> Tri:
        control = bool(e.voting_instructions_from_obliged) or bool(_officer_ratio_met(e, regime))
        if e.id != deal.acquirer:
            return bool(e.information_cooperation_duty) or control or bool(state.base(e))
        return True if control else e.information_cooperation_duty

    test = LookThrough(base=base, limit_met=lambda e, held: bool(regime.meets("specified_foreign_investor_capital_pct", held)))
    result = look_through(deal, test).status[deal.acquirer]
    acq = deal.entity(deal.acquirer)
    unknown_owners = [e.name for e in map(deal.entity, holders_above(deal, acq.id)) if e.id != acq.id
                      and e.information_cooperation_duty is None and e.kind != "individual"]
    if unknown_owners:
        r.need("entities[*].information_cooperation_duty",
               T(f"Confirm that none of {', '.join(unknown_owners)} is obliged to cooperate with a foreign government's information gathering.",
                 f"{'、'.join(unknown_owners)}が外国政府の情報収集への協力義務を負っていないことの確認。"),
               T("if any is, the acquirer may be a specified foreign investor: no exemption", "該当する場合は特定外国投資家となり免除不可"),
               WHO_ACQUIRER)
    if result is None:
        i = deal.entity_index(acq.id)
        r.need(f"entities[{i}].information_cooperation_duty",
               T(f"Is {acq.name} obliged by foreign law or agreement to cooperate with a foreign government's information gathering?",
                 f"{acq.name}は外国の法令又は合意により外国政府の情報収集に協力する義務を負うか？"),
               T("treat as a specified foreign investor: no exemption", "特定外国投資家として扱う（免除不可）"), WHO_ACQUIRER)
    return result


def is_equivalent_to_specified(deal: Deal, regime: Regime, r: Reasoning) -> Tri:
    """特定外国投資家に準ずる者 (from 2025-05-19): real decisions by obliged persons, decisions at an
    office in an obliging country, or a contractual duty to disclose information for foreign intelligence."""
    if not regime.in_force("specified_foreign_investor_class"):
        return False
    acq = deal.entity(deal.acquirer)
    result = tri_any([acq.decisions_by_obliged_persons, acq.decisions_at_office_in_obliging_country,
                      acq.contractual_disclosure_duty])
    if result is None:
        i = deal.entity_index(acq.id)
        r.need(f"entities[{i}].decisions_by_obliged_persons",
               T(f"Are {acq.name}'s real decisions taken by persons obliged to cooperate with foreign intelligence, at an office in such a country, or is it bound by contract to disclose information for it?",
                 f"{acq.name}の実質的な意思決定は情報収集義務者又はその国の事務所で行われるか、又は情報開示の契約上の義務を負うか？"),
               T("treat as equivalent to a specified foreign investor", "特定外国投資家に準ずる者として扱う"), WHO_ACQUIRER)
    return result


def is_foreign_financial_institution(e: Entity) -> bool:
    """外国金融機関: a regulated securities firm, bank, insurer, asset manager, trust or investment company."""
    return e.regulated_financial_institution or e.kind == "financial_institution"


def investor_class(deal: Deal, regime: Regime, foreign: ForeignInvestorConclusion) -> InvestorClassConclusion:
    """The acquirer's class for the exemption scheme, most restrictive first."""
    r = Reasoning(regime)
    acq = deal.entity(deal.acquirer)
    if foreign.status == "no":
        return InvestorClassConclusion(**r.conclude("investor_class", "no", T("Not a foreign investor.", "外国投資家でない。"),
                                                    investor_class="not_foreign"))
    checks: list[tuple[InvestorClass, Tri, str, str, str]] = []
    checks.append(("violator", acq.fefta_violation_sanctioned, "violator_excluded",
                   "It has been sanctioned for breaching FEFTA.", "外為法違反により処分を受けている。"))
    any_state, non_accredited = is_foreign_government_entity(deal, regime)
    checks.append(("foreign_government", non_accredited, "foreign_government_excluded",
                   "It is a foreign government, state-owned enterprise or an entity they control (外国政府等).",
                   "外国政府等（国有企業等を含む）又はその支配下にある者である。"))
    checks.append(("specified_foreign_investor", is_specified_foreign_investor(deal, regime, r), "specified_foreign_investor_excluded",
                   "It is a specified foreign investor (特定外国投資家): obliged, or controlled by persons obliged, to cooperate with a foreign government's information gathering.",
                   "外国政府の情報収集への協力義務を負う者又はその支配下にある者（特定外国投資家）である。"))
    checks.append(("equivalent_to_specified", is_equivalent_to_specified(deal, regime, r), "equivalent_specified_core_entity_excluded",
                   "It is a person equivalent to a specified foreign investor (特定外国投資家に準ずる者).",
                   "特定外国投資家に準ずる者である。"))
    undecided: list[str] = []
    for cls, val, item, en, ja in checks:
        if val is True:
            r.say(en, ja, item)
            return InvestorClassConclusion(**r.conclude("investor_class", "yes", _CLASS_TEXT[cls], investor_class=cls))
        if val is None:
            undecided.append(cls)
    if any_state and not non_accredited:
        r.say("It is a sovereign wealth fund or public pension accredited by MOF (認証SWF等); it may use the exemption like a general investor.",
              "財務省の認証を受けたSWF・公的年金（認証SWF等）であり、一般投資家と同様に免除を利用できる。", "foreign_government_excluded")
        cls: InvestorClass = "accredited_swf"
    elif is_foreign_financial_institution(acq):
        r.say("It is a regulated foreign financial institution (外国金融機関).", "規制を受ける外国金融機関である。",
              "foreign_financial_institution_no_upper_limit")
        cls = "foreign_financial_institution"
    else:
        r.say("None of the restricted classes applies: it is a general investor (一般投資家).",
              "制限された類型に該当せず、一般投資家である。")
        cls = "general_investor"
    if undecided:
        r.say("Its class is open until these are confirmed: " + ", ".join(undecided) + ".",
              "次の点が確認されるまで類型は未確定：" + "、".join(undecided) + "。")
        if "violator" in undecided:
            i = deal.entity_index(acq.id)
            r.need(f"entities[{i}].fefta_violation_sanctioned", T(f"Has {acq.name} been sanctioned for breaching FEFTA?", f"{acq.name}は外為法違反で処分を受けたことがあるか？"),
                   T("no exemption", "免除不可として扱う"), WHO_ACQUIRER)
        return InvestorClassConclusion(**r.conclude("investor_class", "indeterminate", T(f"Probably {_CLASS_TEXT[cls].en.lower()} (to confirm).", f"{_CLASS_TEXT[cls].ja}（要確認）。"),
                                                    investor_class=cls))
    return InvestorClassConclusion(**r.conclude("investor_class", "yes", _CLASS_TEXT[cls], investor_class=cls))


_CLASS_TEXT = {
    "violator": T("A person sanctioned under FEFTA", "外為法違反処分を受けた者"),
    "foreign_government": T("A foreign government or state-controlled entity", "外国政府等"),
    "specified_foreign_investor": T("A specified foreign investor", "特定外国投資家"),
    "equivalent_to_specified": T("A person equivalent to a specified foreign investor", "特定外国投資家に準ずる者"),
    "foreign_financial_institution": T("A foreign financial institution", "外国金融機関"),
    "accredited_swf": T("An accredited SWF or public pension", "認証SWF等"),
    "general_investor": T("A general investor", "一般投資家"),
}
