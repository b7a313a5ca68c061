"""The audit log exported as CSV, and the console's audit page."""

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from queue_service.domain.history import AuditAction
from queue_service.models import AuditEntry, Staff
from queue_service.services import audit
from queue_service.services.audit_csv import COLUMNS

pytestmark = pytest.mark.usefixtures("north")
README = Path(__file__).parent.parent / "README.md"


@pytest.fixture
def ada(world, sign_in):
    world.staff("ada@example.org", role="admin")
    return sign_in("ada@example.org")


def rows(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_export_has_the_documented_columns_and_is_a_download(client, ada):
    response = client.get("/api/v1/audit?format=csv&site=north", headers=ada)
    assert response.mimetype == "text/csv"
    assert re.fullmatch(
        r'attachment; filename="audit-north-\d{4}-\d\d-\d\d\.csv"',
        response.headers["Content-Disposition"],
    )
    header = next(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(header) == COLUMNS
    documented = re.search(r"CSV columns: (.+?`)\.", README.read_text().replace("\n  ", " "))
    assert documented, "the README lists the CSV columns"
    assert tuple(re.findall(r"`(\w+)`", documented.group(1))) == COLUMNS


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_escaped(client, ada, database, north):
    with database.session() as s:
        ada_row = s.scalars(select(Staff).where(Staff.email == "ada@example.org")).one()
        ada_row.name = '=HYPERLINK("http://x")'
        s.commit()
        # The address is whatever the client (or a proxy) said it was.
        audit.record(s, ada_row, AuditAction.STAFF_SIGNED_OUT, origin="-1+cmd|' /C calc'!A0")
        s.commit()
    exported = rows(client.get("/api/v1/audit?format=csv", headers=ada))
    names = {r["staff_name"] for r in exported if r["staff_name"]}
    assert names == {'\'=HYPERLINK("http://x")'}
    assert "'-1+cmd|' /C calc'!A0" in {r["origin"] for r in exported}
    assert all(not r[c].startswith(("=", "+", "-", "@")) for r in exported for c in COLUMNS)


def test_the_export_takes_the_filters_and_every_page_of_a_long_range(client, ada, database, north):
    with database.session() as s:
        for n in range(1203):
            audit.record(s, None, AuditAction.HELP_WHILE_CLOSED, site_id=north.id, detail={"n": n})
        s.commit()
    exported = rows(client.get("/api/v1/audit?format=csv&action=help.office_closed", headers=ada))
    assert len(exported) == 1203 and len({r["id"] for r in exported}) == 1203
    assert {r["sentence"] for r in exported} == {
        "Someone asked for help at the kiosk while the office was closed"
    }


def test_the_export_itself_is_in_the_log_with_who_and_which_filters(client, ada, database):
    client.get("/api/v1/audit?format=csv&site=north&from=2026-12-01", headers=ada)
    with database.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "audit.exported")).one()
        assert entry.staff_email == "ada@example.org"
        assert entry.detail["filters"] == {"site": "north", "from": "2026-12-01"}


def test_an_export_someone_may_not_read_is_refused_and_not_recorded(
    client, world, sign_in, database, assert_contract_error
):
    world.staff("maria@example.org")
    refused = client.get("/api/v1/audit?format=csv", headers=sign_in("maria@example.org"))
    assert_contract_error(refused, 403, "not_allowed")
    with database.session() as s:
        assert (
            s.scalars(select(AuditEntry).where(AuditEntry.action == "audit.exported")).all() == []
        )


def test_the_page_filters_and_links_its_csv_with_the_same_filters(
    client, world, console_sign_in, api
):
    world.staff("maria@example.org", on_duty_at="north")
    world.staff("ada@example.org", role="admin")
    console_sign_in(client, "ada@example.org")
    maria = next(s.id for s in world.database.session().scalars(select(Staff)) if s.name == "Maria")
    page = client.get(f"/console/audit?staff={maria}&action=duty.started")
    assert page.status_code == 200
    assert "Maria went on duty at desk 1" in page.text
    assert "Ada signed in" not in page.text
    assert f"/api/v1/audit?staff={maria}&amp;action=duty.started&amp;format=csv" in page.text


def test_a_bad_filter_on_the_page_is_named_not_a_failure(client, world, console_sign_in):
    world.staff("ada@example.org", role="admin")
    console_sign_in(client, "ada@example.org")
    page = client.get("/console/audit?from=2026-02-30")
    assert page.status_code == 422
    assert "Some filters were not right" in page.text and "A date, YYYY-MM-DD." in page.text


def test_a_site_the_reader_does_not_work_at_is_named_on_the_page(
    client, world, south, console_sign_in
):
    world.staff("ada@example.org", role="admin")
    console_sign_in(client, "ada@example.org")
    elsewhere = client.get("/console/audit?site=south")
    assert elsewhere.status_code == 403
    assert "Some filters were not right" in elsewhere.text
    assert "You do not work at this site." in elsewhere.text
    nowhere = client.get("/console/audit?site=atlantis")
    assert nowhere.status_code == 404 and "There is no site called" in nowhere.text


def test_the_page_names_each_entrys_site_as_people_call_it(client, world, console_sign_in):
    world.staff("maria@example.org", on_duty_at="north")
    world.staff("ada@example.org", role="admin")
    console_sign_in(client, "ada@example.org")
    page = client.get("/console/audit?action=duty.started")
    assert page.status_code == 200
    assert "<td>North</td>" in page.text and "<td>north</td>" not in page.text
