"""How far a report's PDF is from being ready, in steps and in words (no database).

A change to the data a report prints makes its stored PDF stale. From there the new
one goes through the steps of `STEPS`: it waits for a worker (queued, with workers
only), it is rendered, it is ready. A stale PDF with nothing under way ("stale": no
workers, the queue was down, or another language than the scheduled one) waits for
the report page to ask for it, which makes it there and then. A report whose PDF was
never made ("none") waits for its first download.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

READY = "ready"
QUEUED = "queued"
RENDERING = "rendering"
FAILED = "failed"
STALE = "stale"
NONE = "none"

#: 1 waiting for a worker (or for the page to ask), 2 being made, 3 ready
STEPS = 3
_STEP = {NONE: 0, STALE: 1, QUEUED: 1, RENDERING: 2, READY: 3, FAILED: 1}


@dataclass(frozen=True)
class Readiness:
    state: str
    made_at: datetime.datetime | None = None
    error: str = ""

    @property
    def step(self) -> int:
        return _STEP[self.state]

    @property
    def steps(self) -> int:
        return STEPS

    @property
    def ready(self) -> bool:
        return self.state == READY

    @property
    def updating(self) -> bool:
        """Something is (or is about to be) under way: the page keeps asking."""
        return self.state in (STALE, QUEUED, RENDERING)

    @property
    def text(self) -> str:
        when = self.made_at.strftime("%Y-%m-%d %H:%M") if self.made_at else ""
        if self.state == READY:
            return _("The PDF of this report is ready (made %(when)s).") % {
                "when": when
            }
        if self.state == NONE:
            return _(
                "No PDF of this report has been made yet; “Download PDF” makes it."
            )
        if self.state == FAILED:
            return _("The new PDF could not be made: %(error)s") % {
                "error": self.error or _("no reason was recorded.")
            }
        step = _("step %(step)d of %(steps)d") % {
            "step": self.step,
            "steps": self.steps,
        }
        if self.state == QUEUED:
            what = _("The data changed; the new PDF is waiting for a worker")
        elif self.state == RENDERING:
            what = _("The new PDF is being made from the current data")
        else:
            what = _("The data changed since the PDF was made; it is made anew")
        return _("%(what)s (%(step)s).") % {"what": what, "step": step}


def readiness(
    *,
    stored_current: bool,
    made_at: datetime.datetime | None,
    stored: bool = True,
    data_version: int,
    render_state: str | None = None,
    render_version: int | None = None,
    render_changed_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
    patience: datetime.timedelta | None = None,
    error: str = "",
) -> Readiness:
    """The PDF's readiness from the stored PDF (whether there is one, whether current,
    when it was made) and
    the render under way, if any (its state, the data version it is made from, when
    its state last changed).

    A render under way for an older data version counts for nothing: a later change
    has moved the data on, and its own render (or the page) takes over. Nor does one
    that has not moved for longer than `patience` (its worker died, the queue lost
    it): the PDF is stale again, so the page asks for it anew."""
    if stored_current:
        return Readiness(READY, made_at)
    stalled = (
        patience is not None
        and now is not None
        and render_changed_at is not None
        and now - render_changed_at > patience
    )
    if render_state is not None and render_version == data_version and not stalled:
        if render_state in (QUEUED, RENDERING):
            return Readiness(render_state, made_at)
        if render_state == FAILED:
            return Readiness(FAILED, made_at, error)
    return Readiness(STALE if stored else NONE, made_at)
