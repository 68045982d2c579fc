"""django.contrib.admin with the product's own site (see assessment.admin_site)."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "assessment.admin_site.AssessmentAdminSite"
