"""The Screening: determination (and, later, assessment) plus the inputs' fingerprint, as one
JSON-serialisable result that every renderer, table and page reads."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from pydantic import BaseModel, Field

from fdiscreen.clock import japan_today
from fdiscreen.collector import collector_paused
from fdiscreen import __version__
from fdiscreen.assess import Assessment, Found, MitigationResult, assess, assess_found, find_many
from fdiscreen.assess.combine import Scores
from fdiscreen.assess.finding import Finding
from fdiscreen.assess.watchlist import ListEntry, WatchHit, entries_digest
from fdiscreen.columns import DealTable
from fdiscreen.filing import BatchRows, Determination, determine, determine_many
from fdiscreen.filing.investor import DealRows, investor_columns
from fdiscreen.filing.target import TargetRows, target_class_table
from fdiscreen.lookthrough import entity_table
from fdiscreen.model import Deal
from fdiscreen.mof_list import MofList
from fdiscreen.regime import Assumption, Regime, make_regime

SCHEMA_VERSION = "2"


AsOfFrom = Literal["option", "deal_file", "today_in_japan"]


class RegimeInfo(BaseModel):
    as_of: dt.date
    as_of_from: AsOfFrom = Field("option", description="where the as-of date came from: the --as-of option (or API field), the deal "
                                 "file's as_of, or today's date in Japan (JST, UTC+9)")
    version: str
    assumptions: list[Assumption]
    overrides: dict[str, Any] = Field(default_factory=dict)


class Screening(BaseModel):
    """One deal screened on one date: the stable JSON contract of `fdiscreen screen --json`."""

    schema_version: str = SCHEMA_VERSION
    fdiscreen_version: str = __version__
    matter: str
    fingerprint: str
    regime: RegimeInfo
    filing: Determination
    scores: Scores
    findings: list[Finding]
    mitigations: MitigationResult
    watchlist_hits: list[WatchHit] = Field(default_factory=list)
    input: dict[str, Any]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)


def fingerprint(deal: Deal, regime: Regime, mitigate: list[str] | None = None,
                watchlists: list[ListEntry] | None = None, mof: MofList | None = None) -> str:
    """SHA-256 of the normalised input, the as-of date, the regime version, the overrides, the measures
    proposed, the watch-list entries matched against and the MOF list's classes and date (when one was
    supplied; without one the fingerprint is what it always was)."""
    payload: dict[str, Any] = {
        "deal": deal.model_dump(mode="json"),
        "mitigate": sorted(mitigate or []),
        "watchlists": entries_digest(watchlists) if watchlists else [],
        "as_of": regime.as_of.isoformat(),
        "regime": regime.version,
        "overrides": {k: str(v) for k, v in sorted(regime.overrides.items())},
    }
    if mof is not None:
        payload["mof_list"] = {"vintage": str(mof.vintage), "classes": sorted(mof.classes.items())}
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def resolve_as_of(deal: Deal, as_of: dt.date | None, today: dt.date | None = None) -> dt.date:
    """--as-of, else the deal file's as_of, else today in Japan."""
    return as_of or deal.as_of or today or japan_today()


def as_of_source(deal: Deal, as_of: dt.date | None) -> AsOfFrom:
    return "option" if as_of else "deal_file" if deal.as_of else "today_in_japan"


def screen(deal: Deal, as_of: dt.date | None = None, overrides: dict[str, Any] | None = None,
           amendment_effective: dt.date | None = None, mof: MofList | None = None,
           watchlists: list[ListEntry] | None = None, mitigate: list[str] | None = None) -> Screening:
    """Screen a deal: the filing determination on the as-of date and the risk assessment, with the
    assumptions used listed (a batch of one; :func:`screen_each` screens many together)."""
    regime = make_regime(resolve_as_of(deal, as_of), overrides, amendment_effective)
    det = determine(deal, regime, mof)
    return _screening(deal, regime, det, assess(deal, det, regime, watchlists, mitigate), as_of, mof, watchlists, mitigate)


def _screening(deal: Deal, regime: Regime, det: Determination, assessment: Assessment, as_of: dt.date | None, mof: MofList | None,
               watchlists: list[ListEntry] | None, mitigate: list[str] | None) -> Screening:
    """The Screening of a deal determined in ``regime`` and assessed: the assumptions used listed."""
    info = RegimeInfo(as_of=regime.as_of, as_of_from=as_of_source(deal, as_of), version=regime.version, assumptions=regime.assumptions(),
                      overrides={k: str(v) for k, v in regime.overrides.items()})
    return Screening(matter=deal.matter, fingerprint=fingerprint(deal, regime, mitigate, watchlists, mof), regime=info, filing=det,
                     scores=assessment.scores, findings=assessment.findings, mitigations=assessment.mitigations,
                     watchlist_hits=assessment.watchlist_hits, input=deal.model_dump(mode="json", exclude_defaults=True))


def _by_date(deals: Sequence[Deal], as_of: dt.date | None) -> dict[dt.date, list[int]]:
    by_date: dict[dt.date, list[int]] = {}
    for i, deal in enumerate(deals):
        by_date.setdefault(resolve_as_of(deal, as_of), []).append(i)
    return by_date


def batch_rows(group: Sequence[Deal], regime: Regime, mof: MofList | None = None) -> list[BatchRows]:
    """The deals' rows in the investor look-through and target class columns of the group (deals of
    one as-of date, ``regime`` that date's law)."""
    investor = investor_columns(entity_table(group, regime.catalog.home_country), regime)
    target = target_class_table(DealTable(group, regime), mof)
    return [BatchRows(DealRows(investor, k), TargetRows(target, k)) for k in range(len(group))]


@dataclass
class Screened:
    """A deal determined and assessed, before its Screening is built: what a batch row is read from
    when the row is not shown in full (:meth:`screening` builds the Screening)."""

    deal: Deal
    regime: Regime
    det: Determination
    assessment: Assessment
    as_of: dt.date | None
    mof: MofList | None
    watchlists: list[ListEntry] | None
    mitigate: list[str] | None
    explained: bool = True
    """False where the findings were made for scoring only (no evidence or citations): no Screening."""

    def screening(self) -> Screening:
        if not self.explained:
            raise RuntimeError("a deal assessed without its findings' evidence and citations cannot be shown as a Screening")
        return _screening(self.deal, self.regime, self.det, self.assessment, self.as_of, self.mof, self.watchlists, self.mitigate)


def screen_each(deals: Sequence[Deal], as_of: dt.date | None = None, overrides: dict[str, Any] | None = None,
                amendment_effective: dt.date | None = None, mof: MofList | None = None,
                watchlists: list[ListEntry] | None = None, mitigate: list[str] | None = None) -> list[Screening | Exception]:
    """Screen many deals (:func:`screened_each`): each deal's Screening, the same as screening it alone,
    or the error screening it raised (built with the collector paused, as they are screened)."""
    with collector_paused():
        return [s if isinstance(s, Exception) else _built(s) for s in screened_each(deals, as_of, overrides, amendment_effective, mof,
                                                                                      watchlists, mitigate)]


def _built(s: Screened) -> Screening | Exception:
    """The Screening of an assessed deal, or the error building it raised."""
    try:
        return s.screening()
    except Exception as exc:  # noqa: BLE001 - returned to the caller, row by row
        return exc


def screened_each(deals: Sequence[Deal], as_of: dt.date | None = None, overrides: dict[str, Any] | None = None,
                  amendment_effective: dt.date | None = None, mof: MofList | None = None,
                  watchlists: list[ListEntry] | None = None, mitigate: list[str] | None = None,
                  explained: bool = True) -> list[Screened | Exception]:
    """Determine and assess many deals, each legal test's columns computed once per as-of date for all of
    them (:func:`fdiscreen.filing.determine_many`) and every score over one table of their findings
    (:func:`fdiscreen.assess.assess_found`): each deal determined and assessed, or the error it raised.
    When a date's deals cannot be determined (or scored) together, each is determined (or scored) alone,
    so one bad deal costs the others nothing. The cyclic garbage collector is paused meanwhile
    (:func:`fdiscreen.collector.collector_paused`). ``explained=False``: the findings are made for
    scoring only (a batch row's scores, tier and top finding ids), without evidence or citations."""
    out: list[Screened | Exception | None] = [None] * len(deals)
    with collector_paused():
        _screen_dates(deals, out, as_of, overrides, amendment_effective, mof, watchlists, mitigate, explained)
    assert all(s is not None for s in out), "every deal is screened or has its error"
    return cast(list[Screened | Exception], out)


def _screen_dates(deals: Sequence[Deal], out: list[Screened | Exception | None], as_of: dt.date | None, overrides: dict[str, Any] | None,
                  amendment_effective: dt.date | None, mof: MofList | None, watchlists: list[ListEntry] | None,
                  mitigate: list[str] | None, explained: bool = True) -> None:
    """Each as-of date's deals determined together, found one by one and scored together, into ``out``."""
    for day, idx in _by_date(deals, as_of).items():
        group = [deals[i] for i in idx]
        together = _determined_together(group, day, overrides, amendment_effective, mof)
        determined: list[tuple[Regime, Determination] | Exception] = []
        for k, deal in enumerate(group):
            try:
                determined.append(together[k] if together is not None else _determined_alone(deal, day, overrides, amendment_effective, mof))
            except Exception as exc:  # noqa: BLE001 - returned to the caller, row by row
                determined.append(exc)
        founds = _found(group, determined, watchlists, mitigate, explained)
        for i, deal, found, assessment in zip(idx, group, founds, assess_found(founds)):
            out[i] = assessment if isinstance(assessment, Exception) else Screened(
                deal, cast(Found, found).regime, cast(Found, found).det, assessment, as_of, mof, watchlists, mitigate, explained)


def _found(group: Sequence[Deal], determined: Sequence[tuple[Regime, Determination] | Exception], watchlists: list[ListEntry] | None,
           mitigate: list[str] | None, explained: bool) -> list[Found | Exception]:
    """The findings of the deals determined (every rule over one table of them), the others' errors passed on."""
    ok = [k for k, d in enumerate(determined) if not isinstance(d, Exception)]
    pairs = [cast(tuple[Regime, Determination], determined[k]) for k in ok]
    found = iter(find_many([group[k] for k in ok], [det for _, det in pairs], [regime for regime, _ in pairs], watchlists, mitigate,
                           explained) if ok else [])
    return [d if isinstance(d, Exception) else next(found) for d in determined]


def _determined_together(group: Sequence[Deal], day: dt.date, overrides: dict[str, Any] | None, amendment_effective: dt.date | None,
                         mof: MofList | None) -> list[tuple[Regime, Determination]] | None:
    """The deals of one date determined together, each with its own regime; None when they cannot be
    (a bad deal, or a date the law is not encoded for): then each is determined alone."""
    try:
        law = make_regime(day, overrides, amendment_effective)
        regimes = [make_regime(day, overrides, amendment_effective) for _ in group]
        return list(zip(regimes, determine_many(group, regimes, mof, batch_rows(group, law, mof), law)))
    except Exception:  # noqa: BLE001 - each deal's own error is kept when it is determined alone
        return None


def _determined_alone(deal: Deal, day: dt.date, overrides: dict[str, Any] | None, amendment_effective: dt.date | None,
                      mof: MofList | None) -> tuple[Regime, Determination]:
    regime = make_regime(day, overrides, amendment_effective)
    return regime, determine(deal, regime, mof)


def screen_many(deals: Sequence[Deal], as_of: dt.date | None = None, overrides: dict[str, Any] | None = None,
                amendment_effective: dt.date | None = None, mof: MofList | None = None,
                watchlists: list[ListEntry] | None = None, mitigate: list[str] | None = None) -> list[Screening]:
    """Screen many deals (:func:`screen_each`): the same Screenings as screening each deal alone; the
    first deal that cannot be screened raises its error."""
    out = []
    for s in screen_each(deals, as_of, overrides, amendment_effective, mof, watchlists, mitigate):
        if isinstance(s, Exception):
            raise s
        out.append(s)
    return out
