"""What the records of other apps say against passing 资格审查: each registered check reads the nominee's
records and returns the reasons he is on the negative list on the vetting's day (empty: nothing against him).

The candidacies app cannot import the apps built on it (assessments keeps the 处分 records), so they register
their checks here when they start (`AppConfig.ready`), as the .lrmx export takes contributions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from yanzhen.candidacies.models import Candidacy

Check = Callable[[Candidacy, date], list[str]]
_checks: list[Check] = []


def register(check: Check) -> None:
    if check not in _checks:
        _checks.append(check)


def reasons(candidacy: Candidacy, on: date) -> list[str]:
    """Every registered check's reasons against the nominee on the day, in the order of registration."""
    return [reason for check in _checks for reason in check(candidacy, on)]
