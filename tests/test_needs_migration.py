"""Migration 0008 carries each site's list of need slugs over to labelled categories, on
SQLite and on PostgreSQL (in a schema of its own, beside the suite's)."""

from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import Engine, text

from queue_service.persistence.migrate import alembic_config, upgrade

OLD_SITE = (
    "INSERT INTO site (slug, name, timezone, business_hours, closures, print_tickets,"
    " need_categories, languages, retention_days, created_at) VALUES ('north', 'North',"
    " 'America/New_York', '{}', '[]', false, '[\"food\", \"id-cards\"]', '[\"en\", \"es\"]',"
    " 30, '2026-12-01 10:00:00')"
)


@pytest.fixture
def old_database(empty_database: Engine) -> Engine:
    """An empty database at migration 0007_retention."""
    upgrade(empty_database, "0007_retention")
    return empty_database


def stored(engine: Engine, column: str) -> object:
    with engine.connect() as conn:
        value = conn.execute(text(f"SELECT {column} FROM site")).scalar_one()
    return json.loads(value) if isinstance(value, str) else value


def test_existing_needs_keep_their_order_and_a_custom_one_its_kiosk_words(old_database) -> None:
    with old_database.begin() as conn:
        conn.execute(text(OLD_SITE))
    upgrade(old_database)
    assert stored(old_database, "needs") == [
        {"slug": "food", "labels": {}, "retired": False},
        {"slug": "id-cards", "labels": {"en": "Id cards"}, "retired": False},
    ]
    command.downgrade(alembic_config(old_database), "0007_retention")
    assert stored(old_database, "need_categories") == ["food", "id-cards"]
