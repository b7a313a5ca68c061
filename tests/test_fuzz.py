"""Whatever reaches the public check-in, the staff API or a URL, the answer is never a 500.

A refusal is always in the contract's shape, and a refused check-in writes nothing.
"""

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from queue_service.models import Ticket

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
field_values = st.one_of(json_values, st.sampled_from(["en", "pt-BR", "food", "+16175550123"]))
check_in_bodies = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            k: field_values for k in ("language", "name", "needs", "phone", "sms_opt_in", "urgent")
        },
    ),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=check_in_bodies)
def test_random_json_never_gets_a_500_and_refusals_write_nothing(client, database, north, body):
    with database.session() as s:
        before = s.scalar(select(func.count()).select_from(Ticket))
    response = client.post(
        "/api/v1/sites/north/check-ins", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code in (201, 400, 404, 409, 422), response.get_data()
    with database.session() as s:
        after = s.scalar(select(func.count()).select_from(Ticket))
    assert after == before + (1 if response.status_code == 201 else 0)
    if response.status_code != 201:
        assert set(response.get_json()["error"]) == {"code", "message", "fields"}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=200))
def test_random_bytes_never_get_a_500(client, north, raw):
    response = client.post(
        "/api/v1/sites/north/check-ins", data=raw, content_type="application/json"
    )
    assert response.status_code < 500


awkward_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["a\x00b", "\x00", "\ud800", "a\udfffb", "🙂" * 30, "x" * 5000, "%00", "' OR 1=1 --"]
    ),
)
staff_fields = {
    "action": st.one_of(
        st.sampled_from(["call", "start", "complete", "no_show", "requeue"]), json_values
    ),
    "outcome": st.one_of(st.sampled_from(["resolved", "referred"]), json_values),
    "outcome_detail": st.one_of(awkward_text, json_values),
    "note": st.one_of(awkward_text, json_values),
    "on_duty": st.one_of(st.booleans(), json_values),
    "desk": st.one_of(awkward_text, json_values),
    "email": st.one_of(awkward_text, json_values),
    "password": st.one_of(awkward_text, json_values),
}
staff_bodies = st.one_of(json_values, st.fixed_dictionaries({}, optional=staff_fields))
SLOW = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def manager(world, north, sign_in):
    world.staff("maria@example.org", on_duty_at="north")
    return sign_in("maria@example.org")


def assert_refusal_shape(response) -> None:
    assert response.status_code < 500, response.get_data()[:500]
    if response.status_code >= 400:
        assert set(response.get_json()["error"]) == {"code", "message", "fields"}


@SLOW
@given(
    body=staff_bodies,
    path=st.sampled_from(
        [
            "/api/v1/tickets/{id}/transitions",
            "/api/v1/sites/north/duty",
            "/api/v1/auth/login",
            "/api/v1/sites/north/callbacks",
        ]
    ),
)
def test_random_staff_requests_never_get_a_500(api, manager, body, path):
    ticket = api.check_in("north").get_json()["ticket"]
    queue = api.client.get("/api/v1/sites/north/queue", headers=manager).get_json()["tickets"]
    url = path.format(id=queue[-1]["id"])
    method = api.client.put if path.endswith("/duty") else api.client.post
    response = method(url, data=json.dumps(body), content_type="application/json", headers=manager)
    assert_refusal_shape(response)
    assert ticket


@SLOW
# A URL cannot carry a lone surrogate, so URL segments are drawn without them.
@given(
    segment=st.one_of(awkward_text, st.integers().map(str)).filter(
        lambda s: s.encode("utf-8", "surrogatepass") == s.encode("utf-8", "ignore")
    )
)
def test_random_url_segments_never_get_a_500(api, manager, segment):
    s = quote(segment, safe="")
    for method, url in (
        ("get", f"/api/v1/tickets/{s}"),
        ("post", f"/api/v1/tickets/{s}/cancel"),
        ("get", f"/api/v1/sites/{s}/queue"),
        ("post", f"/api/v1/sites/{s}/check-ins"),
        ("post", f"/api/v1/sites/{s}/queue/next"),
        ("post", f"/api/v1/tickets/{s}/transitions"),
    ):
        response = getattr(api.client, method)(
            url, json={"language": "en", "action": "start"}, headers=manager
        )
        assert_refusal_shape(response)


@pytest.mark.parametrize(
    "path", ["/api/v1/auth/login", "/api/v1/sites/north/check-ins", "/api/v1/sites/north/duty"]
)
def test_deeply_nested_json_is_a_400_not_a_500(api, manager, path):
    deep = "[" * 5000 + "]" * 5000
    for body in (deep, '{"language": "en", "needs": ' + deep + "}"):
        response = api.client.open(
            path,
            method="PUT" if path.endswith("duty") else "POST",
            data=body,
            content_type="application/json",
            headers=manager,
        )
        assert response.status_code == 400, response.get_data()[:300]


@pytest.mark.parametrize("ticket_id", [0, 2**31, 2**63, 10**30])
def test_ticket_ids_out_of_range_are_a_404(api, manager, ticket_id):
    response = api.client.post(
        f"/api/v1/tickets/{ticket_id}/transitions", json={"action": "start"}, headers=manager
    )
    assert response.status_code == 404
