"""Who the acquirer is in law: foreign investor (外国投資家), deemed foreign investor, and its class
for the exemption (foreign financial institution, foreign government etc., specified foreign investor)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np
from pydantic import Field

from fdiscreen.filing.conclusion import (WHO_ACQUIRER, Conclusion, Reasoning, status_of)
from fdiscreen.i18n import T
from fdiscreen.model import Deal, Entity
from fdiscreen.columns import NO, UNKNOWN, YES, tri_value
from fdiscreen.lookthrough import (COMPANY_KINDS, KIND, LAW_ATTRIBUTION, STATE_KINDS, Edges,
                                   EntityTable, Marks, Test, Usage, entity_table, fully_attributed, limit, record_use, run, use)
from fdiscreen.lookthrough import attribution_method as _attribution_method
from fdiscreen.ownership import Tri, chains_to_ultimate_owners, holders_above, is_home, tri_any
from fdiscreen.regime import Regime

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


# -- Art. 26(1): the five categories, over the columns of every entity ---------------------------

@dataclass
class Marked:
    """Which entities of one deal a look-through test marks (True, False, None for unknown), and for those
    marked through their holders, the holders whose stakes counted (``via``)."""

    status: dict[str, Tri]
    via: dict[str, list[str]] = field(default_factory=dict)
    category: dict[str, int | None] = field(default_factory=dict)


def entity_columns(deal: Deal, regime: Regime) -> EntityTable:
    """The deal's entities as a batch of one (built once per entity list)."""
    return deal.entity_table(lambda: entity_table([deal], regime.catalog.home_country))


def non_resident_individual(t: EntityTable) -> np.ndarray:
    """Art. 26(1)(i): an individual not resident in Japan, whatever the nationality (where residence is
    not stated, one living abroad by jurisdiction)."""
    return (t.kind == KIND["individual"]) & np.where(t.resident != UNKNOWN, t.resident == NO, ~t.jurisdiction_home)


def _officer_limbs(t: EntityTable, regime: Regime, limbs: tuple[tuple[str, str], ...], item: str, usage: Usage) -> np.ndarray:
    """Tri per row: one of the officer limbs (part of whole, each whole given and non-zero) meets ``item``;
    unknown when no officer counts are given or no limb can be tested."""
    lim = limit(regime, item)
    use(usage, item, t.officers)
    if not t.officers.any():
        return np.full(t.n, UNKNOWN, dtype=np.int8)
    cols: list[np.ndarray] = []
    for part, whole in limbs:
        p, w = t.counts[part], t.counts[whole]
        active = w > 0
        met = t.scale.ratio_meets(np.maximum(p, 0), np.maximum(w, 1), lim.value, lim.op)
        value = np.where(p < 0, UNKNOWN, np.where(met, YES, NO)) if lim.value is not None else np.full(t.n, UNKNOWN)
        cols.append(np.where(active, value, -2))           # -2: limb not tested
    stacked = np.stack(cols)
    tested = (stacked != -2).any(axis=0)
    yes = (stacked == YES).any(axis=0)
    no = ((stacked == NO) | (stacked == -2)).all(axis=0)
    out = np.where(yes, YES, np.where(no & tested, NO, UNKNOWN))
    return np.where(t.officers & tested, out, UNKNOWN).astype(np.int8)


def non_resident_officer_majority(t: EntityTable, regime: Regime, usage: Usage) -> np.ndarray:
    """Art. 26(1)(v): non-resident individuals hold more than half of the directors or of the officers
    with representative authority (tri per row)."""
    return _officer_limbs(t, regime, (("directors_non_resident", "directors_total"),
                                      ("representatives_non_resident", "representatives_total")),
                          "nonresident_officers_more_than_pct", usage)


def item_1_or_2(t: EntityTable, regime: Regime) -> np.ndarray:
    """Art. 26(1)(i)-(ii), the persons whose direct holdings item (iii) counts ("前二号に掲げるもの"): a
    non-resident individual, or an entity established under foreign law or with its principal office
    abroad; from 2020-05-08 not an investment partnership (特定組合等), which item (ii) excludes."""
    individual = t.kind == KIND["individual"]
    out = np.where(individual, non_resident_individual(t), ~t.home)
    if not regime.in_force("partnership_as_foreign_law_entity"):
        out &= t.kind != KIND["partnership"]
    return out


def _partnership_own_facts(t: EntityTable, regime: Regime, usage: Usage) -> np.ndarray:
    """A partnership on its own facts (tri). Before 2020-05-08 (no partnership item): a foreign-law or
    foreign-seated partnership is an organisation under item (ii), a Japanese one is not itself a
    foreign investor. From 2020-05-08, Art. 26(1)(iv): foreign on a stated foreign contribution share
    at the limit; open while the executing partners are not given, since a non-resident majority of them
    suffices alone. Listed contributions and executing partners are counted by the look-through."""
    if regime.in_force("partnership_as_foreign_law_entity"):
        return np.where(t.home, NO, YES).astype(np.int8)
    lim = limit(regime, "partnership_foreign_contribution_pct")
    use(usage, lim.item, (t.kind == KIND["partnership"]) & t.foreign_contribution_known)
    stated = t.foreign_contribution_known & t.scale.meets(t.foreign_contribution, lim.value, lim.op)
    open_ = ~t.has_partnership | (t.gp_count == 0)
    return np.where(stated, YES, np.where(open_, UNKNOWN, NO)).astype(np.int8)


def own_foreign_facts(t: EntityTable, regime: Regime, usage: Usage) -> np.ndarray:
    """Each entity foreign on its own facts (tri): items (i), (ii), (iv) on stated shares, and (v)."""
    individual = t.kind == KIND["individual"]
    partnership = t.kind == KIND["partnership"]
    other = np.where(~t.home, YES, non_resident_officer_majority(t, regime, usage))
    out = np.where(individual, np.where(non_resident_individual(t), YES, NO),
                   np.where(partnership, _partnership_own_facts(t, regime, usage), other))
    return out.astype(np.int8)


def partnership_split_unknown(t: EntityTable, at: int | slice = slice(None)) -> Any:
    """Art. 26(1)(iv): the partnership's contribution split is not given (no foreign share stated and the
    listed contributions fall short of the whole); ``at``: the rows asked about (one row: a numpy bool)."""
    return ~t.has_partnership[at] | (~t.foreign_contribution_known[at] & t.contributions_short[at])


def _foreign_test(t: EntityTable, regime: Regime) -> Test:
    """FEFTA Art. 26(1) with Cabinet Order Art. 2(1): the look-through over holdings (companies) and
    contributions and executing partners (partnerships)."""
    partnership = t.kind == KIND["partnership"]
    by_contribution = partnership & t.has_partnership
    edges = _concat(t.owners.where(~by_contribution[t.owners.held]), t.contributions.where(by_contribution[t.contributions.held]))
    companies = t.kind_in(COMPANY_KINDS)
    partnership_limit = limit(regime, "partnership_foreign_contribution_pct")
    remainder = (partnership & (partnership_limit.value is not None) & partnership_split_unknown(t)) | \
        (companies & t.home & (t.owners_complete != YES))
    method = _attribution_method(regime)
    law = method in LAW_ATTRIBUTION
    usage: Usage = {}
    use(usage, partnership_limit.item, partnership)
    if law:
        for item in ("indirect_attribution_intermediate_pct", "indirect_attribution_subsidiary_more_than_pct"):
            use(usage, item, companies & t.home)
    use(usage, "partnership_nonresident_executing_partners_more_than_pct", partnership & (t.gp_count > 0))
    return Test(seed=own_foreign_facts(t, regime, usage), seed_used=usage, edges=edges,
                limits=((partnership, partnership_limit), (companies, limit(regime, "foreign_owned_company_pct"))),
                remainder_rows=remainder, extra=_executing_partner_majority(t, regime),
                dynamic=partnership[edges.held] if law else None,
                fixed=_item_3_counted(t, regime, edges, remainder, method) if law else None,
                proportional=method == "proportional")


def _concat(a: Edges, b: Edges) -> Edges:
    return Edges(np.concatenate([a.holder, b.holder]), np.concatenate([a.held, b.held]), np.concatenate([a.stake, b.stake]))


def _executing_partner_majority(t: EntityTable, regime: Regime) -> Callable[[np.ndarray], np.ndarray]:
    """Art. 26(1)(iv): marked (non-resident etc.) persons are more than half of the executing partners."""
    lim = limit(regime, "partnership_nonresident_executing_partners_more_than_pct")
    g = t.executing
    rows = (t.kind == KIND["partnership"]) & (t.gp_count > 0)

    def met(marked: np.ndarray) -> np.ndarray:
        foreign_gps = np.bincount(g.held, weights=marked[g.holder], minlength=t.n).astype(np.int64)
        return rows & t.scale.ratio_meets(foreign_gps, np.maximum(t.gp_count, 1), lim.value, lim.op)

    return met


def _item_3_counted(t: EntityTable, regime: Regime, edges: Edges, remainder: np.ndarray,
                    method: str) -> Callable[[bool], np.ndarray]:
    """Art. 26(1)(iii) with Cabinet Order Art. 2(1): a holder's votes in a company count when it is an
    item 1/2 person (direct) or a company held at least half by such persons, or (from 2020-05-08) a
    Companies Act subsidiary of one (indirect, in full), whatever the marks."""
    companies = t.kind_in(COMPANY_KINDS) & t.home
    direct = item_1_or_2(t, regime)
    parent = limit(regime, "indirect_attribution_intermediate_pct")
    subsidiary = limit(regime, "indirect_attribution_subsidiary_more_than_pct") if method == "full_if_half_held_or_subsidiary" else None
    into_partnership = t.kind[edges.held] == KIND["partnership"]
    cache: dict[bool, np.ndarray] = {}

    def fixed(unknown_as: bool) -> np.ndarray:
        if unknown_as not in cache:
            counted = direct | fully_attributed(t, companies, direct, parent, subsidiary, remainder, unknown_as)
            cache[unknown_as] = ~into_partnership & counted[edges.holder]
        return cache[unknown_as]

    return fixed


class InvestorColumns:
    """Every look-through answer of the investor rules for every entity of a table's deals: foreign
    status (with its edges and categories), foreign government counting accredited funds and not, and
    specified foreign investor (None before the class existed); each with the rows that needed each item.
    The foreign-government and specified tests run on first use (a table of deals none of which is by
    a foreign investor never needs them)."""

    def __init__(self, t: EntityTable, regime: Regime) -> None:
        self.table = t
        self._regime = regime
        test = _foreign_test(t, regime)
        self.foreign: Marks = run(t, test)
        self.foreign_edges: Edges = test.edges
        self.category: np.ndarray = _categories(t, regime, self.foreign)

    @cached_property
    def state(self) -> tuple[Marks, Marks]:
        """外国政府等, counting accredited SWFs and pensions, and not counting them."""
        t, regime = self.table, self._regime
        usage: Usage = {}
        seeds = [_state_seed(t, regime, c, usage) for c in (True, False)]
        return (run(t, _controlled_test(t, seeds[0], regime, "state_control_pct", usage)),
                run(t, _controlled_test(t, seeds[1], regime, "state_control_pct", usage)))

    @cached_property
    def specified(self) -> Marks | None:
        """特定外国投資家 (None before the class existed)."""
        t, regime = self.table, self._regime
        if regime.peek("specified_foreign_investor_class") in (None, False):
            return None
        usage: Usage = {}
        return run(t, _controlled_test(t, _specified_seed(t, regime, usage), regime, "specified_foreign_investor_capital_pct", usage))


def investor_columns(t: EntityTable, regime: Regime) -> InvestorColumns:
    """The investor rules' look-through tests over the whole table (each run once)."""
    return InvestorColumns(t, regime)


@dataclass(frozen=True)
class DealRows:
    """One deal's rows in a table's investor columns (a batch of one when screened alone)."""

    columns: InvestorColumns
    deal_row: int

    @property
    def rows(self) -> slice:
        return self.columns.table.of_deal(self.deal_row)

    def acquirer(self, deal: Deal) -> int:
        return self.rows.start + deal.entity_index(deal.acquirer)


def deal_rows(deal: Deal, regime: Regime, rows: DealRows | None = None) -> DealRows:
    """The deal's rows: those given (a batch computed them), else the deal alone as a table of one."""
    if rows is not None:
        return rows
    return DealRows(investor_columns(entity_columns(deal, regime), regime), 0)


def foreign_status(deal: Deal, regime: Regime, rows: DealRows | None = None) -> Marked:
    """Foreign-investor status of every entity in the file (Art. 26(1)), cycles included, with each
    entity's category (1-5) where it is foreign."""
    at = deal_rows(deal, regime, rows)
    c = at.columns
    record_use(regime, c.foreign.used, at.rows)
    return _marked(c.table, c.foreign, c.foreign_edges, c.category, at.rows)


def _categories(t: EntityTable, regime: Regime, marks: Marks) -> np.ndarray:
    """Art. 26(1) item (1-5) of each foreign row (0 none): own facts first, then the look-through."""
    marked = marks.status == YES
    partnership = t.kind == KIND["partnership"]
    foreign_law_partnership = regime.in_force("partnership_as_foreign_law_entity")
    company = np.where(~t.home, 2, np.where(non_resident_officer_majority(t, regime, {}) == YES, 5, np.where(marked, 3, 0)))
    part = np.where(marked & ~t.home, 2, 0) if foreign_law_partnership else np.where(marked, 4, 0)
    return np.where(t.kind == KIND["individual"], np.where(non_resident_individual(t), 1, 0),
                    np.where(partnership, part, company))


def _marked(t: EntityTable, marks: Marks, edges: Edges, category: np.ndarray, rows: slice) -> Marked:
    """One deal's marks (its ``rows`` of the table) as the per-deal conclusions read them."""
    status: dict[str, Tri] = {t.ids[i]: tri_value(marks.status[i]) for i in range(rows.start, rows.stop)}
    via: dict[str, list[str]] = {}
    inside = (edges.held >= rows.start) & (edges.held < rows.stop)
    for pos in np.flatnonzero(marks.via & inside):
        via.setdefault(t.ids[edges.held[pos]], []).append(t.ids[edges.holder[pos]])
    cats = {t.ids[i]: (int(category[i]) or None) for i in range(rows.start, rows.stop)}
    return Marked(status=status, via=via, category=cats)


def _category(e: Entity, regime: Regime, marked: Marked) -> int | None:
    return marked.category.get(e.id)


def _path_to_foreign(deal: Deal, start: str, marked: Marked) -> list[str]:
    """The chain from ``start`` through marked owners to the first entity foreign on its own facts."""
    path = [start]
    while path[-1] in marked.via and marked.via[path[-1]]:
        nxt = next((o for o in marked.via[path[-1]] if o not in path), None)
        if nxt is None:
            break
        path.append(nxt)
    return path


def _unknown_foreign_facts(deal: Deal, regime: Regime, r: Reasoning, at: DealRows) -> None:
    """List the facts whose absence leaves foreign-investor status open, along the acquirer's chain
    (``at``: the deal's rows in the investor columns)."""
    seen: set[str] = set()
    for chain in chains_to_ultimate_owners(deal, deal.acquirer):
        for eid in chain:
            if eid in seen:
                continue
            seen.add(eid)
            e = deal.entity(eid)
            i = deal.entity_index(e.id)
            if e.kind == "partnership":
                _unknown_partnership_facts(e, i, regime, r, at.columns.table, at.rows.start + i)
            elif e.kind != "individual" and is_home(e, regime):
                if e.officers is None:
                    r.need(f"entities[{i}].officers", T(f"How many of {e.name}'s directors and representative directors are non-residents?",
                                                         f"{e.name}の取締役・代表取締役のうち非居住者は何名か？"),
                           T("treat as a foreign investor", "外国投資家として扱う"), WHO_ACQUIRER)
                if e.kind in COMPANY_KINDS and e.owners_complete is not True:
                    r.need(f"entities[{i}].owners", T(f"Who holds the rest of {e.name}'s voting rights, and are they foreign?",
                                                       f"{e.name}のその他の議決権の保有者は誰か、外国投資家か？"),
                           T("count unlisted holders as foreign", "不明な保有者を外国投資家として数える"), WHO_ACQUIRER)


def _unknown_partnership_facts(e: Entity, i: int, regime: Regime, r: Reasoning, t: EntityTable, row: int) -> None:
    """Art. 26(1)(iv) (from 2020-05-08): either limb suffices, so both unknown facts are named. ``i``: the
    entity's place in its deal; ``row``: its row in the entity columns ``t``."""
    if regime.value("partnership_foreign_contribution_pct") is None:
        return
    gps_unknown = not t.has_partnership[row] or t.gp_count[row] == 0
    split_unknown = bool(partnership_split_unknown(t, row))
    if gps_unknown:
        r.need(f"entities[{i}].partnership.executing_partners",
               T(f"Who are the executing partners (業務執行組合員) of {e.name}, and are a majority of them non-residents etc.?",
                 f"{e.name}の業務執行組合員は誰か、その過半数が非居住者等か？"),
               T("treat the partnership as a foreign investor", "外国投資家として扱う"), WHO_ACQUIRER)
    if split_unknown:
        r.need(f"entities[{i}].partnership.contributions",
               T(f"What share of {e.name}'s total contributions comes from foreign investors?",
                 f"{e.name}の出資総額のうち外国投資家からの出資の割合は？"),
               T("treat the partnership as a foreign investor", "外国投資家として扱う"), WHO_ACQUIRER)


def _partnership_reasons(acq: Entity, cat: int | None, regime: Regime, r: Reasoning) -> None:
    """Which version of the partnership rule decided (per-period citations)."""
    if acq.kind != "partnership":
        return
    if regime.in_force("partnership_as_foreign_law_entity"):
        if cat == 2:
            r.say("Before 2020-05-08 the Act had no partnership item: a partnership formed under foreign law is an organisation established under foreign law (Art. 26(1)(ii)).",
                  "2020年5月8日前の法には組合に関する号がなく、外国法令に基づく組合は外国法令に基づいて設立された団体（法26条1項2号）に当たる。",
                  "partnership_as_foreign_law_entity")
        else:
            r.say("Before 2020-05-08 a Japanese partnership (任意組合, LPS) was not itself a foreign investor; its foreign partners' own shares are not assessed here.",
                  "2020年5月8日前は、本邦の組合（任意組合・投資事業有限責任組合）はそれ自体としては外国投資家に当たらない（外国組合員ごとの判断はここでは行わない）。",
                  "partnership_as_foreign_law_entity")
        return
    r.cite("partnership_as_foreign_law_entity")
    r.cite("partnership_foreign_contribution_pct")
    r.cite("partnership_nonresident_executing_partners_more_than_pct")


def is_foreign_investor(deal: Deal, regime: Regime, rows: DealRows | None = None) -> ForeignInvestorConclusion:
    """Is the acquirer a foreign investor (外国投資家, FEFTA Art. 26(1)), or deemed one (みなし外国投資家)?
    ``rows``: the deal's rows in a batch's investor columns (else the deal is a batch of one)."""
    r = Reasoning(regime)
    r.cite("foreign_investor_framework")
    at = deal_rows(deal, regime, rows)
    marked = foreign_status(deal, regime, at)
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
                  "foreign_owned_company_pct", "indirect_voting_attribution", "indirect_attribution_intermediate_pct")
            if regime.value("indirect_attribution_subsidiary_more_than_pct") is not None:
                r.cite("indirect_attribution_subsidiary_more_than_pct")
        if cat == 5:
            r.cite("nonresident_officers_more_than_pct")
    elif own is False:
        r.say(f"{acq.name} is resident in Japan in every sense Art. 26(1) tests: Japanese-law entity with its office in Japan, "
              "mostly resident officers, and foreign holders below the threshold.",
              f"{acq.name}は本邦法人で本邦に主たる事務所を有し、役員の過半が居住者で、外国投資家の議決権も基準未満である。",
              "foreign_owned_company_pct", "indirect_voting_attribution", "nonresident_officers_more_than_pct")
    else:
        r.say(f"Whether {acq.name} is a foreign investor depends on facts the file does not give.",
              f"{acq.name}が外国投資家に該当するかは、ファイルにない事実に依存する。", "foreign_owned_company_pct")
        _unknown_foreign_facts(deal, regime, r, at)
    _partnership_reasons(acq, cat, regime, r)
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
    """Is a non-foreign acquirer deemed a foreign investor because it acts for a foreign investor
    without using its name (名義によらない取得)? The existing rule (old Art. 26(5) before 1998; Art. 27(14)
    now, and Art. 55-5(3) for reports) covers acting for the principal's account and under a contract
    alike; the 2026 amendment widens it, it does not create it."""
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
    how = {"for_account": T("for its account", "その計算において"), "contract": T("under a contract", "契約に基づき")}[nominee.arrangement]
    if existing:
        status = principal_foreign
        r.say(f"The acquirer acts {how.en} for {principal.name} without using its name: the existing rule (名義によらない取得) treats it as the foreign investor, whatever the form of the arrangement.",
              f"取得者は{principal.name}のために{how.ja}その名義によらないで行為しており、現行のみなし規定（名義によらない取得）により外国投資家とみなされる（取決めの形式を問わない）。")
        if widened:
            r.say("The 2026 amendment, in force on this date, widens the rule (specified acquisitions and arrangements the cabinet order defines); it confirms the answer here.",
                  "本基準日に施行済みの2026年改正は、この規定を拡大する（特定取得及び政令で定める取決めを含む）もので、本件の結論を変えない。")
    elif widened:
        status = principal_foreign
        r.say(f"The 2026 amendment (in force on this date) deems a person acting under a contract for non-residents etc. to be a foreign investor; it applies to the arrangement with {principal.name}.",
              f"2026年改正（本基準日に施行済み）により、契約等に基づき非居住者等のために行う者は外国投資家とみなされ、{principal.name}との取決めに適用される。")
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

def _state_seed(t: EntityTable, regime: Regime, count_accredited: bool, usage: Usage) -> np.ndarray:
    """外国政府等 on own facts: a foreign government, SOE, SWF or public pension (accredited SWFs and
    pensions only when ``count_accredited``), or a foreign entity whose stated state ownership meets the limit."""
    state_kind = t.kind_in(STATE_KINDS) & ~t.home
    accredited = t.kind_in({"sovereign_wealth_fund", "public_pension"}) & t.accredited & (not count_accredited)
    lim = limit(regime, "state_control_pct")
    use(usage, lim.item, t.state_owned_known & ~t.home & ~t.kind_in(STATE_KINDS))
    owned = t.state_owned_known & ~t.home & t.scale.meets(t.state_owned, lim.value, lim.op)
    return np.where(state_kind, np.where(accredited, NO, YES), np.where(owned, YES, NO)).astype(np.int8)


def _controlled_test(t: EntityTable, seed: np.ndarray, regime: Regime, item: str, usage: Usage) -> Test:
    """Own facts, or holders so marked holding ``item`` of the voting rights (in full)."""
    return Test(seed=seed, edges=t.owners, limits=((np.ones(t.n, dtype=bool), limit(regime, item)),),
                remainder_rows=np.zeros(t.n, dtype=bool), seed_used=usage)


def is_foreign_government_entity(deal: Deal, regime: Regime, rows: DealRows | None = None) -> tuple[Tri, Tri]:
    """外国政府等: a foreign government, SOE or entity they control. Returns (counting accredited
    SWFs/pensions, not counting them)."""
    at = deal_rows(deal, regime, rows)
    for marks in at.columns.state:
        record_use(regime, marks.used, at.rows)
    acquirer = at.acquirer(deal)
    counting, not_counting = at.columns.state
    return tri_value(counting.status[acquirer]), tri_value(not_counting.status[acquirer])


def specified_officer_ratio(t: EntityTable, regime: Regime, usage: Usage) -> np.ndarray:
    """特定外国投資家, officer limb (2025): one third or more of the directors, or of the officers with
    representative authority, appointed by or staff of a foreign government or an obliged person (tri)."""
    return _officer_limbs(t, regime, (("appointed_by_state_or_obliged", "directors_total"),
                                      ("representatives_appointed_by_state_or_obliged", "representatives_total")),
                          "specified_foreign_investor_officer_pct", usage)


def _specified_seed(t: EntityTable, regime: Regime, usage: Usage) -> np.ndarray:
    """特定外国投資家 on own facts: obliged to cooperate with foreign information gathering, or controlled
    by officers or voting instructions; owners' unknown duties read as "no", the acquirer's left open."""
    control = t.voting_instructions | (specified_officer_ratio(t, regime, usage) == YES)
    owner = (t.information_duty == YES) | control | (_state_seed(t, regime, True, usage) == YES)
    acquirer = np.where(control, YES, t.information_duty)
    return np.where(t.acquirer, acquirer, np.where(owner, YES, NO)).astype(np.int8)


def is_specified_foreign_investor(deal: Deal, regime: Regime, r: Reasoning, rows: DealRows | None = None) -> Tri:
    """特定外国投資家 (from 2025-05-19): obliged to cooperate with a foreign government's
    information gathering, or controlled by such persons or a foreign government (capital, officers,
    voting instructions). Owners' unknown duties are read as 'no' and listed as facts to confirm."""
    if not regime.in_force("specified_foreign_investor_class"):
        return False
    r.cite("specified_foreign_investor_class")
    r.cite("specified_foreign_investor_officer_pct")
    at = deal_rows(deal, regime, rows)
    marks = at.columns.specified
    assert marks is not None  # computed whenever the class is in force
    record_use(regime, marks.used, at.rows)
    result = tri_value(marks.status[at.acquirer(deal)])
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


def is_foreign_financial_institution(e: Entity) -> Tri:
    """外国金融機関: a securities firm, bank, insurer, asset manager, trust or investment company and the
    like, supervised under its home law. Regulation is the test, not the kind: an unregulated
    'financial institution' is a general investor; with regulation unknown, an entity of kind
    financial_institution is open (None), any other kind is not one."""
    if e.regulated_financial_institution is not None:
        return e.regulated_financial_institution
    return None if e.kind == "financial_institution" else False


def investor_class(deal: Deal, regime: Regime, foreign: ForeignInvestorConclusion, rows: DealRows | None = None) -> InvestorClassConclusion:
    """The acquirer's class for the exemption scheme, most restrictive first."""
    r = Reasoning(regime)
    acq = deal.entity(deal.acquirer)
    if foreign.status == "no":
        return InvestorClassConclusion(**r.conclude("investor_class", "no", T("Not a foreign investor.", "外国投資家でない。"),
                                                    investor_class="not_foreign"))
    checks: list[tuple[InvestorClass, Tri, str, str, str]] = []
    checks.append(("violator", acq.fefta_violation_sanctioned, "violator_excluded",
                   "It has been sanctioned for breaching FEFTA.", "外為法違反により処分を受けている。"))
    any_state, non_accredited = is_foreign_government_entity(deal, regime, rows)
    checks.append(("foreign_government", non_accredited, "foreign_government_excluded",
                   "It is a foreign government, state-owned enterprise or an entity they control (外国政府等).",
                   "外国政府等（国有企業等を含む）又はその支配下にある者である。"))
    checks.append(("specified_foreign_investor", is_specified_foreign_investor(deal, regime, r, rows), "specified_foreign_investor_excluded",
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
    elif (fi := is_foreign_financial_institution(acq)) is True:
        r.say("It is a regulated foreign financial institution (外国金融機関).", "規制を受ける外国金融機関である。",
              "foreign_financial_institution_no_upper_limit")
        cls = "foreign_financial_institution"
    else:
        cls = "general_investor"
        if fi is None:
            _unknown_regulation(deal, acq, r)
            undecided.append("foreign_financial_institution")
        elif acq.kind == "financial_institution":
            r.say("It is a financial institution but not supervised as one under its home law, so not a foreign financial institution (外国金融機関): a general investor (一般投資家).",
                  "金融機関であるが本国の法令に基づく監督を受けていないため外国金融機関に当たらず、一般投資家である。",
                  "foreign_financial_institution_no_upper_limit")
        else:
            r.say("None of the restricted classes applies: it is a general investor (一般投資家).",
                  "制限された類型に該当せず、一般投資家である。")
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


def _unknown_regulation(deal: Deal, acq: Entity, r: Reasoning) -> None:
    i = deal.entity_index(acq.id)
    r.say("Whether it is supervised as a financial institution under its home law is not given; until confirmed it is read as a general investor (regular exemption only).",
          "本国の法令に基づき金融機関として監督を受けているかが不明であり、確認されるまで一般投資家（一般免除のみ）として扱う。",
          "foreign_financial_institution_no_upper_limit")
    r.need(f"entities[{i}].regulated_financial_institution",
           T(f"Is {acq.name} supervised as a bank, securities firm, insurer, asset manager, trust company or the like by an authority under its home law?",
             f"{acq.name}は本国の法令に基づき銀行・証券会社・保険会社・資産運用会社・信託会社等として当局の監督を受けているか？"),
           T("general investor (regular exemption only)", "一般投資家（一般免除のみ）"), WHO_ACQUIRER)


_CLASS_TEXT = {
    "violator": T("A person sanctioned under FEFTA", "外為法違反処分を受けた者"),
    "foreign_government": T("A foreign government or state-controlled entity", "外国政府等"),
    "specified_foreign_investor": T("A specified foreign investor", "特定外国投資家"),
    "equivalent_to_specified": T("A person equivalent to a specified foreign investor", "特定外国投資家に準ずる者"),
    "foreign_financial_institution": T("A foreign financial institution", "外国金融機関"),
    "accredited_swf": T("An accredited SWF or public pension", "認証SWF等"),
    "general_investor": T("A general investor", "一般投資家"),
}
