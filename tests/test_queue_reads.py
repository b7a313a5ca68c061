"""The line is read off its index and in a few queries, so it stays cheap as it grows."""

from datetime import timedelta

from sqlalchemy import event, select, text, update

from queue_service.domain.ordering import QueuedTicket, in_queue_order
from queue_service.models import Ticket
from queue_service.persistence import outbox, queue_reads, repositories
from queue_service.services import checkins


def test_the_head_of_the_line_is_read_off_the_queue_index_without_a_sort(database, north):
    # On SQLite a migration that rebuilds the ticket table re-creates its indexes from
    # reflection, which once dropped the DESC on `urgent`: every call-next then sorted
    # everyone waiting, and ran at half speed with a few thousand in line.
    head = (
        select(Ticket.id)
        .where(Ticket.site_id == north.id, Ticket.status == "waiting")
        .order_by(*repositories.QUEUE_ORDER)
        .limit(repositories.CALL_WINDOW)
    )
    # Who is almost up, for their texts, after every call: read the same way.
    almost_up = outbox.HEAD_OF_LINE.params(site_id=north.id, besides=0, first=3, kind="x")
    with database.session() as session:
        checkins.check_in(session, "north", {"language": "en"})
    with database.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # PostgreSQL plans by its statistics: on a nearly empty table any index on
            # site_id looks as good, so the pin is taken on a month of a busy site's visits.
            _a_month_of_visits(conn, north.id)
        for statement in (head, almost_up):
            sql = str(statement.compile(conn, compile_kwargs={"literal_binds": True}))
            if conn.dialect.name == "sqlite":
                rows = conn.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
                plan = " ".join(row[3] for row in rows)
                assert "ix_ticket_queue" in plan and "TEMP B-TREE" not in plan, plan
            else:
                plan = " ".join(row[0] for row in conn.execute(text(f"EXPLAIN {sql}")))
                assert "ix_ticket_queue" in plan and "Sort" not in plan, plan


def _a_month_of_visits(conn, site_id: int) -> None:
    """6,000 visits copied from the one in the table, 1 in 30 still waiting, then ANALYZE."""
    columns = [c.name for c in Ticket.__table__.columns if c.name != "id"]
    made = {
        "token": "'seed-' || g.n",
        "number": "1000 + g.n",
        "status": "CASE WHEN g.n % 30 = 0 THEN 'waiting' ELSE 'completed' END",
        "urgent": "g.n % 300 = 0",
        "queued_at": "t.queued_at - g.n * interval '7 minutes'",
        "completed_at": "CASE WHEN g.n % 30 = 0 THEN NULL"
        " ELSE t.queued_at - g.n * interval '7 minutes' + interval '20 minutes' END",
        "idempotency_key": "NULL",
        "call_key": "NULL",
    }
    picks = ", ".join(made.get(c, f"t.{c}") for c in columns)
    conn.execute(
        text(
            f"INSERT INTO ticket ({', '.join(columns)}) SELECT {picks}"
            " FROM ticket t CROSS JOIN generate_series(1, 6000) AS g(n) WHERE t.site_id = :site"
        ),
        {"site": site_id},
    )
    conn.execute(text("ANALYZE ticket"))


def test_every_place_in_line_is_the_serving_order(database, north):
    with database.session() as session:
        for n in range(9):
            body = {"language": "en", "urgent": n in (3, 7)}
            checkins.check_in(session, "north", body)
        tickets = session.scalars(select(Ticket).order_by(Ticket.id)).all()
        # Two people who arrived at the same instant (ties go by id), and a person put
        # back in line who keeps an early place.
        same = tickets[4].queued_at
        session.execute(update(Ticket).where(Ticket.id == tickets[5].id).values(queued_at=same))
        session.execute(
            update(Ticket)
            .where(Ticket.id == tickets[8].id)
            .values(queued_at=tickets[0].queued_at - timedelta(seconds=1))
        )
        session.commit()
        waiting = session.scalars(select(Ticket).where(Ticket.status == "waiting")).all()
        order = in_queue_order(
            [QueuedTicket(t.id, t.urgent, t.queued_at, t.language) for t in waiting]
        )
        places = {t.id: queue_reads.position(session, t) for t in waiting}
        assert [places[q.id] for q in order] == list(range(1, len(waiting) + 1))


def test_the_live_queue_is_read_in_a_few_queries_however_long_the_line(
    app, api, world, sign_in, north
):
    world.staff("maria@example.org")
    headers = sign_in("maria@example.org")
    for n in range(30):
        ticket = api.check_in(name=f"P{n}").get_json()["ticket"]
        assert ticket["position"] == n + 1
    statements: list[str] = []
    engine = app.extensions["frontdoor"].database.engine
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    line = api.client.get("/api/v1/sites/north/queue", headers=headers)
    assert len(line.get_json()["tickets"]) == 30
    assert len(statements) < 10, statements  # not one query per person for their notes


def test_a_check_in_and_a_call_next_each_take_a_handful_of_statements(
    app, api, world, sign_in, north
):
    # The hot paths' statements, counted: a second read of the same figures, or a lazy
    # load after the commit (a connection taken from the pool again), shows up here.
    world.staff("maria@example.org", on_duty_at="north")
    headers = sign_in("maria@example.org")
    api.check_in(), api.check_in(), api.call_next(headers)  # the day's first work, once
    statements: list[str] = []
    engine = app.extensions["frontdoor"].database.engine
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

    def work() -> list[str]:
        found = [s for s in statements if not s.startswith("BEGIN")]
        statements.clear()
        return found

    assert api.check_in(name="Ana").status_code == 201
    # the site; on duty, busy and waiting; the day's number; the visitor the visit is theirs
    # (new here: nobody gave a number or code); the ticket; its history; its return code's
    # key; its place
    assert len(found := work()) <= 8, found
    called = api.call_next(headers)
    assert called.status_code == 200 and called.get_json()["ticket"]["notes"] == []
    # the sign-in; the site; the shift; the candidates (with the manager's own cases); the
    # claim (with its notes); the update; its history; its audit entry; who is now almost
    # up, for their texts; the card's visitor (visits in the window, open case)
    assert len(found := work()) <= 10, found


def test_a_person_requeued_after_a_note_is_called_with_it(app, api, world, sign_in, north):
    world.staff("maria@example.org", on_duty_at="north")
    headers = sign_in("maria@example.org")
    api.check_in(name="Ana")
    first = api.call_next(headers).get_json()["ticket"]
    noted = api.client.post(
        f"/api/v1/tickets/{first['id']}/notes", json={"body": "Back after lunch"}, headers=headers
    )
    assert noted.status_code == 201, noted.get_json()
    assert api.move(headers, first["id"], "requeue").status_code == 200
    statements: list[str] = []
    engine = app.extensions["frontdoor"].database.engine
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    again = api.call_next(headers).get_json()["ticket"]
    assert again["id"] == first["id"]
    assert [n["body"] for n in again["notes"]] == ["Back after lunch"]
    # read inside the claim's transaction, not lazily after its commit
    claimed = next(i for i, s in enumerate(statements) if s.startswith("UPDATE ticket"))
    assert not [s for s in statements[claimed:] if "ticket_note" in s], statements
