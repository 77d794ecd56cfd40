"""The models of cultivation (育), one module per practice; all importable from here."""

from yanzhen.cultivation.models.common import CultivationRules, OrganisedQuerySet, ParticipantQuerySet
from yanzhen.cultivation.models.cyclic import CyclicProgramme, CyclicRound, PracticeAssignment
from yanzhen.cultivation.models.growth import (
    LINK_FIELDS,
    DegreeStudy,
    Funding,
    GrowthPlan,
    GrowthPlanItem,
    ItemKind,
    StudyState,
)
from yanzhen.cultivation.models.mentoring import (
    GuidanceForm,
    GuidanceSession,
    Mentor,
    MentorKind,
    Mentorship,
    Pairing,
)
from yanzhen.cultivation.models.placement import (
    HostGrade,
    PracticePost,
    Secondment,
    SecondmentKind,
    SecondmentMode,
)
from yanzhen.cultivation.models.training import Enrolment, Training, TrainingKind

__all__ = [
    "LINK_FIELDS",
    "CultivationRules",
    "CyclicProgramme",
    "CyclicRound",
    "DegreeStudy",
    "Enrolment",
    "Funding",
    "GrowthPlan",
    "GrowthPlanItem",
    "GuidanceForm",
    "GuidanceSession",
    "HostGrade",
    "ItemKind",
    "Mentor",
    "MentorKind",
    "Mentorship",
    "OrganisedQuerySet",
    "Pairing",
    "ParticipantQuerySet",
    "PracticeAssignment",
    "PracticePost",
    "Secondment",
    "SecondmentKind",
    "SecondmentMode",
    "StudyState",
    "Training",
    "TrainingKind",
]
