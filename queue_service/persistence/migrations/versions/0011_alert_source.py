"""When and where a person said they feel unsafe (kiosk, ticket page, text), so consoles
say when, and whether to go to them or call them

Revision ID: 0011_alert_source
Revises: 0010_sms_inbound
Create Date: 2026-12-03 15:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
import queue_service.models


revision = '0011_alert_source'
down_revision = '0010_sms_inbound'
branch_labels = None
depends_on = None

UTC = queue_service.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alert_raised_at', UTC, nullable=True))
        batch_op.add_column(sa.Column('alert_via', sa.String(length=12), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_column('alert_via')
        batch_op.drop_column('alert_raised_at')
