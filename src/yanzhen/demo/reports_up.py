"""The demo county's reports filed upward (issue 20 §3): 盐池县 submits this year's figures as a locked, signed
snapshot, so the page of reports (and a province's roll-up) is not empty. Written through
`reports_up.services` as the demo administrator. Idempotent: a current snapshot of the year is left alone."""

from __future__ import annotations

from yanzhen.accounts.models import User
from yanzhen.core.guards import today
from yanzhen.divisions.models import Division
from yanzhen.reports_up import services
from yanzhen.reports_up.models import Kind


def build_reports_up(county: str, actor_name: str = "county") -> int:
    """Submit the county's figures of this year unless submitted already; the number of snapshots written."""
    division = Division.objects.get(code=county)
    year = today().year
    if services.current_of(division, Kind.YEAR, year).exists():
        return 0
    services.submit_snapshot(
        actor=User.objects.get(username=actor_name), county=division, kind=Kind.YEAR, year=year
    )
    return 1
