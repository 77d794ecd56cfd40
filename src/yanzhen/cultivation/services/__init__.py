"""Writes of cultivation (育), one module per practice; every service is importable from here.

Each takes the acting user first (keyword-only), checks jurisdiction (Http404), role (PermissionDenied)
and data (ValidationError with Chinese messages keyed by field), then writes in one transaction with
history naming the actor. A refused call writes nothing. See `common` for the shared rules.
"""

from yanzhen.core.guards import today
from yanzhen.cultivation.services.common import add_months, last_day_of_months, rules_for, save_rules
from yanzhen.cultivation.services.cyclic import (
    add_round,
    create_cyclic_programme,
    judge_assignment,
    set_assignment_task,
    submit_assignment,
)
from yanzhen.cultivation.services.growth import (
    add_plan_item,
    complete_plan_item,
    create_degree_study,
    finish_degree_study,
    save_growth_plan,
)
from yanzhen.cultivation.services.mentoring import (
    create_mentor,
    create_mentorship,
    end_mentorship,
    log_guidance,
    may_log_guidance,
    peak_mentees,
    set_mentor_active,
)
from yanzhen.cultivation.services.placement import (
    SecondmentInput,
    assign_practice_post,
    create_secondment,
    end_practice_post,
    evaluate_secondment,
    submit_secondment_report,
)
from yanzhen.cultivation.services.training import (
    AttendanceInput,
    TrainingInput,
    create_training,
    enrol,
    record_attendance,
    update_training,
    withdraw,
)
from yanzhen.cultivation.services.unit_enrolment import (
    UnitEnrolment,
    enrol_unit,
    plan_unit_enrolment,
    reserves_of_unit,
)

__all__ = [
    "AttendanceInput",
    "SecondmentInput",
    "TrainingInput",
    "UnitEnrolment",
    "add_months",
    "add_plan_item",
    "add_round",
    "assign_practice_post",
    "complete_plan_item",
    "create_cyclic_programme",
    "create_degree_study",
    "create_mentor",
    "create_mentorship",
    "create_secondment",
    "create_training",
    "end_mentorship",
    "end_practice_post",
    "enrol",
    "enrol_unit",
    "evaluate_secondment",
    "finish_degree_study",
    "judge_assignment",
    "last_day_of_months",
    "log_guidance",
    "may_log_guidance",
    "peak_mentees",
    "plan_unit_enrolment",
    "record_attendance",
    "reserves_of_unit",
    "rules_for",
    "save_growth_plan",
    "save_rules",
    "set_assignment_task",
    "set_mentor_active",
    "submit_assignment",
    "submit_secondment_report",
    "today",
    "update_training",
    "withdraw",
]
