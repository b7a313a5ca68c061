"""The words staff screens show for statuses and outcomes: one place, so every screen and
report says the same thing. (The public's words are translated, in kiosk/texts.py.)"""

from __future__ import annotations

from .lifecycle import Action, CrisisReferral, Outcome, Status

STATUS_LABELS = {
    Status.WAITING: "Waiting",
    Status.CALLED: "Called",
    Status.IN_SESSION: "With a case manager",
    Status.COMPLETED: "Completed",
    Status.NO_SHOW: "No-show",
    Status.CANCELLED: "Cancelled",
    Status.LEFT: "Left without being seen",
}

OUTCOME_LABELS = {
    Outcome.RESOLVED: "Resolved",
    Outcome.REFERRED: "Referred",
    Outcome.FOLLOW_UP: "Follow-up needed",
    Outcome.CASE_OPENED: "Critical-need case opened",
    Outcome.CRISIS: "Crisis referral",
    Outcome.UNREACHABLE: "Could not be reached",
    Outcome.OTHER: "Other",
    Outcome.NOT_RECORDED: "Not recorded (the day ended with the session still open)",
}

CRISIS_LABELS = {
    CrisisReferral.LIFELINE_988: "988 Lifeline",
    CrisisReferral.MOBILE_CRISIS: "Mobile crisis team",
    CrisisReferral.EMERGENCY_DEPARTMENT: "Emergency department",
    CrisisReferral.CALLED_911: "911 called",
}

# What a status line says after each move: "A-001 completed: referred to housing".
ACTION_DONE = {
    Action.CALL: "called",
    Action.START: "is with a case manager",
    Action.COMPLETE: "completed",
    Action.NO_SHOW: "marked as a no-show",
    Action.CANCEL: "cancelled",
    Action.REQUEUE: "back in the line",
    Action.LEFT: "left without being seen",
}


def status_label(status: str, end_reason: str | None = None) -> str:
    label = STATUS_LABELS.get(Status(status), status)
    return f"{label} (the day ended first)" if end_reason == "day_closed" else label


def outcome_label(
    outcome: str | None, detail: str | None = None, crisis_referral: str | None = None
) -> str | None:
    if outcome is None:
        return None
    base = OUTCOME_LABELS.get(Outcome(outcome), outcome)
    if crisis_referral:
        return f"{base}: {CRISIS_LABELS.get(CrisisReferral(crisis_referral), crisis_referral)}"
    if outcome == Outcome.REFERRED and detail:
        return f"Referred to {detail}"
    return f"{base}: {detail}" if detail else base
