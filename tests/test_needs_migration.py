"""Migration 0008 carries each site's list of need slugs over to labelled categories."""

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from queue_service.persistence.migrate import alembic_config, upgrade


def test_existing_needs_keep_their_order_and_a_custom_one_its_kiosk_words(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(engine, "0007_retention")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO site (slug, name, timezone, business_hours, closures, print_tickets,"
                " need_categories, languages, retention_days, created_at) VALUES ('north',"
                " 'North', 'America/New_York', '{}', '[]', 0, '[\"food\", \"id-cards\"]',"
                " '[\"en\", \"es\"]', 30, '2026-12-01 10:00:00')"
            )
        )
    upgrade(engine)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT needs FROM site")).scalar_one()
    assert stored == (
        '[{"slug": "food", "labels": {}, "retired": false},'
        ' {"slug": "id-cards", "labels": {"en": "Id cards"}, "retired": false}]'
    )
    command.downgrade(alembic_config(engine), "0007_retention")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT need_categories FROM site")).scalar_one() == (
            '["food", "id-cards"]'
        )
    engine.dispose()
