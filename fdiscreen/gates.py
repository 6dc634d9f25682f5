"""Conditions a script or a CI job can fail on (``--fail-on``): exit code 3 when a screening's result is
one of them. They read the Screening only; no legal conclusion is derived here."""

from __future__ import annotations

from enum import Enum

from fdiscreen.screening import Screening

#: the exit code of a run that worked but whose result is one the caller asked to fail on
EXIT_RESULT = 3


class FailOn(str, Enum):
    """Results ``--fail-on`` can name."""

    prior_notification = "prior-notification"
    at_risk = "at-risk"
    indeterminate = "indeterminate"


def requires_prior_notification(s: Screening) -> bool:
    """A prior notification (事前届出) must be filed before closing."""
    return s.filing.must_file.status == "yes"


def is_at_risk(s: Screening) -> bool:
    """The predicted outcome is at risk (high or severe tier), at the known facts or at the conservative
    reading of the unknown ones: an unknown fact never lets a deal pass the gate."""
    r = s.scores.range
    return s.scores.predicted_outcome == "at_risk" or (r is not None and r.high_predicted_outcome == "at_risk")


def is_indeterminate(s: Screening) -> bool:
    """The filing outcome turns on facts the deal file leaves unknown."""
    return s.filing.outcome.code == "indeterminate" or s.filing.must_file.status == "indeterminate"


TESTS = {FailOn.prior_notification: requires_prior_notification, FailOn.at_risk: is_at_risk,
         FailOn.indeterminate: is_indeterminate}


def failed_conditions(screenings: list[Screening], conditions: list[FailOn] | None) -> list[str]:
    """The named conditions that hold for any of the screenings, as their option values, in the order given."""
    return [c.value for c in dict.fromkeys(conditions or []) if any(TESTS[c](s) for s in screenings)]
