"""The Celery application: long work (report PDFs, a year's archive) and the schedule.

With `CELERY_BROKER_URL` set (Redis, e.g. ``redis://127.0.0.1:6379/0``) tasks go to the
workers (`celery -A sanitation worker`) and the schedule runs from `celery -A sanitation
beat`. Without it (`make run`, the tests) every task runs at once in the process that
asks for it (`task_always_eager`), so nothing more is needed.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanitation.settings")

app = Celery("sanitation")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
