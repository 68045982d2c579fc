from .catalogue import AssessmentYear, Category, Department, Indicator, Target
from .figures import Figure, MonthlyReturn
from .people import Role, User
from .scoring import (
    Adjustment,
    Evidence,
    ReportText,
    Score,
    SelfAssessment,
    SelfAssessmentSubmission,
    Veto,
)

__all__ = [
    "Adjustment",
    "AssessmentYear",
    "Category",
    "Department",
    "Evidence",
    "Figure",
    "Indicator",
    "MonthlyReturn",
    "ReportText",
    "Role",
    "Score",
    "SelfAssessment",
    "SelfAssessmentSubmission",
    "Target",
    "User",
    "Veto",
]
