"""Texts from people: numbers that opted out (by keyed hash), texts that reach no site, and
whether a site lets people join the line by text

Revision ID: 0010_sms_inbound
Revises: 0009_sms_outbox
Create Date: 2026-12-03 14:20:00.000000
"""

from alembic import op
import sqlalchemy as sa
import queue_service.models


revision = '0010_sms_inbound'
down_revision = '0009_sms_outbox'
branch_labels = None
depends_on = None

UTC = queue_service.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'sms_opt_out',
        sa.Column('number_key', sa.String(length=64), nullable=False),
        sa.Column('source', sa.String(length=12), nullable=False),
        sa.Column('opted_out_at', UTC, nullable=False),
        sa.PrimaryKeyConstraint('number_key'),
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.alter_column('site_id', existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('sms_join', sa.Boolean(), server_default='0', nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.drop_column('sms_join')
    op.execute("DELETE FROM message WHERE site_id IS NULL")
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.alter_column('site_id', existing_type=sa.Integer(), nullable=False)
    op.drop_table('sms_opt_out')
