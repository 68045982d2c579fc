"""The one scoped access path to department data.

Every model that belongs to a department uses `DepartmentScopedQuerySet`; views, exports
and reports start from `Model.objects.for_user(user)`, which delegates to the one scope
rule, `Department.objects.visible_to(user)`: a clerk only ever reaches the departments
they belong to, whatever id or URL they send.
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
        from assessment.models.catalogue import Department

        if user.is_authenticated and user.is_active and user.sees_all_departments:
            return self
        return self.filter(
            **{f"{self.department_path}__in": Department.objects.visible_to(user)}
        )
