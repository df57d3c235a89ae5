"""How far a request has gone, read once from its steps, for the screen and the slip alike.

The contract sends both ``current_step`` and the ``steps``; a server whose two disagree made
the screen say « Étape actuelle : Instruction » above a timeline where Instruction was done
and Décision in progress. So the steps are the one source of truth: the current step is the
first step not done, and ``current_step`` only names it when the server lists no such step.
A closed request (completed, refused) shows only the steps that happened: nothing is still
to come, and steps it never reached are not drawn as if they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.api import models
from kiosk.i18n import _

CLOSED = ("completed", "rejected")


@dataclass(frozen=True)
class StepState:
    label: str
    state: str              # done, current or todo (the timeline's words)
    date: date | None


@dataclass(frozen=True)
class Progress:
    steps: tuple[StepState, ...]
    current: str | None     # the step in progress; None once the request is closed
    last: str | None        # the last step that happened
    closed: bool
    can_answer: bool        # the department waits for something from the person

    def headline(self, status: str) -> str:
        """The status line above the timeline (and on the slip)."""
        if not self.closed:
            if self.current is not None:
                return _("Current step: {step}").format(step=self.current)
            text = status_words(status)
            return text + (" — " + _("last step: {step}").format(step=self.last) if self.last else "")
        # Closed: the timeline's last row says where it ended; a refusal is its own last step,
        # so « Demande refusée — dernière étape : Demande refusée » is never said.
        text = status_words(status)
        if status == "completed" and self.last and self.last != text:
            text += " — " + _("last step: {step}").format(step=self.last)
        return text


def progress(request: models.TrackedRequest) -> Progress:
    closed = request.status in CLOSED
    steps = request.steps
    if closed:
        happened = tuple(StepState(s.label, "done", s.date) for s in steps if s.done)
        last = happened[-1].label if happened else request.current_step
        return Progress(happened, None, last, closed=True, can_answer=False)
    first = next((i for i, s in enumerate(steps) if not s.done), None)
    rows = [StepState(s.label, "done" if s.done else "todo", s.date) for s in steps]
    if first is not None:
        rows[first] = StepState(steps[first].label, "current", steps[first].date)
        current: str | None = steps[first].label
    elif request.current_step and request.current_step not in {s.label for s in steps}:
        # Every listed step done and the server names one more: that one is in progress.
        rows.append(StepState(request.current_step, "current", None))
        current = request.current_step
    else:
        current = None
    done = [r.label for r in rows if r.state == "done"]
    return Progress(tuple(rows), current, done[-1] if done else None, closed=False,
                    can_answer=request.status == "waiting_citizen")


def status_words(status: str) -> str:
    return {
        "in_progress": _("Being processed"),
        "waiting_citizen": _("The department is waiting for something from you"),
        "completed": _("Request completed"),
        "rejected": _("Request refused"),
    }.get(status, status)
