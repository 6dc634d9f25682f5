"""Closely related persons (密接関係者 / 特別の関係にある者): who, among the entities of the deal file, is in a
special relationship with the investor, and how much of the target they hold.

FEFTA Art. 26(2)(iii)-(iv) measure every threshold on the investor's holding together with that of the persons
the Cabinet Order (対内直接投資等に関する政令 Art. 2) lists as being in a special relationship with it. The
kinds in force, the 50% control test and whether control runs down chains are factor items
(``factors/related_persons.yaml``); this module only applies them to the ties the deal file states:
``Entity.owners`` (parents, subsidiaries, sisters), ``Entity.relatives`` (spouse, lineal relatives),
``Entity.officer_of`` (officers), ``Partnership.executing_partners`` and ``Entity.discretionary_mandate_for``.
Each person is counted once, the acquirer never (its holding is the transaction's). Every walk is iterative.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, Field

from fdiscreen.filing.conclusion import WHO_ACQUIRER, Reasoning
from fdiscreen.i18n import T, Text, pct
from fdiscreen.model import Deal
from fdiscreen.regime import Regime, to_fraction

RelationKind = Literal["parent", "subsidiary", "sister", "family_company", "officer", "spouse", "lineal_relative",
                       "executing_partner", "discretionary_mandate"]

KINDS_ITEM = "closely_related_person_kinds"
CONTROL_ITEM = "closely_related_control_pct"
CHAINS_ITEM = "closely_related_control_through_chains"
MANDATE_ITEM = "discretionary_mandate_holdings_counted"
COMPANY_RELATIONS = frozenset({"parent", "subsidiary", "sister", "family_company"})


class RelatedPerson(BaseModel):
    """One person in a special relationship with the investor (特別の関係にある者) and its holding of the target."""

    entity: str = Field(description="entity id in the deal file")
    name: str
    relation: RelationKind
    via: str | None = Field(None, description="entity the tie runs through: common parent, company served as officer, mandate manager")
    through_partner: str | None = Field(None, description="executing partner whose own related person this is (fund investors)")
    basis: list[str] = Field(default_factory=list, description="factor items the relation rests on")
    target_voting_pct: float | None = Field(None, description="its share of the target's voting rights; None: not given")


class RelatedHoldings(BaseModel):
    """The closely related persons found in the file and what they add to the investor's holding."""

    persons: list[RelatedPerson] = Field(default_factory=list)
    related_pct: float = Field(0.0, description="sum of the known holdings of the related persons in the file")
    extra_pct: float = Field(0.0, description="typed-in holdings of related persons not in the file (transaction.closely_related_voting_pct)")
    unknown: list[str] = Field(default_factory=list, description="ids of related persons whose holding of the target is not given")

    @property
    def added_pct(self) -> float:
        """What the related persons add to the investor's own holding, for every threshold."""
        return self.related_pct + self.extra_pct

    def counted(self) -> list[RelatedPerson]:
        """Related persons holding a known, non-zero share of the target."""
        return [p for p in self.persons if p.target_voting_pct]


class _Ties:
    """The ownership, family, officer and mandate ties of one deal file, with the control test of one date."""

    def __init__(self, deal: Deal, controls: Callable[[Fraction], bool] | None, chains: bool) -> None:
        self.ents = deal.entity_map()
        self.controls = controls
        self.chains = chains
        self._control: dict[frozenset[str], dict[str, None]] = {}
        self._untaken: dict[frozenset[str], list[str]] = {}  # tested but not controlled, for the worklist of a larger group
        self._meets: dict[Fraction, bool] = {}
        self.stakes = {eid: [(h.owner, to_fraction(h.voting_pct)) for h in e.owners] for eid, e in self.ents.items()}
        self.order = {eid: i for i, eid in enumerate(self.ents)}
        self.held_by: dict[str, list[str]] = {}
        for eid, stakes in self.stakes.items():
            for owner, _ in stakes:
                self.held_by.setdefault(owner, []).append(eid)

    def _controls(self, held: Fraction) -> bool:
        if held not in self._meets:
            self._meets[held] = bool(self.controls and self.controls(held))
        return self._meets[held]

    def controlled_by(self, group: Iterable[str]) -> dict[str, None]:
        """Entities whose voting rights ``group`` holds enough of to control them (``controls``: the factor item's
        limit and comparison), counting, where chains count, the companies it already controls: a least fixed
        point over a worklist (an entity is re-tested only when one of its holders joins the group). Where
        chains count, control is monotone in the group, so a company the group comes to control brings what
        it controls alone (computed before, nearest holders first) without testing it again."""
        key = frozenset(group)
        if key in self._control:
            return self._control[key]
        found: dict[str, None] = {}
        tested: set[str] = set()
        if self.controls is not None:
            holders = set(key)
            work = [e for h in sorted(holders) for e in self.held_by.get(h, [])]
            while work:
                eid = work.pop()
                if eid in holders or eid in found:
                    continue
                tested.add(eid)
                held = sum((pct for owner, pct in self.stakes[eid] if owner in holders), Fraction(0))
                if not self._controls(held):
                    continue
                found[eid] = None
                if not self.chains:
                    continue
                holders.add(eid)
                alone = self._control.get(frozenset([eid]))
                if alone is None:
                    work.extend(self.held_by.get(eid, []))
                else:
                    found.update(alone)
                    holders.update(alone)
                    work.extend(self._untaken[frozenset([eid])])
        self._control[key] = found
        self._untaken[key] = [e for e in tested if e not in found]
        return found

    def holders_above(self, start: str) -> list[str]:
        """Every entity holding ``start`` directly or through others (iterative, each entity once)."""
        seen: dict[str, None] = {}
        stack = [start]
        while stack:
            for h in self.ents[stack.pop()].owners:
                if h.owner != start and h.owner not in seen:
                    seen[h.owner] = None
                    stack.append(h.owner)
        return list(seen)

    def family(self, person: str) -> list[tuple[str, str]]:
        """(relative id, relation) of an individual, from ties stated on either side."""
        out: dict[str, str] = {}
        for ent in self.ents.values():
            for rel in ent.relatives:
                if ent.id == person and rel.person != person:
                    out.setdefault(rel.person, rel.relation)
                elif rel.person == person and ent.id != person:
                    out.setdefault(ent.id, rel.relation)
        return list(out.items())


class _Finder:
    """Collects related persons once each, in the order the relations are tested."""

    def __init__(self, deal: Deal, regime: Regime) -> None:
        self.acquirer = deal.acquirer
        self.kinds = set(regime.value(KINDS_ITEM) or [])
        in_force = bool(self.kinds & COMPANY_RELATIONS) and regime.threshold(CONTROL_ITEM) is not None
        chains = in_force and regime.in_force(CHAINS_ITEM)
        controls = (lambda held: regime.meets(CONTROL_ITEM, held) is True) if in_force else None
        self.ties = _Ties(deal, controls, chains)
        self.found: dict[str, RelatedPerson] = {}

    def add(self, eid: str, relation: RelationKind, basis: list[str], via: str | None = None,
            partner: str | None = None) -> None:
        if eid == self.acquirer or eid in self.found or (relation not in self.kinds and relation != "discretionary_mandate"):
            return
        ent = self.ties.ents[eid]
        self.found[eid] = RelatedPerson(entity=eid, name=ent.name, relation=relation, via=via, through_partner=partner,
                                        basis=basis, target_voting_pct=ent.target_voting_pct)

    def relations_of(self, start: str, partner: str | None) -> None:
        """Cabinet Order Art. 2: the persons related to ``start`` (the investor, or one of its executing partners
        read as the investor): parents, subsidiaries, sisters, family and family companies, officers."""
        ties, company = self.ties, [CONTROL_ITEM, CHAINS_ITEM, KINDS_ITEM]
        parents = [p for p in ties.holders_above(start) if start in ties.controlled_by([p])]
        for p in parents:
            self.add(p, "parent", company, partner=partner)
        own = ties.controlled_by([start])
        for s in own:
            self.add(s, "subsidiary", company, partner=partner)
        claimed = {start, *self.found}
        for p in parents:
            sisters = ties.controlled_by([p]).keys() - claimed  # a set difference: cheap on long chains
            for s in sorted(sisters, key=ties.order.__getitem__):
                self.add(s, "sister", company, via=p, partner=partner)
            claimed |= sisters
        companies = [start, *parents, *own]
        if ties.ents[start].kind == "individual":
            family = ties.family(start)
            for rid, relation in family:
                self.add(rid, "spouse" if relation == "spouse" else "lineal_relative", [KINDS_ITEM], partner=partner)
            for c in ties.controlled_by([start, *(rid for rid, _ in family)]):
                self.add(c, "family_company", company, partner=partner)
                companies.append(c)
        companies += [p.entity for p in self.found.values() if p.relation == "sister" and p.through_partner == partner]
        rank = {c: i for i, c in reversed(list(enumerate(companies)))}
        for ent in ties.ents.values():
            hits = [rank[c] for c in ent.officer_of if c in rank] if ent.kind == "individual" else []
            if hits:
                self.add(ent.id, "officer", [KINDS_ITEM], via=companies[min(hits)], partner=partner)

    def mandates(self, regime: Regime) -> None:
        """Votes the investor or a related person manages for others under a discretionary investment contract."""
        managers = [self.acquirer, *self.found]
        if not any(self.ties.ents[m].discretionary_mandate_for for m in managers) or not regime.in_force(MANDATE_ITEM):
            return
        for m in managers:
            for client in self.ties.ents[m].discretionary_mandate_for:
                self.add(client, "discretionary_mandate", [MANDATE_ITEM], via=m)


_RECENT: list[tuple[Deal, Regime, RelatedHoldings]] = []


def closely_related_persons(deal: Deal, regime: Regime) -> RelatedHoldings:
    """The persons in a special relationship with the acquirer (Cabinet Order Art. 2) among the entities of the
    file, with their holdings of the target, and the typed-in extra for holders not in the file. One screening
    asks several times for the same deal and regime: the last few answers are kept (by identity)."""
    for d, rg, found in _RECENT:
        if d is deal and rg is regime:
            return found
    found = _find_closely_related(deal, regime)
    _RECENT[:] = [(deal, regime, found), *_RECENT[:7]]
    return found


def _find_closely_related(deal: Deal, regime: Regime) -> RelatedHoldings:
    extra = deal.transaction.closely_related_voting_pct
    if len(deal.entities) == 1:
        return RelatedHoldings(extra_pct=extra)
    finder = _Finder(deal, regime)
    if finder.kinds:
        finder.relations_of(deal.acquirer, None)
        partnership = deal.entity(deal.acquirer).partnership
        if partnership is not None and "executing_partner" in finder.kinds:
            for gp in partnership.executing_partners:
                finder.add(gp, "executing_partner", [KINDS_ITEM])
            for gp in partnership.executing_partners:
                if gp != deal.acquirer:
                    finder.relations_of(gp, gp)
    finder.mandates(regime)
    persons = list(finder.found.values())
    known = sum((to_fraction(p.target_voting_pct) for p in persons if p.target_voting_pct is not None), Fraction(0))
    return RelatedHoldings(persons=persons, related_pct=float(known), extra_pct=extra,
                           unknown=[p.entity for p in persons if p.target_voting_pct is None])


def relation_label(p: RelatedPerson, deal: Deal, regime: Regime) -> Text:
    """How the person is related, in a few words (English and Japanese)."""
    names = deal.entity_map()
    via = names[p.via].name if p.via else ""
    limit = pct(regime.threshold(CONTROL_ITEM))
    en, ja = {
        "parent": (f"parent, {limit} or more", f"親会社等、{limit}以上"),
        "subsidiary": (f"subsidiary, {limit} or more", f"子会社等、{limit}以上"),
        "sister": (f"sister company under {via}, {limit} or more", f"{via}を共通の親会社等とする兄弟会社、{limit}以上"),
        "family_company": (f"held {limit} or more with spouse and lineal relatives", f"配偶者・直系血族と合わせて{limit}以上保有"),
        "officer": (f"officer of {via}", f"{via}の役員"),
        "spouse": ("spouse", "配偶者"),
        "lineal_relative": ("lineal relative", "直系血族"),
        "executing_partner": ("executing partner", "業務執行組合員"),
        "discretionary_mandate": (f"managed by {via} under a discretionary mandate", f"{via}が投資一任契約により運用"),
    }[p.relation]
    if p.through_partner:
        gp = names[p.through_partner].name
        en, ja = f"{en}, of executing partner {gp}", f"業務執行組合員{gp}の{ja}"
    return T(en, ja)


def explain_related(r: Reasoning, deal: Deal, regime: Regime, rh: RelatedHoldings, total: float,
                    threshold_item: str | None = None) -> None:
    """Write into ``r`` whose holdings were added, and ask for a related person's missing holding when it could
    bring ``total`` to the threshold ``threshold_item`` of a listed company (a missing holding is never read as
    zero in silence; an unlisted company's acts have no threshold to reach)."""
    parts = [(p, relation_label(p, deal, regime)) for p in rh.counted()]
    if parts or rh.extra_pct:
        en = ", ".join(f"{p.name} {pct(p.target_voting_pct)} ({lab.en})" for p, lab in parts)
        ja = "、".join(f"{p.name} {pct(p.target_voting_pct)}（{lab.ja}）" for p, lab in parts)
        if rh.extra_pct:
            en += ("; plus " if en else "") + f"{pct(rh.extra_pct)} stated for related persons not in the file"
            ja += ("、" if ja else "") + f"ファイル外の密接関係者として記載された{pct(rh.extra_pct)}"
        items = sorted({b for p, _ in parts for b in p.basis}) or [KINDS_ITEM]
        r.say(f"Counted with the investor's holding, as closely related persons (密接関係者): {en}.",
              f"密接関係者として投資家の保有に合算：{ja}。", *items)
    limit = regime.threshold(threshold_item) if threshold_item and deal.target.listed else None
    if not rh.unknown or limit is None or to_fraction(total) >= limit:
        return
    for eid in rh.unknown:
        p = next(x for x in rh.persons if x.entity == eid)
        lab = relation_label(p, deal, regime)
        r.say(f"{p.name} ({lab.en}) is a closely related person whose holding of {deal.target.name} is not given; it is not counted, and it could bring the total to the threshold.",
              f"{p.name}（{lab.ja}）は密接関係者であるが、{deal.target.name}の保有比率が不明であり算入していない。算入すれば基準に達する可能性がある。",
              *p.basis)
        r.need(f"entities[{deal.entity_index(eid)}].target_voting_pct",
               T(f"What share of {deal.target.name}'s voting rights does {p.name} hold?", f"{p.name}は{deal.target.name}の議決権の何％を保有しているか？"),
               T("count its holding: the threshold may be reached", "その保有を合算し、基準に達するものとして扱う"), WHO_ACQUIRER)


def holding_with_related(deal: Deal, regime: Regime, base: float | None, r: Reasoning | None = None,
                         threshold_item: str | None = None) -> float | None:
    """The investor's post-act holding ``base`` together with its closely related persons' (FEFTA Art. 26(2)(iii)-(iv),
    Cabinet Order Art. 2), capped at 100%; with ``r``, the reasons name whose holdings were added."""
    if base is None:
        return None
    rh = closely_related_persons(deal, regime)
    exact = to_fraction(base) + to_fraction(rh.related_pct) + to_fraction(rh.extra_pct)  # 0.6 + 0.4 is 1, not 0.9999...
    total = min(100.0, float(exact))
    if r is not None:
        explain_related(r, deal, regime, rh, total, threshold_item)
    return total
