"""`frontdoor purge [--dry-run]` (see the contract): each site's retention period, for cron."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import click

from queue_service.services import retention

from .cli import _service_session, _where


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Say what would be removed; change nothing.")
def purge_command(dry_run: bool) -> None:
    """Remove what identifies a visitor from visits older than each site's retention period."""
    with _service_session(doing="purge") as session:
        results = retention.purge(session, dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    for result in results:
        local = result.closed_before.astimezone(ZoneInfo(result.timezone))
        removed = ", ".join(
            f"{count} {name.replace('_', ' ')}" for name, count in result.summary().items() if count
        )
        click.echo(
            f"{result.site}: {verb} {removed or 'nothing'} "
            f"(visits closed before {local:%Y-%m-%d %H:%M} {result.timezone}; "
            f"kept {result.retention_days} days)"
        )
    click.echo(("Dry run: nothing changed in " if dry_run else "Purged ") + f"{_where()}.")
