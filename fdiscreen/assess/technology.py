"""Review consideration C2(iii): access to secret technology information (秘密技術関連情報), over a
:class:`~fdiscreen.assess.finding.FindingTable` of deal readings."""

from __future__ import annotations

from fdiscreen.assess.finding import Finding, FindingTable
from fdiscreen.i18n import T, Text

ACCESS_RULES: list[tuple[str, str, Text, list[str], list[str]]] = [
    ("non_public_technology_information", "technology.nonpublic_access",
     T("The investor gets access to non-public technology information.", "投資家は非公開の技術情報にアクセスする。"), ["basic_criteria"], ["technology_access"]),
    ("any_non_public_information", "technology.any_nonpublic_information",
     T("The investor gets access to other non-public information.", "投資家はその他の非公開情報にアクセスする。"), ["equivalent_extra_criteria"], ["information_rights"]),
    ("information_rights", "technology.information_rights",
     T("The investor has contractual information rights.", "投資家は契約上の情報請求権を有する。"), [], ["information_rights"]),
    ("joint_development", "technology.joint_development",
     T("The deal includes joint research or development.", "共同研究・共同開発を伴う。"), ["leakage_routes"], ["joint_development", "technology_access"]),
    ("site_access", "technology.site_access",
     T("The investor gets access to sites and production lines.", "投資家は拠点・生産ラインへ立ち入る。"), ["leakage_routes"], ["site_access"]),
    ("personnel_exchange", "technology.personnel_exchange",
     T("The deal includes personnel exchange or secondment.", "人材交流・出向を伴う。"), ["leakage_routes"], ["personnel_exchange"]),
    ("proposes_rule_changes", "technology.rule_change_proposal",
     T("The investor proposes changes to the rules on managing secret technology information.", "投資家は秘密技術関連情報の管理規程の変更を提案する。"),
     [], ["technology_access"]),
]


def technology_access(t: FindingTable) -> list[list[Finding]]:
    """C2(iii): each form of access is its own finding. An unknown answer gives no points here; it widens
    the score range instead (the conservative reading, assess.ranges)."""
    out = t.no_findings()
    access = [d.transaction.technology_access for d in t.deals]
    for field, rule, text, basis, keys in ACCESS_RULES:
        for row in [k for k, a in enumerate(access) if getattr(a, field) is True]:
            out[row].append(t.finding(row, rule, "technology_access", "C2iii_secret_technology", text,
                                      [(f"transaction.technology_access.{field}", True)], basis, keys))
    return out


RULES = [technology_access]
