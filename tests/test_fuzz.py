"""Whatever arrives at the public check-in endpoint, the answer is never a 500."""

import json

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
bodies = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            k: field_values for k in ("language", "name", "needs", "phone", "sms_opt_in", "urgent")
        },
    ),
)


@pytest.fixture
def north(world):
    return world.site("north")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies)
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
