"""queue index in queue order again

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 08:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # On SQLite, 0002 and 0003 rebuilt the ticket table (batch mode, to add a foreign key), and
    # the rebuild re-created ix_ticket_queue from reflection, which loses the DESC on `urgent`:
    # every call-next then sorted everyone waiting instead of reading the head of the index
    # (call-next half as fast with a few thousand waiting; benchmarks/README.md).
    # PostgreSQL altered the table in place and kept the index as it was.
    if op.get_bind().dialect.name == 'sqlite':
        op.drop_index('ix_ticket_queue', table_name='ticket')
        op.create_index(
            'ix_ticket_queue',
            'ticket',
            ['site_id', 'status', sa.text('urgent DESC'), 'queued_at', 'id'],
        )


def downgrade() -> None:
    pass  # the index 0003 left behind was a defect, not a schema to return to
