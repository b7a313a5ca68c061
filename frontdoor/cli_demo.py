"""`frontdoor demo`: seed the demo (once) and serve it; with --history and --sites, a longer
history at more sites (demo_history.py)."""

from __future__ import annotations

import click

from queue_service.persistence.database import Database

from .cli import _database, _where


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--history",
    "history_days",
    type=click.IntRange(1, 3660),
    help="Calendar days of history before today at each site (default: 5 working days).",
)
@click.option(
    "--sites",
    "site_count",
    type=click.IntRange(1, 200),
    default=1,
    show_default=True,
    help="Sites to seed: the demo site and N - 1 Massachusetts site offices.",
)
def demo_command(host: str, port: int, history_days: int | None, site_count: int) -> None:
    """Seed the demo site (once), print the sign-in details, and serve."""
    from .demo import SIGN_INS, seed
    from .server import run

    database = _database()
    if history_days is None and site_count == 1:
        created = seed(database)
    else:
        created = _seed_history(database, history_days or 7, site_count)
    database.dispose()
    click.echo("Demo site 'demo' " + ("created." if created else "already seeded."))
    click.echo(f"  Start here:           http://{host}:{port}/ (links to each screen)")
    click.echo(f"  Kiosk (lobby tablet): http://{host}:{port}/kiosk/demo")
    click.echo(f"  Lobby screen:         http://{host}:{port}/display/demo")
    click.echo(f"  Staff console:        http://{host}:{port}/console/")
    click.echo(f"  API:                  http://{host}:{port}/api/v1 (see README)")
    click.echo("  Staff sign-ins (demo passwords, never use them for real):")
    for email, password, role in SIGN_INS:
        click.echo(f"    {role:<13} {email:<28} {password}")
    if history_days is not None or site_count > 1:
        from .demo_history import PASSWORD, REGIONAL

        click.echo(f"    {'site_lead':<13} {REGIONAL[0]:<28} {PASSWORD} (regional: every site)")
        if site_count > 1:
            click.echo(
                f"    Each other site's lead is lead@<site>.frontdoor, with the password "
                f"{PASSWORD}, as are its case managers (frontdoor staff list --site <site>)."
            )
    run(host=host, port=port, demo=True)


def _seed_history(database: Database, days: int, site_count: int) -> bool:
    """The demo site and site_count - 1 others with `days` of history; True if demo is new."""
    from .demo_history import seed_history

    click.echo(f"Seeding {days} days of history at {site_count} site(s) in {_where()}:")
    summary = seed_history(database, days=days, sites=site_count, progress=click.echo)
    if summary.skipped:
        click.echo(f"  Already there, left as they are: {', '.join(summary.skipped)}.")
    rows = ", ".join(f"{count} {table}" for table, count in summary.rows.items())
    click.echo(
        f"  {len(summary.created)} site(s) created ({rows or 'nothing written'}) "
        f"in {summary.seconds:.1f} s."
    )
    return "demo" in summary.created
