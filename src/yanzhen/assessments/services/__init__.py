"""Writes of 管 (the reserves' side), one module per kind of record; every service is importable from here.

Every function takes the acting user first, checks jurisdiction (outside it: Http404, as if the record did
not exist), then the role (PermissionDenied), then the data (ValidationError with Chinese messages keyed by
field), and only then writes, in one transaction, with field history naming the actor. A refused call writes
nothing. Saving, changing or deleting an assessment evaluates the rules (`rules.evaluate_person`) in the same
transaction. The incumbents' writes are `assessments.incumbents.services`.
"""

from yanzhen.assessments.services.assessments import (
    AssessmentInput,
    create_assessment,
    create_assessments_batch,
    delete_assessment,
    update_assessment,
    weighted_total,
)
from yanzhen.assessments.services.checkups import CheckupInput, open_campaign, save_checkup
from yanzhen.assessments.services.commendations import add_commendation
from yanzhen.assessments.services.discipline import (
    DisciplineInput,
    delete_discipline,
    record_discipline,
    update_discipline,
)
from yanzhen.assessments.services.removals import confirm_proposal, reject_proposal
from yanzhen.assessments.services.reports import (
    link_self_service,
    linked_person,
    review_report,
    submit_report,
)
from yanzhen.assessments.services.settings import (
    DimensionRow,
    current_rows,
    save_dimensions,
    save_settings,
    use_wuqiang,
)
from yanzhen.assessments.services.tolerance import ToleranceInput, apply_for_tolerance, determine_tolerance

__all__ = [
    "AssessmentInput",
    "CheckupInput",
    "DimensionRow",
    "current_rows",
    "save_dimensions",
    "use_wuqiang",
    "DisciplineInput",
    "ToleranceInput",
    "add_commendation",
    "apply_for_tolerance",
    "confirm_proposal",
    "create_assessment",
    "create_assessments_batch",
    "delete_assessment",
    "delete_discipline",
    "determine_tolerance",
    "link_self_service",
    "linked_person",
    "open_campaign",
    "record_discipline",
    "reject_proposal",
    "review_report",
    "save_checkup",
    "save_settings",
    "submit_report",
    "update_assessment",
    "update_discipline",
    "weighted_total",
]
