"""retention period per site; the audit log allows the purge's one change

Revision ID: 0007_retention
Revises: 0006
Create Date: 2026-12-02 14:50:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0007_retention'
down_revision = '0006'
branch_labels = None
depends_on = None

REFUSE = "the audit log is append-only"
# Every column but origin, compared old to new (SQLite cannot compare whole rows). A new
# audit_entry column must be added here: tests/test_retention_audit.py tries each one.
_KEPT = ('id', 'at', 'actor', 'staff_id', 'staff_email', 'action', 'site_id', 'ticket_id', 'detail')


def upgrade() -> None:
    # Existing sites get the default period; the purge applies it from its first run.
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_days', sa.Integer(), server_default='30', nullable=False))
    _audit_allows_removing_an_address()


def _audit_allows_removing_an_address() -> None:
    """Still append-only, with one exception: an address (origin) may be set to NULL, with
    every other value left as it was. That is all the retention purge does to the log; it can
    remove a visitor's address, never change or remove what happened."""
    if op.get_bind().dialect.name == 'sqlite':
        same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _KEPT)
        op.execute("DROP TRIGGER audit_entry_no_update")
        op.execute(
            "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
            f"WHEN NOT (OLD.origin IS NOT NULL AND NEW.origin IS NULL AND {same}) "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSE}'); END"
        )
    else:
        # jsonb of the whole row but origin: a column added later is covered without a change.
        op.execute(
            "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "IF TG_OP = 'UPDATE' AND OLD.origin IS NOT NULL AND NEW.origin IS NULL "
            "AND to_jsonb(NEW) - 'origin' = to_jsonb(OLD) - 'origin' THEN RETURN NEW; END IF; "
            f"RAISE EXCEPTION '{REFUSE}'; END $$"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("DROP TRIGGER audit_entry_no_update")
        op.execute(
            "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSE}'); END"
        )
    else:
        op.execute(
            "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{REFUSE}'; END $$"
        )
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.drop_column('retention_days')
