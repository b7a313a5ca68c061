"""Site settings over the API: need categories with a label in every language the site
offers, the languages themselves and the retention period; every change audited."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from queue_service.models import AuditEntry

ID_CARDS = {
    "en": "ID cards",
    "es": "Documentos de identidad",
    "pt": "Documentos de identidade",
    "ht": "Kat idantite",
    "zh": "身份证件",
    "vi": "Giấy tờ tùy thân",
}
SITE = "/api/v1/sites/north"


@pytest.fixture
def lead(world, north, sign_in):  # type: ignore[no-untyped-def]
    world.staff("lead@example.org", role="site_lead")
    return sign_in("lead@example.org")


@pytest.fixture
def read_needs(client, lead):  # type: ignore[no-untyped-def]
    def read() -> list[dict]:
        return client.get(SITE, headers=lead).get_json()["site"]["needs"]

    return read


@pytest.fixture
def save_needs(client, lead, read_needs):  # type: ignore[no-untyped-def]
    """PATCH the needs as the site lead: `change` edits the list as read."""

    def save(change):  # type: ignore[no-untyped-def]
        found = read_needs()
        return client.patch(SITE, json={"needs": change(found) or found}, headers=lead)

    return save


def with_id_cards(labels: dict[str, str] = ID_CARDS):  # type: ignore[no-untyped-def]
    return lambda found: [*found, {"slug": "id-cards", "labels": labels, "retired": False}]


def test_a_site_starts_with_the_eight_default_needs_in_order(read_needs) -> None:
    found = read_needs()
    assert [n["slug"] for n in found] == [
        "housing", "food", "benefits", "health", "legal", "transport", "talk", "other"
    ]  # fmt: skip
    assert found[0] == {
        "slug": "housing",
        "labels": {},
        "retired": False,
        "default": True,
        "label": "A place to live",
    }


def test_a_lead_adds_a_need_with_six_labels_and_the_creole_kiosk_shows_it(
    client, save_needs, read_needs
) -> None:
    response = save_needs(with_id_cards())
    assert response.status_code == 200, response.get_json()
    added = read_needs()[-1]
    assert added["labels"] == ID_CARDS and added["label"] == "ID cards"
    page = client.get("/kiosk/north/ht").get_data(as_text=True)
    assert "Kat idantite" in page and 'data-need="id-cards"' in page
    assert ">id-cards<" not in page
    checked_in = client.post(
        "/api/v1/sites/north/check-ins", json={"language": "ht", "needs": ["id-cards"]}
    )
    assert checked_in.status_code == 201


def test_a_custom_need_lacking_a_label_is_refused_by_field_and_nothing_changes(
    save_needs, read_needs, assert_contract_error
) -> None:
    lacking = {k: v for k, v in ID_CARDS.items() if k != "ht"}
    response = save_needs(with_id_cards(lacking))
    error = assert_contract_error(response, 422)
    assert list(error["fields"]) == ["needs.8.labels.ht"]
    assert len(read_needs()) == 8


def test_renaming_changes_the_words_everywhere_and_keeps_the_slug(
    client, world, save_needs, read_needs, api, sign_in
) -> None:
    api.check_in(needs=["food"])
    world.staff("cm@example.org")

    def rename(found):  # type: ignore[no-untyped-def]
        found[1]["labels"] = {"en": "Groceries", "es": "Despensa"}

    assert save_needs(rename).status_code == 200
    assert read_needs()[1]["slug"] == "food" and read_needs()[1]["label"] == "Groceries"
    assert "Despensa" in client.get("/kiosk/north/es").get_data(as_text=True)
    queue = client.get("/api/v1/sites/north/queue", headers=sign_in("cm@example.org"))
    (ticket,) = queue.get_json()["tickets"]
    assert ticket["needs"] == ["food"] and ticket["need_labels"] == ["Groceries"]


def test_the_order_sent_is_the_order_kept(client, save_needs, read_needs) -> None:
    assert save_needs(lambda found: [found[-1], *found[:-1]]).status_code == 200
    assert [n["slug"] for n in read_needs()][:2] == ["other", "housing"]
    page = client.get("/kiosk/north/en").get_data(as_text=True)
    assert page.index('data-need="other"') < page.index('data-need="housing"')


def test_a_retired_need_is_hidden_and_refused_and_can_be_brought_back(
    client, save_needs, read_needs, api, assert_contract_error
) -> None:
    def set_retired(value: bool):  # type: ignore[no-untyped-def]
        def change(found):  # type: ignore[no-untyped-def]
            found[4]["retired"] = value  # legal

        return change

    assert save_needs(set_retired(True)).status_code == 200
    assert read_needs()[4] == {**read_needs()[4], "slug": "legal", "retired": True}
    assert 'data-need="legal"' not in client.get("/kiosk/north/en").get_data(as_text=True)
    refused = assert_contract_error(api.check_in(needs=["legal"]), 422)
    assert "needs" in refused["fields"]
    assert save_needs(set_retired(False)).status_code == 200
    assert api.check_in(needs=["legal"]).status_code == 201


def test_the_phone_caller_form_offers_the_needs_in_staff_english_without_retired_ones(
    app, world, save_needs, console_sign_in
) -> None:
    def retire_legal_and_rename_food(found):  # type: ignore[no-untyped-def]
        found[4]["retired"] = True
        found[1]["labels"] = {"en": "Groceries"}

    assert save_needs(retire_legal_and_rename_food).status_code == 200
    browser = app.test_client()
    console_sign_in(browser, "lead@example.org")
    page = browser.get("/console/").get_data(as_text=True)
    config = json.loads(re.search(r'id="console-config">(.*?)</script>', page, re.S).group(1))
    offered = config["sites"][0]["needs"]
    assert offered[:2] == [
        {"slug": "housing", "label": "A place to live"},
        {"slug": "food", "label": "Groceries"},
    ]
    assert "legal" not in [n["slug"] for n in offered]


def test_the_settings_form_is_given_the_limits_the_api_keeps(
    app, client, lead, console_sign_in, assert_contract_error
) -> None:
    browser = app.test_client()
    console_sign_in(browser, "lead@example.org")
    page = browser.get("/console/site-settings").get_data(as_text=True)
    config = json.loads(re.search(r'id="console-config">(.*?)</script>', page, re.S).group(1))
    limits = config["limits"]
    longest, fewest_days = limits["siteName"], limits["retentionDays"][0]
    version = client.get(SITE, headers=lead).headers["ETag"]
    too_long = client.patch(
        SITE, json={"name": "N" * (longest + 1)}, headers={**lead, "If-Match": version}
    )
    assert "name" in assert_contract_error(too_long, 422)["fields"]
    too_few = client.patch(
        SITE, json={"retention_days": fewest_days - 1}, headers={**lead, "If-Match": version}
    )
    assert "retention_days" in assert_contract_error(too_few, 422)["fields"]
    fits = {"name": "N" * longest, "retention_days": limits["retentionDays"][1]}
    assert client.patch(SITE, json=fits, headers={**lead, "If-Match": version}).status_code == 200


def test_a_need_visits_refer_to_is_never_removed_but_an_unused_one_may_be(
    save_needs, read_needs, api, assert_contract_error
) -> None:
    api.check_in(needs=["legal"])
    without = lambda slug: lambda found: [n for n in found if n["slug"] != slug]  # noqa: E731
    error = assert_contract_error(save_needs(without("legal")), 422)
    assert "retire" in error["fields"]["needs"]
    assert "legal" in [n["slug"] for n in read_needs()]
    assert save_needs(without("transport")).status_code == 200
    assert "transport" not in [n["slug"] for n in read_needs()]


def test_offering_a_language_the_custom_needs_lack_is_refused(
    client, lead, assert_contract_error
) -> None:
    english_only = [{"slug": "id-cards", "labels": {"en": "ID cards"}}]
    response = client.patch(SITE, json={"languages": ["en"], "needs": english_only}, headers=lead)
    assert response.status_code == 200, response.get_json()
    error = assert_contract_error(
        client.patch(SITE, json={"languages": ["en", "ht"]}, headers=lead), 422
    )
    assert "Haitian Creole" in error["fields"]["languages"]
    assert "needs.0.labels.ht" in error["fields"]
    assert client.get(SITE, headers=lead).get_json()["site"]["languages"] == ["en"]


def test_every_change_is_audited_with_before_and_after(world, save_needs) -> None:
    assert save_needs(with_id_cards()).status_code == 200
    with world.database.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "site.changed")).one()
    change = entry.detail["changes"]["needs"]
    assert len(change["before"]) == 8 and change["after"][-1]["labels"] == ID_CARDS
    assert entry.staff_email == "lead@example.org"


def test_a_case_manager_cannot_change_the_needs(
    client, world, north, sign_in, assert_contract_error
) -> None:
    world.staff("cm@example.org")
    response = client.patch(SITE, json={"needs": []}, headers=sign_in("cm@example.org"))
    assert_contract_error(response, 403, "not_allowed")


def test_the_retention_period_is_a_setting_within_its_range(
    client, lead, assert_contract_error
) -> None:
    assert client.get(SITE, headers=lead).get_json()["site"]["retention_days"] == 30
    changed = client.patch(SITE, json={"retention_days": 90}, headers=lead)
    assert changed.get_json()["site"]["retention_days"] == 90
    for wrong in (0, 3651, "90", True):
        response = client.patch(SITE, json={"retention_days": wrong}, headers=lead)
        assert "retention_days" in assert_contract_error(response, 422)["fields"]


def test_a_save_on_settings_changed_since_they_were_read_is_refused_and_keeps_the_change(
    client, world, lead, sign_in, assert_contract_error
) -> None:
    # Two leads open the page; the second's save must not silently undo the first's need.
    opened = client.get(SITE, headers=lead)
    assert opened.headers["ETag"] == f'"{opened.get_json()["site"]["version"]}"'
    world.staff("other@example.org", role="site_lead")
    other = sign_in("other@example.org")
    first = client.patch(SITE, json={"needs": with_id_cards()(_needs(opened))}, headers=other)
    assert first.status_code == 200
    stale = {**lead, "If-Match": opened.headers["ETag"]}
    refused = client.patch(SITE, json={"needs": _needs(opened)}, headers=stale)
    assert_contract_error(refused, 412, "site_changed")
    now = client.get(SITE, headers=lead)
    assert now.headers["ETag"] == first.headers["ETag"] != opened.headers["ETag"]
    assert _needs(now)[-1]["slug"] == "id-cards"
    fresh = {**lead, "If-Match": now.headers["ETag"]}
    assert client.patch(SITE, json={"retention_days": 60}, headers=fresh).status_code == 200


def test_a_save_without_if_match_still_changes_only_what_it_sends(client, lead) -> None:
    assert client.patch(SITE, json={"retention_days": 45}, headers=lead).status_code == 200
    assert client.patch(SITE, json={"name": "North End"}, headers=lead).status_code == 200
    site = client.get(SITE, headers=lead).get_json()["site"]
    assert (site["name"], site["retention_days"]) == ("North End", 45)


def test_an_if_match_of_a_version_never_given_is_refused(
    client, lead, assert_contract_error
) -> None:
    for tag in ('"0000"', 'W/"0000"', "not-quoted"):
        response = client.patch(SITE, json={"name": "X"}, headers={**lead, "If-Match": tag})
        assert_contract_error(response, 412, "site_changed")
    assert client.get(SITE, headers=lead).get_json()["site"]["name"] == "North"


def test_two_saves_from_one_version_at_once_let_exactly_one_through(
    database, world, north, all_at_once
) -> None:
    from queue_service.domain.errors import ChangedSinceRead
    from queue_service.services import sites

    lead = world.reload(world.staff("lead2@example.org", role="site_lead"))
    with database.session() as s:
        version = sites.site_settings(sites.all_sites(s)[0])["version"]

    def save(i: int) -> str:
        with database.session() as s:
            try:
                sites.update_site(
                    s, "north", {"retention_days": 40 + i}, by=lead, if_version={version}
                )
            except ChangedSinceRead:
                return "refused"
            return "saved"

    assert sorted(all_at_once(2, save)) == ["refused", "saved"]


def _needs(response) -> list[dict]:  # type: ignore[no-untyped-def]
    keep = ("slug", "labels", "retired")
    return [{k: n[k] for k in keep} for n in response.get_json()["site"]["needs"]]
