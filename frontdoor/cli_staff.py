"""`frontdoor staff add|list|set|reset-password` (see the contract)."""

from __future__ import annotations

import sys

import click

from queue_service.services import staff, staff_admin, staff_passwords
from queue_service.services.staff_commands import ChangeStaff
from web_kernel.settings import Settings

from .cli import ROLES, _database, _service_session, _where
from .cli_live import tell_running_servers


@click.group("staff")
def staff_group() -> None:
    """Staff accounts."""


@staff_group.command("add")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--site", "site_slugs", required=True, multiple=True, help="Repeat for more sites.")
@click.option("--languages", default="en", show_default=True, help="e.g. en,es")
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from stdin.")
def staff_add(
    email: str,
    name: str,
    role: str,
    site_slugs: tuple[str, ...],
    languages: str,
    password_stdin: bool,
) -> None:
    """Create a staff account; the password is read from standard input."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else ""
    with _service_session() as session:
        created = staff.create_staff(
            session,
            email,
            name=name,
            role=role,
            site_slugs=[s for slug in site_slugs for s in slug.split(",") if s],
            password=password,
            languages=languages.split(","),
        )
        at = ", ".join(s.slug for s in created.sites)
        click.echo(f"Created {created.role} {created.email} at {at}.")


@staff_group.command("list")
@click.option("--site", "site_slug", help="Only the staff of this site.")
def staff_list(site_slug: str | None) -> None:
    """Staff accounts, one a line: email, name, role, sites, active."""
    with _service_session() as session:
        for member in staff_admin.everyone(session, site_slug):
            sites_ = ",".join(sorted(s.slug for s in member.sites))
            state = "active" if member.active else "inactive"
            click.echo(f"{member.email}\t{member.name}\t{member.role}\t{sites_}\t{state}")


@staff_group.command("set")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES))
@click.option("--sites", help="Replaces the account's sites, e.g. north,south.")
@click.option("--languages", help="e.g. en,es")
@click.option("--active", type=click.Choice(["yes", "no"]), help="no: signs them out everywhere.")
def staff_set(
    email: str, role: str | None, sites: str | None, languages: str | None, active: str | None
) -> None:
    """Change an account; `--active no` signs the person out everywhere at once."""
    database = _database()
    tell_running_servers(database, Settings.from_env())  # their open consoles end too
    with _service_session(database) as session:
        changes = ChangeStaff.from_body(0, _staff_changes(role, sites, languages, active))
        changed = staff_admin.change_by_email(
            session,
            email,
            role=changes.role,
            sites=changes.sites,
            languages=changes.languages,
            active=changes.active,
        )
        click.echo(f"Changed {changed.email} in {_where()}.")


@staff_group.command("reset-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from stdin.")
def staff_reset_password(email: str, password_stdin: bool) -> None:
    """Set a new password and revoke every session of that account."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else ""
    database = _database()
    tell_running_servers(database, Settings.from_env())
    with _service_session(database) as session:
        changed = staff_passwords.set_password(session, email, password)
        click.echo(f"New password set for {changed.email}; every session of it is signed out.")


def _staff_changes(
    role: str | None, sites: str | None, languages: str | None, active: str | None
) -> dict[str, object]:
    changes: dict[str, object] = {}
    if role is not None:
        changes["role"] = role
    if sites is not None:
        changes["sites"] = [s.strip() for s in sites.split(",") if s.strip()]
    if languages is not None:
        changes["languages"] = [code.strip() for code in languages.split(",") if code.strip()]
    if active is not None:
        changes["active"] = active == "yes"
    return changes
