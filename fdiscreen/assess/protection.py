"""The target's own protection: the METI guideline checklist (seed 000 appendix), each 'yes' a finding
that lowers the access points (what the investor can reach)."""

from __future__ import annotations

from fdiscreen.assess.finding import Finding, TargetContext
from fdiscreen.i18n import T


def protection_checklist(ctx: TargetContext) -> list[Finding]:
    """Each checklist question answered 'yes' lowers access; questions that address no deal risk count
    at a fraction (score_formula.checklist_unaddressed_factor)."""
    answers = ctx.target.protection_checklist
    questions = {q["id"]: q for q in ctx.regime.value("protection_checklist") or []}
    factor = float((ctx.regime.value("score_formula") or {}).get("checklist_unaddressed_factor", 0.25))
    out = []
    for qid, yes in answers.items():
        q = questions.get(qid)
        if not yes or q is None:
            continue
        scale = 1.0 if q.get("reduces") else factor
        out.append(ctx.finding("protection.checklist_yes", "target_protection", "A2_leakage_misuse",
                               T(f"Target protection in place: {q['en']}.", f"発行会社の自衛策：{q['ja']}。"),
                               [(f"target.protection_checklist.{qid}", True)], ["protection_checklist"], list(q.get("reduces", [])), scale))
    return out


RULES = [protection_checklist]
