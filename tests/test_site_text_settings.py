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
