"""The one scoped access path to department data.

Every model that belongs to a department uses `DepartmentScopedQuerySet`; views, exports
and reports start from `Model.objects.for_user(user)`, so a clerk can only ever reach the
departments they belong to, whatever id or URL they send.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models

if TYPE_CHECKING:
    from assessment.models.people import User


class DepartmentScopedQuerySet(models.QuerySet):
    #: ORM path from the model to its department.
    department_path = "department"

    def for_user(self, user: User) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_departments:
            return self
        return self.filter(**{f"{self.department_path}__members": user})

    def for_department(self, department_id: int) -> Self:
        return self.filter(**{f"{self.department_path}_id": department_id})
