"""The models of 管: reserves' reports, assessments, proposals, check-ups and commendations (`reserves`), and
incumbents' monthly scores, 双述双评, rules and adjustment proposals (`incumbents`); all importable from here."""

from yanzhen.assessments.models.incumbents import (
    ADJUSTMENT_STATE_NAMES as ADJUSTMENT_STATE_NAMES,
)
from yanzhen.assessments.models.incumbents import (
    GRADE_ORDER as GRADE_ORDER,
)
from yanzhen.assessments.models.incumbents import (
    AdjustmentProposal as AdjustmentProposal,
)
from yanzhen.assessments.models.incumbents import (
    AnnualReview as AnnualReview,
)
from yanzhen.assessments.models.incumbents import (
    IncumbentRule as IncumbentRule,
)
from yanzhen.assessments.models.incumbents import (
    IncumbentScoreItem as IncumbentScoreItem,
)
from yanzhen.assessments.models.incumbents import (
    MonthlyScore as MonthlyScore,
)
from yanzhen.assessments.models.incumbents import (
    grade_at_or_below as grade_at_or_below,
)
from yanzhen.assessments.models.reserves import (
    CONCLUSION_NAMES as CONCLUSION_NAMES,
)
from yanzhen.assessments.models.reserves import (
    DIMENSIONS as DIMENSIONS,
)
from yanzhen.assessments.models.reserves import (
    GRADE_NAMES as GRADE_NAMES,
)
from yanzhen.assessments.models.reserves import (
    LEVEL_NAMES as LEVEL_NAMES,
)
from yanzhen.assessments.models.reserves import (
    PROPOSAL_STATE_NAMES as PROPOSAL_STATE_NAMES,
)
from yanzhen.assessments.models.reserves import (
    SCORE_VALIDATORS as SCORE_VALIDATORS,
)
from yanzhen.assessments.models.reserves import (
    Assessment as Assessment,
)
from yanzhen.assessments.models.reserves import (
    AssessmentSettings as AssessmentSettings,
)
from yanzhen.assessments.models.reserves import (
    AssessmentSettingsQuerySet as AssessmentSettingsQuerySet,
)
from yanzhen.assessments.models.reserves import (
    CampaignQuerySet as CampaignQuerySet,
)
from yanzhen.assessments.models.reserves import (
    Checkup as Checkup,
)
from yanzhen.assessments.models.reserves import (
    CheckupCampaign as CheckupCampaign,
)
from yanzhen.assessments.models.reserves import (
    Commendation as Commendation,
)
from yanzhen.assessments.models.reserves import (
    CommendationLevel as CommendationLevel,
)
from yanzhen.assessments.models.reserves import (
    Conclusion as Conclusion,
)
from yanzhen.assessments.models.reserves import (
    Grade as Grade,
)
from yanzhen.assessments.models.reserves import (
    NoticeBoardEntry as NoticeBoardEntry,
)
from yanzhen.assessments.models.reserves import (
    ProposalBasis as ProposalBasis,
)
from yanzhen.assessments.models.reserves import (
    ProposalState as ProposalState,
)
from yanzhen.assessments.models.reserves import (
    RemovalProposal as RemovalProposal,
)
from yanzhen.assessments.models.reserves import (
    ReportChannel as ReportChannel,
)
from yanzhen.assessments.models.reserves import (
    SelfServiceLink as SelfServiceLink,
)
from yanzhen.assessments.models.reserves import (
    SemiannualReport as SemiannualReport,
)
