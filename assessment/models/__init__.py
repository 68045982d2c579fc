from assessment.models.appeals import (
    Objection,
    ObjectionKind,
    ObjectionStatus,
    Publication,
)
from assessment.models.bodies import PanelScore, ScoringBody, ScoringBodyMember
from assessment.models.catalogue import (
    AssessmentYear,
    Category,
    Department,
    Indicator,
    ReportSection,
    Target,
)
from assessment.models.figures import Figure, MonthlyReturn, YearValue
from assessment.models.jobs import Job, JobKind, JobState
from assessment.models.notices import Notice, NoticeKind, NoticeSettings
from assessment.models.people import Role, User
from assessment.models.planning import TargetAcknowledgement
from assessment.models.progress import Bulletin
from assessment.models.quality import (
    FollowUp,
    MonthRange,
    RuleTerm,
    ValidationRule,
)
from assessment.models.rectification import (
    Rectification,
    RectificationCause,
    RectificationStatus,
)
from assessment.models.scoring import (
    Adjustment,
    Evidence,
    ReportText,
    Score,
    SelfAssessment,
    SelfAssessmentSubmission,
    Veto,
)
from assessment.models.stored import RenderState, ReportRender, StoredReport
from assessment.models.translation import ReportTranslation
from assessment.models.writes import DataVersion, FormToken

__all__ = [
    "Adjustment",
    "AssessmentYear",
    "Bulletin",
    "Category",
    "DataVersion",
    "Department",
    "Evidence",
    "Figure",
    "YearValue",
    "FollowUp",
    "FormToken",
    "Indicator",
    "Job",
    "JobKind",
    "JobState",
    "MonthRange",
    "MonthlyReturn",
    "Notice",
    "NoticeKind",
    "NoticeSettings",
    "PanelScore",
    "Objection",
    "ObjectionKind",
    "ObjectionStatus",
    "Publication",
    "Rectification",
    "RectificationCause",
    "RectificationStatus",
    "ReportSection",
    "ReportText",
    "ReportTranslation",
    "Role",
    "RuleTerm",
    "Score",
    "ScoringBody",
    "ScoringBodyMember",
    "SelfAssessment",
    "SelfAssessmentSubmission",
    "RenderState",
    "ReportRender",
    "StoredReport",
    "Target",
    "TargetAcknowledgement",
    "User",
    "ValidationRule",
    "Veto",
]
