"""The `frontdoor` command: one-line errors, non-zero exit, and nothing half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from frontdoor import cli_needs
from frontdoor.cli import cli
from queue_service.models import Site, Staff
from queue_service.services import sites

FRONTDOOR = str(Path(sys.executable).with_name("frontdoor"))


@pytest.fixture
def run(database_url, tmp_path):  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "FRONTDOOR_DATABASE_URL": database_url,
        "FRONTDOOR_INSTANCE_PATH": str(tmp_path / "instance"),
    }

    def frontdoor(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [FRONTDOOR, *args], input=stdin, env=env, capture_output=True, text=True, timeout=60
        )

    return frontdoor


PASSPHRASE = "a long enough passphrase\n"
CLOTHES = {
    "en": "Clothes",
    "es": "Ropa",
    "pt": "Roupas",
    "ht": "Rad",
    "zh": "衣物",
    "vi": "Quần áo",
}


def add_staff(run, *options: str, role: str = "case_manager", stdin: str = PASSPHRASE):  # type: ignore[no-untyped-def]
    """`frontdoor staff add ana@example.org --name Ana --role ROLE [options] --password-stdin`."""
    command = ["staff", "add", "ana@example.org", "--name", "Ana", "--role", role]
    return run(*command, *options, "--password-stdin", stdin=stdin)


def counts(database) -> tuple[int, int]:
    with database.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Site)),
            s.scalar(select(func.count()).select_from(Staff)),
        )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0]


def test_site_and_staff_are_created(run, database):
    assert (
        run(
            "site", "add", "north", "--name", "North Office", "--timezone", "America/New_York"
        ).returncode
        == 0
    )
    result = add_staff(run, "--site", "north", "--languages", "en,es")
    assert result.returncode == 0, result.stderr
    with database.session() as s:
        staff = s.scalars(select(Staff)).one()
        assert (staff.email, staff.languages, [x.slug for x in staff.sites]) == (
            "ana@example.org",
            ["en", "es"],
            ["north"],
        )


def test_db_upgrade_is_repeatable(run):
    assert run("db", "upgrade").returncode == 0
    assert run("db", "upgrade").returncode == 0


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (("--site", "atlantis"), "a long enough passphrase\n", ("atlantis",)),
        (("--site", "north"), "short\n", ("password",)),
        (
            ("--site", "north", "--languages", "english!"),
            "a long enough passphrase\n",
            ("languages",),
        ),
    ],
)
def test_bad_staff_input_is_a_one_line_error_and_writes_nothing(run, database, args, stdin, words):
    run("site", "add", "north", "--name", "North")
    before = counts(database)
    result = add_staff(run, *args, stdin=stdin)
    assert_one_line_error(result, *words)
    assert counts(database) == before


def test_a_duplicate_email_is_refused(run, database):
    run("site", "add", "north", "--name", "North")
    assert add_staff(run, "--site", "north", role="admin").returncode == 0
    again = add_staff(run, "--site", "north", role="admin", stdin="another long passphrase\n")
    assert_one_line_error(again, "already")
    assert counts(database) == (1, 1)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("Bad Slug", "--name", "X"), ("slug",)),
        (("north", "--name", "X", "--timezone", "Mars/Olympus"), ("time zone",)),
    ],
)
def test_bad_site_input_is_a_one_line_error(run, database, args, words):
    assert_one_line_error(run("site", "add", *args), *words)
    assert counts(database) == (0, 0)


def test_a_duplicate_site_is_refused(run):
    assert run("site", "add", "north", "--name", "North").returncode == 0
    assert_one_line_error(run("site", "add", "north", "--name", "North"), "exists")


def test_an_unknown_role_is_refused_in_one_line(run):
    result = run(
        "staff", "add", "a@example.org", "--name", "A", "--role", "boss", "--site", "north",
        "--password-stdin", stdin="a long enough passphrase\n",
    )  # fmt: skip
    assert_one_line_error(result, "role")


def test_an_unreachable_database_is_a_one_line_error():
    url = "postgresql+psycopg://nobody@127.0.0.1:1/nothing_test"
    result = subprocess.run(
        [FRONTDOOR, "site", "add", "north", "--name", "N"],
        env={**os.environ, "FRONTDOOR_DATABASE_URL": url},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert_one_line_error(result, "OperationalError")


def test_site_hours_closures_and_languages_are_set_and_listed(run, database):
    added = run("site", "add", "east", "--name", "East", "--hours", "mon-fri 08:30-16:30")
    assert added.returncode == 0, added.stderr
    changed = run(
        "site", "set", "east", "--hours", "mon-thu 08:30-12:00 13:00-17:00",
        "--closures", "2026-12-25 Christmas Day, observed; 2027-01-01", "--languages", "en,ht",
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    listed = run("site", "list").stdout.strip().split("\t")
    assert listed[0] == "east" and listed[3] == "mon-thu 08:30-12:00 13:00-17:00"
    assert "closures: 2026-12-25, 2027-01-01" in listed and "languages: en,ht" in listed
    with database.session() as s:
        site = s.scalars(select(Site)).one()
    assert site.closures[0] == {"date": "2026-12-25", "reason": "Christmas Day, observed"}


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--hours", "mon 9-5"), "hours: '9' is not a time"),
        (("--languages", "en,xx"), "languages: A list of the kiosk's languages"),
        (("--closures", "25/12/2026"), "closures: '25/12/2026' is not a date"),
        ((), "say what to change"),
    ],
)
def test_bad_site_settings_are_one_line_errors_and_change_nothing(run, database, args, words):
    run("site", "add", "east", "--name", "East")
    result = run("site", "set", "east", *args)
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and words in result.stderr
    with database.session() as s:
        assert s.scalars(select(Site)).one().hours.weekly.spec() == "mon-fri 09:00-17:00"


def test_a_sites_text_settings_are_set_on_the_command_line(run, database) -> None:
    run("site", "add", "east", "--name", "East")
    changed = run(
        "site", "set", "east", "--sms-sender-name", "East Office", "--sms-callback-number",
        "617-555-0100", "--sms-almost-turn-ahead", "4", "--sms-join", "yes",
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    with database.session() as s:
        site = s.scalars(select(Site)).one()
    assert (site.sms_sender_name, site.sms_callback_number) == ("East Office", "+16175550100")
    assert (site.sms_almost_turn_ahead, site.sms_join) == (4, True)
    refused = run("site", "set", "east", "--sms-sender-name", "East Mental Health")
    assert refused.returncode == 1 and "neutral" in refused.stderr


def test_staff_languages_must_be_supported_ones(run, world, north) -> None:
    refused = run("staff", "add", "xx@example.org", "--name", "X", "--role", "case_manager",
                  "--site", "north", "--languages", "en,xx", "--password-stdin",
                  stdin="a long enough passphrase\n")  # fmt: skip
    assert refused.returncode != 0 and refused.stderr.startswith("error:")
    world.staff("cam@example.org")
    assert run("staff", "set", "cam@example.org", "--languages", "en,xx").returncode != 0
    assert run("staff", "set", "cam@example.org", "--languages", "en,ht").returncode == 0


def test_staff_list_set_and_reset_password(run, world, north, south, client, sign_in) -> None:
    world.staff("cam@example.org")
    headers = sign_in("cam@example.org")
    listed = run("staff", "list", "--site", "north")
    assert listed.stdout.splitlines() == ["cam@example.org\tCam\tcase_manager\tnorth\tactive"]
    changed = run(
        "staff", "set", "cam@example.org", "--role", "site_lead", "--sites", "north,south"
    )
    assert changed.returncode == 0, changed.stderr
    assert "cam@example.org\tCam\tsite_lead\tnorth,south\tactive" in run("staff", "list").stdout
    reset = run("staff", "reset-password", "cam@example.org", "--password-stdin",
                stdin="a brand new passphrase\n")  # fmt: skip
    assert reset.returncode == 0, reset.stderr
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401
    assert sign_in("cam@example.org", "a brand new passphrase")
    assert run("staff", "set", "cam@example.org", "--active", "no").returncode == 0
    assert run("staff", "list").stdout.strip().endswith("inactive")
    assert run("staff", "set", "nobody@example.org", "--active", "no").returncode != 0


def test_the_retention_period_and_a_need_category_are_set_and_listed(run, database) -> None:
    run("site", "add", "east", "--name", "East")
    assert run("site", "set", "east", "--retention-days", "90").returncode == 0
    listed = run("site", "list").stdout
    assert "retention: 90 days" in listed and "needs: housing,food," in listed
    labels = [f"--label={lang}={text}" for lang, text in CLOTHES.items()]
    added = run("site", "need", "east", "clothes", *labels, "--position", "1")
    assert added.returncode == 0, added.stderr
    assert "need clothes is number 1 of 9" in added.stdout
    assert run("site", "need", "east", "legal", "--retire").returncode == 0
    needs = run("site", "needs", "east").stdout.splitlines()
    assert needs[0].startswith("clothes\toffered\tClothes\ten=Clothes,es=Ropa,pt=Roupas")
    assert "legal\tretired\tLegal help\t-" in needs
    assert "legal" not in run("site", "list").stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("set", "east", "--retention-days", "0"), "retention_days: The retention period must"),
        (("need", "east", "id-cards", "--label", "en=ID cards"), "needs.8.labels.es"),
        (("need", "east", "id-cards", "--label", "ID cards"), "write LANG=WORDS"),
        (("need", "east", "food", "--position", "12"), "--position: from 1 to 8"),
        (("needs", "atlantis"), "no site called"),
    ],
)
def test_bad_need_and_retention_settings_are_one_line_errors(run, database, args, words) -> None:
    run("site", "add", "east", "--name", "East")
    assert_one_line_error(run("site", *args), words)
    with database.session() as s:
        site = s.scalars(select(Site)).one()
        assert (site.retention_days, len(site.needs)) == (30, 8)


def test_a_need_changed_from_the_console_meanwhile_refuses_the_command_not_undone_by_it(
    database, database_url, tmp_path, monkeypatch
) -> None:
    with database.session() as s:
        sites.create_site(s, "east", name="East")
    monkeypatch.setenv("FRONTDOOR_DATABASE_URL", database_url)
    monkeypatch.setenv("FRONTDOOR_INSTANCE_PATH", str(tmp_path / "instance"))
    edit = cli_needs._edited

    def a_lead_saves_meanwhile(current, *args):  # type: ignore[no-untyped-def]
        with database.session() as s:
            needs = [{k: n[k] for k in ("slug", "labels", "retired")} for n in current]
            needs[0]["retired"] = True
            sites.update_site(s, "east", {"needs": needs})
        return edit(current, *args)

    monkeypatch.setattr(cli_needs, "_edited", a_lead_saves_meanwhile)
    result = CliRunner().invoke(cli, ["site", "need", "east", "food", "--position", "1"])
    assert result.exit_code == 1
    assert "changed by someone else" in result.output
    with database.session() as s:
        kept = sites.site_settings(s.scalars(select(Site)).one())["needs"]
    assert kept[0]["retired"] and kept[0]["slug"] != "food"
