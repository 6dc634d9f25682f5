"""The target's own protection: the METI guideline checklist (seed 000 appendix), each 'yes' a finding
that lowers the access points (what the investor can reach); over a
:class:`~fdiscreen.assess.finding.FindingTable` of deal readings or companies."""

from __future__ import annotations

from fdiscreen.assess.finding import Finding, FindingTable
from fdiscreen.i18n import T


def protection_checklist(t: FindingTable) -> list[list[Finding]]:
    """Each checklist question answered 'yes' lowers access; questions that address no deal risk count
    at a fraction (score_formula.checklist_unaddressed_factor)."""
    questions = {q["id"]: q for q in t.value("protection_checklist") or []}
    factor = float((t.value("score_formula") or {}).get("checklist_unaddressed_factor", 0.25))
    out = t.no_findings()
    for row, target in enumerate(t.targets):
        for qid, yes in target.protection_checklist.items():
            q = questions.get(qid)
            if not yes or q is None:
                continue
            out[row].append(t.finding(row, "protection.checklist_yes", "target_protection", "A2_leakage_misuse",
                                      T(f"Target protection in place: {q['en']}.", f"発行会社の自衛策：{q['ja']}。"),
                                      [(f"target.protection_checklist.{qid}", True)], ["protection_checklist"], list(q.get("reduces", [])),
                                      1.0 if q.get("reduces") else factor))
    return out


RULES = [protection_checklist]
