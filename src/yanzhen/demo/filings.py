"""The demo's 备案/审批 (issue 20 §3): 盐池县 wants its townships' 入库 filed with it (备案) and their 出库
approved by it (审批). 花马池镇's latest four entries into the pool are on file (the oldest acknowledged), and one
removal asked by 花马池镇's clerk through the pipeline waits for the county's yes. Idempotent: nothing is done
while the county has filing settings."""

from __future__ import annotations

from django.db import transaction

from yanzhen.candidacies.models import (
    Candidacy,
    CandidacyState,
    Filing,
    FilingMode,
    FilingSettings,
    FilingState,
    FilingStep,
)

ENTRIES = 4


@transaction.atomic
def build_filings(county: str, township: str) -> int:
    """The county's settings, the township's filings and one request; the number of filings made."""
    from yanzhen.accounts.models import User
    from yanzhen.candidacies import filing, transitions
    from yanzhen.core.guards import attribute_to, today
    from yanzhen.divisions.models import Division

    if FilingSettings.objects.filter(county_id=county).exists():
        return 0
    admin, clerk = User.objects.get(username="county"), User.objects.get(username="huamachi")
    filing.save_settings(
        actor=admin,
        county=Division.objects.get(code=county),
        entry=FilingMode.FILING,
        removal=FilingMode.APPROVAL,
    )
    pool = Candidacy.objects.filter(village__code__startswith=township, state=CandidacyState.IN_POOL)
    latest = list(pool.order_by("-entered_pool_on", "-pk")[: ENTRIES + 1])
    made = []
    for candidacy in latest[:ENTRIES]:
        row = Filing(
            candidacy=candidacy,
            kind=FilingMode.FILING,
            step=FilingStep.ENTRY,
            source_state=CandidacyState.IN_NOTICE,
            target_state=CandidacyState.IN_POOL,
            inputs={"on": candidacy.entered_pool_on.isoformat()} if candidacy.entered_pool_on else {},
            on=candidacy.entered_pool_on or today(),
            proposed_by=clerk,
            state=FilingState.PENDING,
        )
        attribute_to(row, clerk)
        row.save()
        made.append(row)
    if made:
        filing.acknowledge(actor=admin, filings=made[-1:])
    if len(latest) > ENTRIES:
        move = transitions.find(CandidacyState.IN_POOL, CandidacyState.REMOVED)
        assert move is not None
        made.append(
            move.perform(
                clerk,
                latest[ENTRIES],
                {"reason": "absent", "destination": "", "note": "长期在外务工", "on": today()},
            )
        )
    return len(made)
