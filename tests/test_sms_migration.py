"""Migration 0009 adds the outbox, the senders' pacing and each site's text settings (an
existing site gets the defaults), and goes back down, on SQLite and on PostgreSQL (in a
schema of its own, beside the suite's)."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from queue_service.persistence.migrate import alembic_config, upgrade

OLD_SITE = (
    "INSERT INTO site (slug, name, timezone, business_hours, closures, print_tickets,"
    " needs, languages, retention_days, created_at) VALUES ('north', 'North',"
    " 'America/New_York', '{}', '[]', false, '[]', '[\"en\"]', 30, '2026-12-01 10:00:00')"
)


@pytest.fixture
def old_database(empty_database: Engine) -> Engine:
    """An empty database at migration 0008_site_needs."""
    upgrade(empty_database, "0008_site_needs")
    return empty_database


def test_an_existing_site_gets_the_text_defaults_and_the_migration_goes_back_down(old_database):
    with old_database.begin() as conn:
        conn.execute(text(OLD_SITE))
    upgrade(old_database)
    with old_database.connect() as conn:
        row = conn.execute(
            text("SELECT sms_sender_name, sms_callback_number, sms_almost_turn_ahead FROM site")
        ).one()
    assert tuple(row) == (None, None, 2)
    assert {"message", "sms_pace"} <= set(inspect(old_database).get_table_names())
    command.downgrade(alembic_config(old_database), "0008_site_needs")
    inspector = inspect(old_database)
    assert "message" not in inspector.get_table_names()
    assert "sms_almost_turn_ahead" not in {c["name"] for c in inspector.get_columns("site")}
    upgrade(old_database)  # and up again
