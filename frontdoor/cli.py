"""Command line: serve, db upgrade, site add/set/list (see the contract); the staff
commands are in cli_staff.py, a site's need categories in cli_needs.py, the demo in
cli_demo.py."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from queue_service.domain.errors import DomainError
from queue_service.domain.hours import DEFAULT_SPEC
from queue_service.persistence.database import Database
from queue_service.persistence.migrate import upgrade
from queue_service.services import sites
from web_kernel.settings import Settings

ROLES = ("case_manager", "site_lead", "admin")


def _database() -> Database:
    settings = Settings.from_env()
    database = Database(settings.database_url)
    if settings.is_sqlite:
        upgrade(database.engine)
    return database


def _where() -> str:
    """The configured database, without credentials (the default depends on the directory)."""
    from sqlalchemy.engine import make_url

    return make_url(Settings.from_env().database_url).render_as_string(hide_password=True)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _describe(error: DomainError) -> str:
    details = "; ".join(f"{field}: {text}" for field, text in error.fields.items())
    return f"{error.message} {details}".strip()


@contextmanager
def _service_session(
    database: Database | None = None, *, doing: str | None = None
) -> Iterator[Session]:
    """A session for one command's work, on the configured database unless given one.

    A refusal (DomainError) ends the command with one line on stderr and exit status 1; with
    `doing`, so does a database that fails (for cron's mail, not a stack trace). What the
    command prints from loaded rows is printed inside, while the session can still load.
    """
    if database is None:
        database = _database()
    try:
        with database.session() as session:
            yield session
    except DomainError as error:
        _fail(_describe(error))
    except SQLAlchemyError as error:
        if doing is None:
            raise
        _fail(f"could not {doing} {_where()}: {type(error).__name__}")
    finally:
        database.dispose()


@click.group()
def cli() -> None:
    """Front Door: the walk-in and call-in front door of a case-management office."""


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Serve kiosk, console, API, Socket.IO and webhooks."""
    from .server import run

    run(host=host, port=port)


@cli.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply schema migrations to the configured database."""
    settings = Settings.from_env()
    try:
        upgrade(Database(settings.database_url).engine)
    except Exception as exc:  # one line for the operator, not a stack trace
        _fail(f"could not upgrade {settings.database_url.split('@')[-1]}: {exc}")
    click.echo(f"{_where()} is up to date.")


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def db_revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    from alembic import command

    from queue_service.persistence.migrate import alembic_config

    database = _database()
    command.revision(alembic_config(database.engine), message=message, autogenerate=True)


@cli.group()
def site() -> None:
    """Site offices."""


HOURS_HELP = "Office hours, e.g. 'mon-fri 09:00-17:00, sat 10:00-13:00', or 'always'."


@site.command("add")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--timezone", default="America/New_York", show_default=True)
@click.option("--hours", default=DEFAULT_SPEC, show_default=True, help=HOURS_HELP)
def site_add(slug: str, name: str, timezone: str, hours: str) -> None:
    """Create a site office."""
    with _service_session() as session:
        created = sites.create_site(session, slug, name=name, timezone=timezone, hours=hours)
        click.echo(
            f"Created site {created.slug} ({created.name}, {created.timezone}, "
            f"{created.hours.weekly.spec()}) in {_where()}."
        )


@site.command("set")
@click.argument("slug")
@click.option("--name")
@click.option("--timezone")
@click.option("--hours", help=HOURS_HELP)
@click.option("--languages", help="The kiosk's languages, in order, e.g. en,es,pt.")
@click.option(
    "--print-tickets",
    type=click.Choice(["yes", "no"]),
    help="Whether the kiosk offers to print a small ticket (a receipt printer).",
)
@click.option(
    "--closures",
    help='Dated closures, replacing the list: "2026-12-25 Christmas Day; 2027-01-01 New Year".',
)
@click.option(
    "--retention-days",
    type=int,
    help="Days after a visit closes until its names, numbers and notes are removed.",
)
@click.option("--sms-sender-name", help="The neutral name every text starts with.")
@click.option("--sms-callback-number", help="The number call-backs come from, texts reach.")
@click.option("--sms-almost-turn-ahead", type=int, help="People ahead for 'almost your turn'.")
@click.option("--sms-join", type=click.Choice(["yes", "no"]), help="Whether JOIN by text joins.")
@click.option(
    "--oncall-numbers",
    help="Comma-separated work phones an unacknowledged urgent alert is texted to ('' for none).",
)
@click.option(
    "--escalate-after-minutes", type=int, help="Minutes before an urgent alert goes to on-call."
)
@click.option("--repeat-visits", type=int, help="Visits in the window that flag a repeat visitor.")
@click.option("--repeat-urgent-visits", type=int, help="Urgent visits in the window that do.")
@click.option("--repeat-window-days", type=int, help="The repeat-visit window, in local days.")
def site_set(
    slug: str,
    name: str | None,
    timezone: str | None,
    hours: str | None,
    languages: str | None,
    print_tickets: str | None,
    closures: str | None,
    retention_days: int | None,
    **texts: object,
) -> None:
    """Change a site's settings (audited)."""
    changes: dict[str, object] = {
        key: value
        for key, value in (("name", name), ("timezone", timezone), ("hours", hours))
        if value is not None
    }
    if closures is not None:
        changes["closures"] = _closures(closures)
    if print_tickets is not None:
        changes["print_tickets"] = print_tickets == "yes"
    if languages is not None:
        changes["languages"] = [code.strip() for code in languages.split(",") if code.strip()]
    if retention_days is not None:
        changes["retention_days"] = retention_days
    oncall = texts.pop("oncall_numbers")
    if isinstance(oncall, str):
        changes["oncall_numbers"] = [n.strip() for n in oncall.split(",") if n.strip()]
    changes |= {
        key: (value == "yes" if key == "sms_join" else value)
        for key, value in texts.items()
        if value is not None
    }
    if not changes:
        _fail("say what to change (see frontdoor site set --help)")
    with _service_session() as session:
        changed = sites.update_site(session, slug, changes)
        click.echo(f"Changed site {changed.slug}: {_site_line(changed)}")


@site.command("list")
def site_list() -> None:
    """The sites, one a line."""
    with _service_session() as session:
        for found in sites.all_sites(session):
            click.echo(f"{found.slug}\t{_site_line(found)}")


def _site_line(found: object) -> str:
    settings = sites.site_settings(found)  # type: ignore[arg-type]
    closed = ", ".join(c["date"] for c in settings["closures"]) or "none"
    return (
        f"{settings['name']}\t{settings['timezone']}\t{settings['hours']}\tclosures: {closed}"
        f"\tlanguages: {','.join(settings['languages'])}"
        f"\tprinting: {'on' if settings['print_tickets'] else 'off'}"
        f"\tneeds: {','.join(n['slug'] for n in settings['needs'] if not n['retired']) or 'none'}"
        f"\tretention: {settings['retention_days']} days"
    )


def _closures(text: str) -> list[dict[str, str]]:
    found = []
    for part in (p.strip() for p in text.split(";")):
        if part:
            day, _, reason = part.partition(" ")
            found.append({"date": day, "reason": reason.strip()})
    return found


# The staff commands live beside this file; they use the helpers above.
from .cli_staff import staff_group  # noqa: E402

cli.add_command(staff_group)

from .cli_purge import purge_command  # noqa: E402

cli.add_command(purge_command)

from .cli_demo import demo_command  # noqa: E402

cli.add_command(demo_command)

from . import cli_needs  # noqa: E402, F401  (adds `site needs` and `site need`)
