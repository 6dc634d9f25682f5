"""The shape of a legal conclusion: status, reasons, citations and the facts still needed."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from fdiscreen.i18n import Text, T
from fdiscreen.ownership import Tri
from fdiscreen.regime import Citation, Regime, add_citation

Status = Literal["yes", "no", "indeterminate"]


def status_of(value: Tri) -> Status:
    """Three-valued truth as a conclusion status."""
    return "yes" if value is True else "no" if value is False else "indeterminate"


def tri_of(status: Status) -> Tri:
    return True if status == "yes" else False if status == "no" else None


class FactNeeded(BaseModel):
    """A fact the law needs that the deal file does not give."""

    path: str
    question: Text
    conservative_reading: Text
    who_confirms: Text


class Conclusion(BaseModel):
    """One legal conclusion with the reasons and citations that support it."""

    id: str
    status: Status
    summary: Text
    reasons: list[Text] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    facts_needed: list[FactNeeded] = Field(default_factory=list)


class Reasoning:
    """Collects reasons, citations and facts needed while a legal test runs."""

    def __init__(self, regime: Regime) -> None:
        self.regime = regime
        self.reasons: list[Text] = []
        self.citations: list[Citation] = []
        self.facts: list[FactNeeded] = []

    def say(self, en: str, ja: str, *cite: str) -> "Reasoning":
        self.reasons.append(T(en, ja))
        for item in cite:
            self.cite(item)
        return self

    def cite(self, item: str) -> Citation:
        c = self.regime.cite(item)
        add_citation(self.citations, c)
        return c

    def need(self, path: str, question: Text, conservative: Text, who: Text) -> None:
        if all(f.path != path for f in self.facts):
            self.facts.append(FactNeeded(path=path, question=question, conservative_reading=conservative,
                                         who_confirms=who))

    def absorb(self, other: Conclusion | "Reasoning", reasons: bool = False) -> None:
        """Take over another conclusion's facts needed (and optionally its reasons)."""
        for f in other.facts_needed if isinstance(other, Conclusion) else other.facts:
            self.need(f.path, f.question, f.conservative_reading, f.who_confirms)
        if reasons:
            self.reasons.extend(other.reasons)
        for c in other.citations:
            add_citation(self.citations, c)

    def conclude(self, cid: str, status: Status, summary: Text, **extra: Any) -> dict[str, Any]:
        """Keyword arguments for a Conclusion (or a subclass) built from what was collected."""
        return dict(id=cid, status=status, summary=summary, reasons=list(self.reasons),
                    citations=list(self.citations), facts_needed=list(self.facts), **extra)


WHO_ACQUIRER = T("the acquirer (with its counsel)", "取得者（及びその代理人）")
WHO_TARGET = T("the target company", "発行会社")
WHO_COUNSEL = T("Japanese counsel, with MOF/BOJ pre-consultation if needed", "日本法弁護士（必要に応じ財務省・日本銀行への事前相談）")
