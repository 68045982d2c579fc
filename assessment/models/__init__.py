from assessment.models.catalogue import (
    AssessmentYear,
    Category,
    Department,
    Indicator,
    ReportSection,
    Target,
)
from assessment.models.figures import Figure, MonthlyReturn
from assessment.models.people import Role, User
from assessment.models.quality import (
    FollowUp,
    MonthRange,
    RuleTerm,
    ValidationRule,
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
from assessment.models.translation import ReportTranslation
from assessment.models.writes import DataVersion, FormToken

__all__ = [
    "Adjustment",
    "AssessmentYear",
    "Category",
    "DataVersion",
    "Department",
    "Evidence",
    "Figure",
    "FollowUp",
    "FormToken",
    "Indicator",
    "MonthRange",
    "MonthlyReturn",
    "ReportSection",
    "ReportText",
    "ReportTranslation",
    "Role",
    "RuleTerm",
    "Score",
    "SelfAssessment",
    "SelfAssessmentSubmission",
    "Target",
    "User",
    "ValidationRule",
    "Veto",
]
