"""Urgent alerts nobody acknowledged are texted to the site's on-call numbers, once

Revision ID: 0012_urgent_escalation
Revises: 0011_alert_source
Create Date: 2026-12-03 16:30:00.000000
"""

from alembic import op
import sqlalchemy as sa
import queue_service.models


revision = '0012_urgent_escalation'
down_revision = '0011_alert_source'
branch_labels = None
depends_on = None

UTC = queue_service.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('oncall_numbers', sa.JSON(), server_default='[]', nullable=False)
        )
        batch_op.add_column(
            sa.Column('escalate_after_minutes', sa.Integer(), server_default='2', nullable=False)
        )
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alert_escalated_at', UTC, nullable=True))
        batch_op.add_column(sa.Column('alert_escalated_to', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_column('alert_escalated_to')
        batch_op.drop_column('alert_escalated_at')
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.drop_column('escalate_after_minutes')
        batch_op.drop_column('oncall_numbers')
