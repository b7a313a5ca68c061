"""Whatever reaches the staff API or a URL, the answer is a 4xx in the contract's shape."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_fuzz import json_values

awkward_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["a\x00b", "\x00", "\ud800", "a\udfffb", "🙂" * 30, "x" * 5000, "%00", "' OR 1=1 --"]
    ),
)
fields = {
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
bodies = st.one_of(json_values, st.fixed_dictionaries({}, optional=fields))
SLOW = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def manager(world, api):
    world.site("north")
    world.staff("maria@example.org", on_duty_at="north")
    return api.as_(api.token_for("maria@example.org"))


def assert_refusal_shape(response) -> None:
    assert response.status_code < 500, response.get_data()[:500]
    if response.status_code >= 400:
        assert set(response.get_json()["error"]) == {"code", "message", "fields"}


@SLOW
@given(
    body=bodies,
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
    from urllib.parse import quote

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
