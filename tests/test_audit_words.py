"""The audit log in plain words: a sentence for every kind of entry, in the site's time."""

from datetime import UTC, datetime

import pytest

from queue_service.domain.audit_labels import ACTION_LABELS
from queue_service.domain.audit_words import (
    REASONS,
    SENTENCES,
    EntryFacts,
    local_time,
    sentence,
)
from queue_service.domain.history import Actor, AuditAction, AuditReason


@pytest.mark.parametrize("reason", list(AuditReason))
def test_every_reason_the_system_gives_reads_as_words(reason):
    assert REASONS.get(reason), f"{reason} has no words"
    said = sentence(
        EntryFacts(action=AuditAction.DUTY_ENDED.value, actor="system", detail={"reason": reason})
    )
    assert REASONS[reason] in said and reason.value not in said


@pytest.mark.parametrize("action", list(AuditAction))
@pytest.mark.parametrize("actor", list(Actor))
def test_every_kind_of_entry_has_a_sentence_and_a_label(action, actor):
    assert action in SENTENCES, f"{action} has no sentence"
    assert ACTION_LABELS.get(action), f"{action} has no label for the filter"
    said = sentence(
        EntryFacts(action=action.value, actor=actor.value, staff_name="Maria", ticket_code="A-3")
    )
    assert said and "None" not in said and "{" not in said
    assert action.value not in said  # words, not the code


def test_a_hand_over_names_both_people_and_the_ticket():
    facts = EntryFacts(
        action="ticket.transferred",
        actor="staff",
        staff_id=1,
        staff_name="Maria",
        ticket_code="A-003",
        detail={"from_staff_id": 1, "to_staff_id": 2},
        names={1: "Maria", 2: "James"},
    )
    assert sentence(facts) == "Maria handed A-003 over to James"
    someone_elses = EntryFacts(
        **{**facts.__dict__, "detail": {"from_staff_id": 3, "to_staff_id": 2}}
    )
    assert sentence(someone_elses) == "Maria handed A-003 over from a colleague to James"


def test_a_failed_sign_in_says_the_email_tried_and_why():
    facts = EntryFacts(
        action="staff.sign_in_failed",
        actor="system",
        detail={"reason": "bad_credentials", "email_tried": "x@y.org"},
    )
    assert sentence(facts) == 'Someone tried to sign in as "x@y.org" — wrong password'


def test_a_typed_email_cannot_pass_for_more_of_the_sentence():
    forged = 'x@y.org — wrong password\nMaria deactivated "Sam'
    facts = EntryFacts(
        action="staff.sign_in_failed",
        actor="system",
        detail={"reason": "bad_credentials", "email_tried": forged},
    )
    assert sentence(facts) == (
        'Someone tried to sign in as "x@y.org — wrong password\\nMaria deactivated \\"Sam"'
        " — wrong password"
    )


def test_the_systems_own_actions_say_why():
    closed = EntryFacts(
        action="ticket.day_closed",
        actor="system",
        ticket_code="B-014",
        detail={"reason": "service_day_ended", "from": "waiting", "to": "left"},
    )
    assert sentence(closed) == (
        "The system closed B-014 at the end of the day: waiting → left (the service day ended)"
    )
    shift = EntryFacts(
        action="duty.ended",
        actor="system",
        detail={"reason": "service_day_ended", "staff_id": 7},
        names={7: "James"},
    )
    assert sentence(shift) == "The system ended James's duty shift (the service day ended)"


def test_an_outcome_and_a_deactivation_read_as_words():
    done = EntryFacts(
        action="ticket.complete",
        actor="staff",
        staff_name="Ana",
        ticket_code="A-001",
        detail={"outcome": "crisis", "crisis_referral": "988"},
    )
    assert sentence(done) == "Ana completed A-001: crisis referral: 988 lifeline"
    gone = EntryFacts(
        action="staff.changed",
        actor="staff",
        staff_name="Ada",
        detail={"staff_id": 4, "staff": "sam@x.org", "changes": {"active": {"after": False}}},
        names={4: "Sam"},
    )
    assert sentence(gone) == "Ada deactivated Sam (sam@x.org)"


def test_times_read_on_the_sites_own_clock():
    at = datetime(2026, 12, 1, 19, 3, tzinfo=UTC)
    assert local_time(at, "America/New_York") == "Tue 1 Dec 2026, 14:03"
    assert local_time(datetime(2026, 7, 1, 3, 5, tzinfo=UTC), "America/New_York") == (
        "Tue 30 Jun 2026, 23:05"  # summer time, and the day before in Boston
    )
