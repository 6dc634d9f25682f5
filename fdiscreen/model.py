"""The deal file: who acquires what in which Japanese company, on what terms.

A deal file (YAML or JSON) is validated into :class:`Deal`. Unknown facts are ``null`` and lead to an
explicit *indeterminate* conclusion, never to a silent default. ``fdiscreen schema`` prints the JSON
Schema generated from these models, with every field's description.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any, Literal

import types
import typing

from pydantic import AfterValidator, AliasChoices, BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, field_validator, model_validator

Pct = Annotated[float, Field(ge=0, le=100, description="percentage, 0-100")]
FeftaClass = Literal["non_designated", "designated", "core"]

EntityKind = Literal[
    "individual", "corporation", "partnership", "government", "state_owned_enterprise",
    "sovereign_wealth_fund", "public_pension", "financial_institution",
]


def _takes(annotation: Any, kinds: tuple[type, ...]) -> bool:
    """Does a field's type take one of ``kinds`` (possibly optional or annotated) and not a boolean?"""
    if annotation in kinds:
        return True
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _takes(typing.get_args(annotation)[0], kinds)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(annotation)
        return bool not in args and any(_takes(a, kinds) for a in args)
    return False


def _numeric(annotation: Any) -> bool:
    return _takes(annotation, (int, float))


@lru_cache(maxsize=None)
def _field_takes(model: type[BaseModel], field: str) -> tuple[bool, bool]:
    """Does a model's field take a date, and does it take a number (worked out once per field)?"""
    annotation = model.model_fields[field].annotation
    return _takes(annotation, (dt.date,)), _numeric(annotation)


#: the largest magnitude any number in a deal file may have (a product bound, not law: ¥10^18 is far
#: beyond any deal, and larger numbers only overflow later arithmetic)
MAX_MAGNITUDE = 10**18

#: the dates a deal may name: from the day the Foreign Exchange and Foreign Trade Act (Act No. 228 of
#: 1949) was promulgated to a product horizon (not law); later date arithmetic overflows beyond these
EARLIEST_DATE = dt.date(1949, 12, 1)
HORIZON = dt.date(2100, 12, 31)
#: a date as every input writes it: YYYY-MM-DD and nothing else
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def outside_dates(day: dt.date) -> str | None:
    """Why ``day`` is not a date a deal may name (None when it is)."""
    if EARLIEST_DATE <= day <= HORIZON:
        return None
    return f"the date {day.isoformat()} is outside {EARLIEST_DATE.isoformat()} to {HORIZON.isoformat()}"


def _date_in_range(day: dt.date) -> dt.date:
    if why := outside_dates(day):
        raise ValueError(why)
    return day


#: a date a deal may name (checked once parsed, on the date fields only)
Day = Annotated[dt.date, AfterValidator(_date_in_range)]

#: characters no text may hold: C0 controls other than tab, line feed and carriage return (XML, and so
#: DOCX, cannot carry them, and no name or description needs them)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TEXT_PATTERN = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$"  # the same rule, as the JSON Schema states it

#: the most items any list in a deal may hold (entities, owners, businesses, technologies, ...): a
#: product bound that keeps a screening within seconds; a real deal lists far fewer
MAX_ITEMS = 5_000


def _document_limits(schema: dict[str, Any]) -> None:
    """The JSON Schema says what the validators enforce: list lengths and the date range."""
    for prop in schema.get("properties", {}).values():
        for node in [prop, *prop.get("anyOf", [])]:
            if node.get("type") == "array":
                node["maxItems"] = MAX_ITEMS
            if node.get("format") == "date":
                node["formatMinimum"], node["formatMaximum"] = EARLIEST_DATE.isoformat(), HORIZON.isoformat()
            for text in (node, node.get("items") or {}):
                if text.get("type") == "string" and not {"format", "enum", "pattern", "const"} & set(text):
                    text["pattern"] = TEXT_PATTERN


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False,
                              json_schema_extra=_document_limits)

    @field_validator("*", mode="before")
    @classmethod
    def _plain_input(cls, value: Any, info: ValidationInfo) -> Any:
        """Every field as written, before its type is checked: a plain, bounded number or date, no control
        character in a text, no list longer than MAX_ITEMS (one validator, tested in that order)."""
        _plain_bounded_number(cls, value, info.field_name)
        _no_control_characters(value)
        _bounded_list(value)
        return value


def _plain_bounded_number(model: type[BaseModel], value: Any, field_name: str | None) -> None:
    """A boolean is never a number (``board_seats: true`` is an error, not 1), and no number is larger
    in magnitude than MAX_MAGNITUDE; a date is written as a date (``0`` is not 1970-01-01)."""
    if field_name is None:
        return
    is_date, is_number = _field_takes(model, field_name)
    if is_date and (isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit())):
        raise ValueError("a number where a date YYYY-MM-DD is expected")
    if not is_number:
        return
    if isinstance(value, bool):
        raise ValueError("a boolean (true/false) where a number is expected")
    if isinstance(value, (int, float)) and abs(value) > MAX_MAGNITUDE:
        raise ValueError(f"a number larger than {MAX_MAGNITUDE:.0e} in magnitude")


def _no_control_characters(value: Any) -> None:
    for text in (value if isinstance(value, list) else [value]):
        if isinstance(text, str) and (bad := _CONTROL.search(text)):
            raise ValueError(f"a control character (U+{ord(bad.group()):04X}) in the text")


def _bounded_list(value: Any) -> None:
    if isinstance(value, list) and len(value) > MAX_ITEMS:
        raise ValueError(f"{len(value):,} items, more than the {MAX_ITEMS:,} a deal may list")


class Holding(Strict):
    """An owner of an entity and its stake (保有)."""

    owner: str = Field(description="id of the owning entity in `entities`")
    voting_pct: Pct = Field(description="share of the entity's voting rights the owner holds")
    equity_pct: Pct | None = Field(None, description="share of equity, if different from voting")


class Officers(Strict):
    """Directors and representative directors, by residency (役員・代表権を有する役員)."""

    directors_total: int | None = Field(None, ge=0, description="number of directors or equivalent officers")
    directors_non_resident: int | None = Field(None, ge=0, description="of whom non-resident individuals")
    representatives_total: int | None = Field(None, ge=0, description="officers with representative authority")
    representatives_non_resident: int | None = Field(None, ge=0, description="of whom non-resident individuals")
    appointed_by_state_or_obliged: int | None = Field(
        None, ge=0, description="directors appointed or nominated by, or officers or staff of, a foreign government "
        "or a person obliged to cooperate with foreign information gathering (特定外国投資家 officer test, directors limb)")
    representatives_appointed_by_state_or_obliged: int | None = Field(
        None, ge=0, description="officers with representative authority so appointed, or officers or staff of such "
        "persons (特定外国投資家 officer test, representative-officers limb)")

    @model_validator(mode="after")
    def _counts_fit(self) -> "Officers":
        for part, whole in (("directors_non_resident", "directors_total"),
                            ("representatives_non_resident", "representatives_total"),
                            ("appointed_by_state_or_obliged", "directors_total"),
                            ("representatives_appointed_by_state_or_obliged", "representatives_total")):
            a, b = getattr(self, part), getattr(self, whole)
            if a is not None and b is not None and a > b:
                raise ValueError(f"{part} ({a}) exceeds {whole} ({b})")
        return self


class PartnerContribution(Strict):
    partner: str = Field(description="id of a limited or general partner in `entities`")
    contribution_pct: Pct = Field(description="share of total contributions (出資)")


class Partnership(Strict):
    """Investment partnership facts for FEFTA Art. 26(1)(iv) (特定組合等)."""

    executing_partners: list[str] = Field(default_factory=list, description="ids of executing partners (業務執行組合員, the GPs)")
    contributions: list[PartnerContribution] = Field(default_factory=list, description="partners' contribution shares")
    foreign_contribution_pct: Pct | None = Field(
        None, description="share of contributions from foreign investors, if the contributors are not listed")


RelativeKind = Literal["spouse", "lineal_relative"]


class Relative(Strict):
    """A family tie of an individual that makes a person in a special relationship (特別の関係にある者,
    Cabinet Order on Inward Direct Investment Art. 2): spouse (配偶者) or lineal relative (直系血族)."""

    person: str = Field(description="id of the relative in `entities`")
    relation: RelativeKind = Field(description="spouse (配偶者) or lineal relative by blood (直系血族: parents, children, grandparents, ...)")


class Entity(Strict):
    """A person in the acquirer's ownership chain: the acquirer itself, its owners, partners, principals."""

    id: str = Field(description="unique id used to refer to this entity in the file")
    name: str
    name_ja: str | None = None
    aliases: list[str] = Field(default_factory=list, description="other names (for watch-list matching)")
    kind: EntityKind
    jurisdiction: str = Field(description="ISO country code: where incorporated; for an individual, where resident")
    principal_office: str | None = Field(None, description="ISO code of the country of the principal office, if different")
    resident_in_japan: bool | None = Field(None, description="individuals: a resident (居住者) of Japan?")
    listed: bool | None = None
    regulated_financial_institution: bool | None = Field(
        None, description="supervised as a financial institution (securities firm, bank, insurer, asset manager, trust or "
        "investment company and the like) by an authority under its home law (外国金融機関); null: unknown (asked for "
        "an entity of kind financial_institution)")
    state_owned_pct: Pct | None = Field(None, description="voting rights held by foreign governments (direct or indirect)")
    accredited: bool | None = Field(None, description="SWF or public pension accredited by MOF (認証SWF等)")
    fefta_violation_sanctioned: bool | None = Field(None, description="sanctioned for breaching FEFTA (外為法違反処分)")
    information_cooperation_duty: bool | None = Field(
        None, description="obliged by foreign law or agreement to cooperate with a foreign government's information gathering (情報収集義務者)")
    voting_instructions_from_obliged: bool | None = Field(
        None, description="a foreign government or an obliged person can instruct its voting (特定外国投資家 control test)")
    decisions_by_obliged_persons: bool | None = Field(
        None, description="real decisions are taken by obliged persons (特定外国投資家に準ずる者 (i))")
    decisions_at_office_in_obliging_country: bool | None = Field(
        None, description="real decisions taken at an office in a country whose law imposes the duty, other than where incorporated (準ずる者 (ii))")
    contractual_disclosure_duty: bool | None = Field(
        None, description="bound by contract with an obliged person or SOE to disclose information for foreign intelligence gathering (準ずる者 (iii))")
    military_links: bool | None = Field(None, description="military or defence-industry links")
    security_list_designations: list[str] | None = Field(
        None, description="public end-user or military-company lists naming the entity (e.g. 'US Entity List', 'US DoD 1260H "
        "list', 'Japan METI End User List'); []: checked, on none; null: not known")
    past_conduct: list[Literal["blocked_deal", "activist_campaign"]] = Field(
        default_factory=list, description="past conduct the review weighs: a deal blocked elsewhere on security grounds, activist campaigns")
    investment_plan: Literal["passive", "strategic", "control"] | None = Field(
        None, description="stated plan: passive portfolio, strategic partnership, or control")
    officers: Officers | None = None
    partnership: Partnership | None = None
    owners: list[Holding] = Field(default_factory=list, description="who holds this entity's voting rights")
    owners_complete: bool | None = Field(
        None, description="is `owners` the complete list of holders of 5% or more? null: unknown")
    target_voting_pct: Pct | None = Field(
        None, description="share of the target's voting rights (and shares) this entity itself holds after the act, on its own account; "
        "counted with the acquirer's when the entity is a closely related person (密接関係者, Cabinet Order Art. 2). Not for the "
        "acquirer, whose holding is `transaction.voting_after_pct`. null: unknown")
    relatives: list[Relative] = Field(
        default_factory=list, description="individuals: spouse and lineal relatives in `entities` (either side may state the tie; "
        "ties are not chained, so state each relative of the investor directly)")
    officer_of: list[str] = Field(
        default_factory=list, description="individuals: ids of entities in the file of which this person is an officer (役員: director, "
        "auditor or equivalent)")
    discretionary_mandate_for: list[str] = Field(
        default_factory=list, description="ids of entities whose shares of the target this entity manages under a discretionary "
        "investment contract (投資一任契約) with authority to vote them; their `target_voting_pct` counts with this entity's holding")


class Business(Strict):
    """A business line of the target or a subsidiary, with its FEFTA class."""

    name: str
    activity: str | None = Field(None, description="activity code from `fdiscreen factors --activities`")
    fefta_class: FeftaClass | None = Field(None, description="class given directly (overrides the activity code)")
    revenue_share_pct: Pct | None = None


class Subsidiary(Strict):
    name: str
    ownership_pct: Pct | None = Field(None, description="the target's voting share in it")
    businesses: list[Business] = Field(default_factory=list)


class Target(Strict):
    """The Japanese company (発行会社) whose shares or voting rights are acquired."""

    name: str
    name_ja: str | None = None
    securities_code: str | None = Field(None, description="TSE code, used with a MOF classification list (--mof-list)")
    listed: bool
    jurisdiction: str = Field("JP", description="must be JP: FEFTA screens Japanese companies")
    specified_core_business_entity: bool | None = Field(
        None, description="a specified core business entity (特定コア事業者), or parent of one; null: unknown")
    businesses: list[Business] = Field(default_factory=list)
    subsidiaries: list[Subsidiary] = Field(default_factory=list)
    subsidiaries_complete: bool | None = Field(
        None, description="do `subsidiaries` cover every subsidiary's business? null: unknown")
    technologies: list[str] = Field(default_factory=list, description="technologies held")
    critical_infrastructure: list[str] = Field(default_factory=list, description="critical-infrastructure roles")
    defence_supplier: bool | None = None
    global_market_share_pct: Pct | None = Field(None, description="share of the global market in its key product")
    single_source_supplier: bool | None = Field(None, description="sole or near-sole supplier of something Japan needs")
    government_funded_research: bool | None = None
    export_controlled: bool | None = Field(
        None, description="makes or holds goods or technology on an export-control list (dual-use or military; 輸出貿易管理令別表第1・"
        "外為令別表 or a foreign equivalent); null: unknown")
    export_control_entries: list[str] = Field(
        default_factory=list, description="the control-list entries, e.g. 'Wassenaar 3.B.1', 'EAR ECCN 3B001', '輸出令別表第1 7項'")
    critical_minerals: bool | None = Field(
        None, description="mines, refines or supplies critical minerals (rare earths, lithium, gallium and the like); null: unknown")
    critical_infrastructure_operator: bool | None = Field(
        None, description="operates critical infrastructure itself (grid, network, port, pipeline, data centre for government ...), "
        "not only sells to its operators; null: unknown")
    near_defence_site: bool | None = Field(
        None, description="has sites close to a defence or other important facility (重要施設周辺: a military base, weapons range, "
        "nuclear or border facility); null: unknown")
    sensitive_personal_data_subjects: int | None = Field(
        None, ge=0, description="number of people whose sensitive personal data (health, genetic, location, financial, "
        "government-staff data) the target holds; 0: none; null: unknown")
    protection_checklist: dict[str, bool] = Field(
        default_factory=dict, description="answers to the METI guideline checklist (ids from `fdiscreen factors --id protection_checklist`)")
    total_liabilities_jpy: int | None = Field(None, ge=0)


ProposalKind = Literal["director_appointment", "business_purpose_change", "designated_business_transfer",
                       "designated_business_abolition"]


class ShareholderProposal(Strict):
    """A shareholders' meeting proposal the investor makes or consents to (株主総会議案)."""

    kind: ProposalKind
    proposed_by_investor: bool = Field(False, description="the investor puts the proposal to the meeting")
    investor_consents: bool = Field(True, description="the investor votes for it")
    appointee_is_investor_or_related: bool = Field(
        True, description="director_appointment: the appointee is the investor or its closely related person")


class TechnologyAccess(Strict):
    """Access to the target's information (秘密技術関連情報 and other non-public information)."""

    non_public_technology_information: bool | None = Field(
        False, description="access to non-public technology information on the designated business")
    any_non_public_information: bool | None = Field(False, description="access to any non-public information")
    information_rights: bool | None = False
    joint_development: bool | None = False
    site_access: bool | None = False
    personnel_exchange: bool | None = False
    proposes_rule_changes: bool | None = Field(False, description="proposes changes to the rules on managing secret technology information")


class Loan(Strict):
    """A loan of money to a Japanese corporation (国内法人に対する金銭の貸付け, FEFTA Art. 26(2)(vii);
    Cabinet Order Art. 2(14); Order on Inward Direct Investment Art. 2(4))."""

    amount_jpy: int = Field(ge=0, description="amount of this loan (JPY; a foreign-currency loan converted at the reference rate)")
    term_years: float = Field(gt=0, le=100, description="term of the loan in years (covered above one year; at most 100)")
    currency: str | None = Field(
        None, description="currency of the loan (ISO code, e.g. JPY); yen loans by a resident foreign investor (居住者外国投資家) are excluded")
    lender_loan_balance_after_jpy: int | None = Field(
        None, ge=0, description="the lender's total loan balance to the borrower after this loan; null: only this loan is known "
        "(the balance is then at least the amount)")
    lender_bonds_held_jpy: int | None = Field(
        None, ge=0, description="bonds issued by the borrower that the lender holds after the loan (0 if none); null: unknown")
    borrower_liabilities_jpy: int | None = Field(
        None, ge=0, description="liabilities on the borrower's balance sheet at the end of the fiscal year before the loan "
        "(or the property inventory's, if it makes no balance sheet); this loan is added to them for the 50% test")
    lender_financial_institution_in_business: bool = Field(
        False, validation_alias=AliasChoices("lender_financial_institution_in_business", "ordinary_bank_lending"),
        description="the lender is a financial institution (bank, insurer, securities firm and the like) lending in its "
        "ordinary business (金融機関がその業務として行う貸付け: excluded)")


class JointVoting(Strict):
    """Consent obtained from other holders to exercise votes jointly (共同議決権行使同意取得)."""

    combined_voting_pct: Pct = Field(description="votes of the obtainer, consenting holders and related persons")


class Nominee(Strict):
    """The acquirer acts for another person without using that person's name (名義によらない)."""

    acting_for: str = Field(description="id of the principal entity")
    arrangement: Literal["for_account", "contract"] = Field(
        "for_account", description="for_account: acts for the principal's account; contract: acts under a contract or similar arrangement")


class IndirectAcquisition(Strict):
    """Acquisition of an overseas entity that holds the Japanese target (間接取得)."""

    holding_entity: str = Field(description="id of the overseas direct holding entity (直接保有者)")
    holding_entity_stake_in_target_pct: Pct | None = Field(description="its share of the target's voting rights")
    acquirer_voting_before_pct: Pct = 0
    acquirer_voting_after_pct: Pct = Field(description="acquirer's voting share in the holding entity after the deal")
    related_persons_take_officer_majority: bool = False

    @model_validator(mode="after")
    def _acquires(self) -> "IndirectAcquisition":
        if self.acquirer_voting_after_pct < self.acquirer_voting_before_pct:
            raise ValueError(f"acquirer_voting_after_pct ({self.acquirer_voting_after_pct}) is below acquirer_voting_before_pct "
                             f"({self.acquirer_voting_before_pct}); an acquisition cannot lower the stake")
        return self


class FormerResidentTransfer(Strict):
    """A non-resident individual's transfer of unlisted shares held since before becoming non-resident
    (非居住者となる以前から引き続き所有する株式の譲渡, FEFTA Art. 26(2)(ii)); the acquirer is the transferor."""

    held_since_before_non_resident: bool | None = Field(
        description="were the shares held continuously since before the transferor became non-resident?")
    transferee_foreign_investor: bool | None = Field(description="is the transferee a foreign investor (Art. 26(1))?")


class Transaction(Strict):
    """The proposed act and its terms."""

    kind: Literal["share_acquisition", "loan", "branch_establishment", "indirect_acquisition", "consent_only",
                  "former_resident_share_transfer"] = "share_acquisition"
    closing_date: Day | None = Field(None, description="planned date of the act (取得日)")
    notification_accepted_date: Day | None = Field(
        None, description="date the prior notification was accepted (届出受理日), if filed: gives the earliest closing dates")
    shares_before_pct: Pct = 0
    shares_after_pct: Pct | None = Field(None, description="investor's shareholding after the act; null: unknown")
    voting_before_pct: Pct | None = Field(None, description="defaults to shares_before_pct")
    voting_after_pct: Pct | None = Field(None, description="defaults to shares_after_pct")
    closely_related_voting_pct: Pct = Field(
        0, description="voting rights held by closely related persons (密接関係者) who are NOT in `entities`, added to the investor's; "
        "related persons in the file are found from their ties and counted from their `target_voting_pct`")
    acquired_from: Literal["resident", "foreign_investor", "market", "new_issue", "unknown"] = "unknown"
    consideration_jpy: int | None = Field(None, ge=0)
    board_seats: int | None = Field(0, ge=0, description="director seats for the investor or its closely related persons; "
                                    "omitted: none sought; null: unknown")
    auditor_seats: int | None = Field(0, ge=0, description="omitted: none; null: unknown")
    observer_seats: int | None = Field(0, ge=0, description="omitted: none; null: unknown")
    core_committee_attendance: bool | None = Field(False, description="attends board/committee meetings deciding on the core business")
    written_proposals_with_deadline: bool = Field(False, description="makes written proposals on the core business demanding action by a deadline")
    proposals: list[ShareholderProposal] = Field(default_factory=list)
    technology_access: TechnologyAccess = Field(default_factory=TechnologyAccess)
    loan: Loan | None = None
    joint_voting: JointVoting | None = None
    proxy_voting_pct: Pct | None = Field(None, description="voting rights over which proxy authority is acquired")
    nominee: Nominee | None = None
    indirect: IndirectAcquisition | None = None
    former_resident_transfer: FormerResidentTransfer | None = None
    purpose_impairs_designated_business: bool = Field(
        False, description="the investment aims to make the continuous, stable running of a designated business difficult "
        "(bars the exemption); the investor states its own purpose")
    convertible_instruments: bool = False
    relocate_production_abroad: bool = Field(False, description="the investor plans or proposes moving production abroad")
    risk_mitigation_measures: list[str] = Field(default_factory=list, description="ids of risk-mitigation measures offered")

    @property
    def voting_before(self) -> float:
        return self.voting_before_pct if self.voting_before_pct is not None else self.shares_before_pct

    @property
    def voting_after(self) -> float | None:
        return self.voting_after_pct if self.voting_after_pct is not None else self.shares_after_pct

    @model_validator(mode="after")
    def _consistent(self) -> "Transaction":
        if self.kind == "share_acquisition" and self.shares_after_pct is not None:
            if self.shares_after_pct < self.shares_before_pct:
                raise ValueError(f"shares_after_pct ({self.shares_after_pct}) is below shares_before_pct "
                                 f"({self.shares_before_pct}); an acquisition cannot lower the stake")
            va = self.voting_after
            if va is not None and va < self.voting_before:
                raise ValueError("voting_after_pct is below voting_before_pct")
        if self.kind == "loan" and self.loan is None:
            raise ValueError("a loan transaction needs `loan`")
        if self.kind == "indirect_acquisition" and self.indirect is None:
            raise ValueError("an indirect acquisition needs `indirect`")
        if self.kind == "former_resident_share_transfer" and self.former_resident_transfer is None:
            raise ValueError("a former resident's share transfer needs `former_resident_transfer`")
        for detail, kind in KIND_OF_DETAIL.items():
            if getattr(self, detail) is not None and self.kind != kind:
                raise ValueError(f"a `{detail}` block is given but kind is {self.kind!r}: it would be ignored "
                                 f"(use kind {kind!r}, or remove the block)")
        return self


#: transaction blocks that only mean something for one kind of act
KIND_OF_DETAIL = {"loan": "loan", "indirect": "indirect_acquisition", "former_resident_transfer": "former_resident_share_transfer"}


def kind_detail_mismatch(tx: dict[str, Any]) -> tuple[str, str, str] | None:
    """A loan or indirect-acquisition block on a transaction (as a mapping) of another kind, which would
    be ignored: (block, kind it needs, kind given); None when they agree."""
    given = str(tx.get("kind") or "share_acquisition")
    for detail, kind in KIND_OF_DETAIL.items():
        if detail in tx and given != kind:
            return detail, kind, given
    return None


class Deal(Strict):
    """A proposed investment: the acquirer and its chain, the Japanese target, the terms."""

    matter: str = Field(description="a name for the matter")
    acquirer: str = Field(description="id of the acquiring entity in `entities`")
    entities: list[Entity] = Field(min_length=1)
    target: Target
    transaction: Transaction
    as_of: Day | None = Field(None, description="date of the law to apply; --as-of overrides; default today in Japan (JST)")
    _entities: "EntityIndex | None" = PrivateAttr(default=None)

    def entity(self, entity_id: str) -> Entity:
        return self.entity_index_of().by_id[entity_id]

    def entity_index(self, entity_id: str) -> int:
        """Position of the entity in ``entities`` (for field paths such as ``entities[1].kind``)."""
        return self.entity_index_of().position[entity_id]

    def entity_table(self, build: "typing.Callable[[], Any]") -> Any:
        """The entities as columns (:class:`fdiscreen.lookthrough.EntityTable`), built by ``build`` once
        per entity list."""
        index = self.entity_index_of()
        if index.table is None:
            index.table = build()
        return index.table

    def entity_map(self) -> dict[str, Entity]:
        """Entities by id, built once per entity list (the look-through tests ask for it often)."""
        return self.entity_index_of().by_id

    def entity_index_of(self) -> "EntityIndex":
        """The entities by id and position, kept until the list is replaced or resized (read through the
        private dict: pydantic's attribute hook is slow, and the rules ask for entities often)."""
        private = self.__pydantic_private__
        index = private.get("_entities") if private is not None else None
        if index is None or index.entities is not self.entities or index.n != len(self.entities):
            index = EntityIndex.of(self.entities)
            if private is not None:
                private["_entities"] = index
        return index


@dataclass(slots=True)
class EntityIndex:
    """A deal's entities by id (the last of a repeated id, as a dict keeps it) and by position (the
    first), for one entity list; ``table``: its columns, once built."""

    entities: list[Entity]
    n: int
    by_id: dict[str, Entity]
    position: dict[str, int]
    table: Any = None

    @classmethod
    def of(cls, entities: list[Entity]) -> "EntityIndex":
        position: dict[str, int] = {}
        for i, e in enumerate(entities):
            position.setdefault(e.id, i)
        return cls(entities, len(entities), {e.id: e for e in entities}, position)


SectorCap = Literal["ntt", "radio", "broadcasting", "aviation", "freight_forwarding"]


class ListingPlan(Strict):
    """A Japanese company considering a stock listing (capital policy, seed 000 section 4(2)(i))."""

    matter: str
    company: Target = Field(description="the company to be listed (listed: false today)")
    market: Literal["prime", "standard", "growth", "other"] = "prime"
    listing_date: Day | None = None
    free_float_pct: Pct = Field(description="shares expected to trade freely after listing")
    largest_holder_pct_after: Pct | None = Field(None, description="largest holder's stake after listing")
    stable_holders_pct_after: Pct | None = Field(None, description="friendly, stable holders' combined stake after listing")
    expected_foreign_holding_pct: Pct | None = Field(None, description="foreign holders' expected combined stake")
    sector_caps: list[SectorCap] = Field(default_factory=list, description="statutory foreign-ownership limits that apply")
    class_shares_or_golden_share: bool = False
    measures_planned: list[str] = Field(default_factory=list, description="ids of capital-policy measures already planned")
    as_of: Day | None = None
