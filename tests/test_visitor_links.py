"""Links by hand: a visit moves from one history to another with what it brought, a link is
undone by putting the visit back, and nothing is ever merged; both are audited."""

import pytest
from sqlalchemy import select

from queue_service.models import AuditEntry, Ticket, Visitor


@pytest.fixture
def manager(world, north, sign_in):  # type: ignore[no-untyped-def]
    world.staff(on_duty_at="north")
    return sign_in("cm@example.org")


def test_a_link_by_hand_moves_one_visit_and_unlinking_separates_them_again(
    north, api, manager, database, visitor_of
):
    mine = api.check_in(phone="+16175550123").get_json()["ticket"]
    stranger = api.check_in().get_json()["ticket"]
    queue = api.client.get("/api/v1/sites/north/queue", headers=manager).get_json()["tickets"]
    ids = {t["code"]: (t["id"], t["visitor_id"]) for t in queue}
    ticket_id, theirs = ids[stranger["code"]]
    _, visitor_id = ids[mine["code"]]
    linked = api.client.put(
        f"/api/v1/tickets/{ticket_id}/visitor", json={"visitor_id": visitor_id}, headers=manager
    )
    assert linked.status_code == 200 and linked.get_json()["ticket"]["visitor_id"] == visitor_id
    # The visit's own code came with it: next time it finds the same person.
    again = api.check_in(return_code=stranger["return_code"]).get_json()
    assert again["return_code_found"] and visitor_of(_id_of(database, again)) == visitor_id
    with database.session() as s:
        assert s.get(Visitor, theirs) is None  # nothing of theirs was left to keep
    unlinked = api.client.delete(f"/api/v1/tickets/{ticket_id}/visitor", headers=manager)
    alone = unlinked.get_json()["ticket"]["visitor_id"]
    assert unlinked.status_code == 200 and alone not in (None, visitor_id)
    # Undone whole: the code goes with the visit again.
    later = api.check_in(return_code=stranger["return_code"]).get_json()
    assert visitor_of(_id_of(database, later)) == alone
    history = api.client.get(f"/api/v1/visitors/{visitor_id}", headers=manager).get_json()
    assert stranger["code"] not in [v["code"] for v in history["visits"]]
    with database.session() as s:
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("visitor.%linked"))
        ).all()
    assert actions == ["visitor.linked", "visitor.unlinked"]


def _id_of(database, body):  # type: ignore[no-untyped-def]
    with database.session() as s:
        return s.scalar(select(Ticket.id).where(Ticket.token == body["ticket"]["token"]))


def queue_of(api, headers):  # type: ignore[no-untyped-def]
    tickets = api.client.get("/api/v1/sites/north/queue", headers=headers).get_json()["tickets"]
    return {t["code"]: t for t in tickets}


def link(api, headers, ticket_id, visitor_id):  # type: ignore[no-untyped-def]
    return api.client.put(
        f"/api/v1/tickets/{ticket_id}/visitor", json={"visitor_id": visitor_id}, headers=headers
    )


def test_a_visit_linked_out_of_someones_history_goes_back_there_when_unlinked(
    north, api, manager, on_an_earlier_day
):
    earlier = api.check_in(phone="+16175550123").get_json()["ticket"]
    api.client.post(f"/api/v1/tickets/{earlier['token']}/cancel")
    on_an_earlier_day(earlier, 1)
    today = api.check_in(phone="+16175550123").get_json()["ticket"]
    other = api.check_in(phone="+16175550199").get_json()["ticket"]
    line = queue_of(api, manager)
    rosa, dana = line[today["code"]]["visitor_id"], line[other["code"]]["visitor_id"]
    moved = link(api, manager, line[today["code"]]["id"], dana).get_json()["ticket"]
    assert moved["visitor_id"] == dana
    # Her number stayed with her earlier visit: her next check-in is hers, not Dana's.
    again = api.check_in(phone="+16175550123").get_json()["ticket"]
    assert queue_of(api, manager)[again["code"]]["visitor_id"] == rosa
    back = api.client.delete(f"/api/v1/tickets/{moved['id']}/visitor", headers=manager)
    assert back.get_json()["ticket"]["visitor_id"] == rosa


def test_a_visit_unlinked_from_someone_elses_code_gets_a_code_of_its_own(
    north, api, manager, database
):
    first = api.check_in().get_json()["ticket"]
    typed = api.check_in(return_code=first["return_code"]).get_json()["ticket"]
    assert typed["return_code"] == first["return_code"]
    ticket_id = queue_of(api, manager)[typed["code"]]["id"]
    api.client.delete(f"/api/v1/tickets/{ticket_id}/visitor", headers=manager)
    mine = api.client.get(f"/api/v1/tickets/{typed['token']}").get_json()["ticket"]
    assert mine["return_code"] not in (None, first["return_code"])
    again = api.check_in(return_code=mine["return_code"]).get_json()["ticket"]
    line = queue_of(api, manager)
    assert line[again["code"]]["visitor_id"] == line[typed["code"]]["visitor_id"]
    assert line[again["code"]]["visitor_id"] != line[first["code"]]["visitor_id"]


def test_unlinking_a_visit_recognised_by_itself_leaves_the_number_with_the_others(
    north, api, manager, on_an_earlier_day
):
    first = api.check_in(phone="+16175550123").get_json()["ticket"]
    api.client.post(f"/api/v1/tickets/{first['token']}/cancel")
    on_an_earlier_day(first, 1)
    second = api.check_in(phone="+16175550123").get_json()["ticket"]
    line = queue_of(api, manager)
    person = line[second["code"]]["visitor_id"]
    with_id = api.client.get(f"/api/v1/visitors/{person}", headers=manager).get_json()
    first_id = next(v["ticket_id"] for v in with_id["visits"] if v["code"] == first["code"])
    api.client.delete(f"/api/v1/tickets/{first_id}/visitor", headers=manager)
    third = api.check_in(phone="+16175550123").get_json()["ticket"]
    assert queue_of(api, manager)[third["code"]]["visitor_id"] == person


def test_the_console_asks_before_taking_a_visit_out_of_someones_history(
    world, north, api, client, console_sign_in, csrf_token, manager
):
    mine = api.check_in(phone="+16175550123").get_json()["ticket"]
    theirs = api.check_in(phone="+16175550199").get_json()["ticket"]
    again = api.check_in(phone="+16175550199").get_json()["ticket"]
    assert theirs and again
    line = queue_of(api, manager)
    console_sign_in(client, "cm@example.org")
    page = client.get(f"/console/visitors/{line[mine['code']]['visitor_id']}")
    form = {"csrf_token": csrf_token(page.text), "site": "north", "code": theirs["code"]}
    url = f"/console/visitors/{line[mine['code']]['visitor_id']}/visits"
    asked = client.post(url, data=form)
    assert asked.status_code == 409 and "already part of another visitor" in asked.text
    assert "data-confirm-link" in asked.text
    assert queue_of(api, manager)[theirs["code"]]["visitor_id"] != line[mine["code"]]["visitor_id"]
    done = client.post(url, data={**form, "confirm": "yes"})
    assert done.status_code == 303
    assert queue_of(api, manager)[theirs["code"]]["visitor_id"] == line[mine["code"]]["visitor_id"]
