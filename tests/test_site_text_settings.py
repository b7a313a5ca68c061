"""A site lead sets the site's texts over the API: the neutral sender name, the call-back
number, how near the front "almost your turn" is, and whether JOIN by text is taken."""

import pytest

SITE = "/api/v1/sites/north"


@pytest.fixture
def lead(world, north, sign_in):  # type: ignore[no-untyped-def]
    world.staff("lead@example.org", role="site_lead")
    return sign_in("lead@example.org")


def test_a_lead_sets_every_text_setting_and_reads_it_back(client, lead):
    change = {"sms_sender_name": "North Office", "sms_callback_number": "(617) 555-0100",
              "sms_almost_turn_ahead": 3, "sms_join": True}  # fmt: skip
    response = client.patch(SITE, json=change, headers=lead)
    assert response.status_code == 200, response.get_json()
    site = client.get(SITE, headers=lead).get_json()["site"]
    assert (site["sms_sender_name"], site["sms_callback_number"]) == (
        "North Office", "+16175550100"
    )  # fmt: skip
    assert (site["sms_almost_turn_ahead"], site["sms_join"]) == (3, True)


def test_a_lead_sets_where_and_when_urgent_alerts_escalate(client, lead):
    change = {"oncall_numbers": ["(617) 555-0111", "+16175550112", "617-555-0111"],
              "escalate_after_minutes": 5}  # fmt: skip
    assert client.patch(SITE, json=change, headers=lead).status_code == 200
    site = client.get(SITE, headers=lead).get_json()["site"]
    assert site["oncall_numbers"] == ["+16175550111", "+16175550112"], "normalised, once each"
    assert site["escalate_after_minutes"] == 5


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sms_sender_name", "North Mental Health"),
        ("sms_sender_name", "Oficina Pública"),
        ("sms_callback_number", "not a number"),
        ("sms_almost_turn_ahead", -1),
        ("sms_almost_turn_ahead", 11),
        ("sms_almost_turn_ahead", True),
        ("sms_join", "yes"),
        ("oncall_numbers", "+16175550111"),
        ("oncall_numbers", ["not a number"]),
        ("oncall_numbers", [" "]),
        ("oncall_numbers", ["+1617555011" + str(n) for n in range(6)]),
        ("escalate_after_minutes", 0),
        ("escalate_after_minutes", 61),
        ("escalate_after_minutes", 2.5),
    ],
)
def test_a_bad_text_setting_is_refused_and_changes_nothing(
    client, lead, assert_contract_error, field, value
):
    before = client.get(SITE, headers=lead).get_json()["site"]
    response = client.patch(SITE, json={field: value}, headers=lead)
    error = assert_contract_error(response, 422)
    assert field in error["fields"]
    assert client.get(SITE, headers=lead).get_json()["site"] == before
