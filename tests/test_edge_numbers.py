"""A number too big for the database (or any odd value) in any field of any JSON endpoint
is a clear 4xx in the contract's shape, never a 500."""

from __future__ import annotations

import re

import pytest

HUGE = 10**30
FIELDS = ("to", "version", "desk", "position", "minutes", "reason", "language", "needs",
          "hours", "closures", "languages", "urgent", "phone", "name", "note", "action",
          "outcome", "sites", "role", "email", "password", "key", "site", "limit",
          "retention_days", "print_tickets")  # fmt: skip
SIGN_OUT = ("/logout", "/sign-out")
ODD = (HUGE, -HUGE, 1e308, [HUGE], {"x": HUGE}, True, "9" * 40)


def routes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.endswith(SIGN_OUT):
            continue  # the fuzzing would end its own session
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"}):
            path = re.sub(r"<int:[^>]+>", "1", rule.rule)
            path = re.sub(r"<[^>]+>", "north", path)
            found.append((method, path))
    return found


def test_no_field_of_any_endpoint_answers_500(app, client, world, north, sign_in) -> None:
    world.staff("ada@example.org", role="admin", on_duty_at="north")
    headers = sign_in("ada@example.org")
    client.post("/api/v1/sites/north/check-ins", json={"language": "en"})
    # Ticket 1 is with Ada, so a transfer or an outcome reaches its later checks.
    assert client.post("/api/v1/sites/north/queue/next", headers=headers).status_code == 200
    failures = []
    for method, path in routes(app):
        for field in FIELDS:
            for value in ODD:
                answer = client.open(path, method=method, json={field: value}, headers=headers)
                if answer.status_code >= 500:
                    failures.append((method, path, field, value, answer.status_code))
    assert sorted({f[:3] for f in failures}) == []
    # Still signed in with Ticket 1 at Ada's desk: every request met the endpoint's checks.
    ticket = client.get("/api/v1/tickets/1", headers=headers).get_json()["ticket"]
    assert ticket["status"] == "called"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/tickets/%d/acknowledge", {}),
        ("/api/v1/tickets/%d/transitions", {"action": "cancel"}),
        ("/api/v1/tickets/%d/notes", {"body": "A note."}),
    ],
)
def test_an_id_too_big_for_the_database_is_not_found(
    client, world, north, sign_in, path, body
) -> None:
    world.staff("ada@example.org", role="admin")
    answer = client.post(path % HUGE, json=body, headers=sign_in("ada@example.org"))
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "ticket_not_found"


def test_no_page_or_read_answers_500_for_a_huge_id_or_query(app, client, world, north, sign_in):
    world.staff("ada@example.org", role="admin", on_duty_at="north")
    headers = sign_in("ada@example.org")
    failures = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.rule.startswith("/static"):
            continue
        path = re.sub(r"<int:[^>]+>", str(HUGE), rule.rule)
        path = re.sub(r"<[^>]+>", "north", path)
        huge = f"?limit={HUGE}&before={HUGE}&staff={HUGE}&ticket={HUGE}&site=north"
        for query in ("", huge):
            answer = client.get(path + query, headers=headers)
            if answer.status_code >= 500:
                failures.append((path, query, answer.status_code))
    assert failures == []
