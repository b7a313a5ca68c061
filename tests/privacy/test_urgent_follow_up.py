"""An urgent person nobody saw must stay reachable: their name and phone are kept, whatever
the period, until a lead has followed them up; then the phone goes at once, and the site's
period runs from the follow-up."""

from datetime import UTC, datetime, timedelta

from queue_service.services import retention

# 23:59 on 1 March in Boston; a follow-up at 10:00 on 20 March; midnight starting 20 April
# (30 days after 20 March) and the minute before it.
CLOSED = datetime(2026, 3, 2, 4, 59, tzinfo=UTC)
FOLLOWED_UP = datetime(2026, 3, 20, 14, 0, tzinfo=UTC)
MIDNIGHT_APRIL_20 = datetime(2026, 4, 20, 4, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def purged(session, now) -> int:  # type: ignore[no-untyped-def]
    return {r.site: r.summary() for r in retention.purge(session, now)}["north"]["visits"]


def test_name_and_phone_outlive_the_close_and_any_period_until_a_lead_follows_up(
    session, visits_at, stored
):
    ticket_id, who = visits_at.left_unseen(CLOSED, followed_up_after=None)
    kept = stored(ticket_id).ticket
    assert (kept.name, kept.phone) == (who.name, who.phone)
    # What only served the visit in line still goes at the close.
    assert (kept.request_fingerprint, kept.sms_opt_in) == (None, False)
    assert purged(session, CLOSED + timedelta(days=400)) == 0
    kept = stored(ticket_id)
    assert (kept.ticket.name, kept.ticket.phone) == (who.name, who.phone)
    assert kept.visitor_origins == [visits_at.visitor_address] * 2


def test_the_follow_up_erases_the_phone_and_starts_the_period(session, visits_at, stored):
    ticket_id, who = visits_at.left_unseen(CLOSED, followed_up_after=None)
    visits_at.follow_up(ticket_id, who, FOLLOWED_UP)
    assert (stored(ticket_id).ticket.phone, stored(ticket_id).ticket.name) == (None, who.name)
    assert purged(session, MIDNIGHT_APRIL_20 - MINUTE) == 0
    assert stored(ticket_id).ticket.follow_up_note == who.follow_up
    assert purged(session, MIDNIGHT_APRIL_20) == 1
    gone = stored(ticket_id)
    assert (gone.ticket.name, gone.ticket.follow_up_note, gone.visitor_origins) == (
        None,
        None,
        [None, None],
    )


def test_a_person_who_was_seen_loses_the_phone_at_the_close_as_ever(visits_at, stored):
    ticket_id, _ = visits_at.completed(CLOSED)
    assert stored(ticket_id).ticket.phone is None
