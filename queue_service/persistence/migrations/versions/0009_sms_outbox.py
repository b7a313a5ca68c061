"""SMS outbox and log, the senders' shared pacing, and each site's text settings

Revision ID: 0009_sms_outbox
Revises: 0008_site_needs
Create Date: 2026-12-02 18:30:00.000000
"""

from alembic import op
import sqlalchemy as sa
import queue_service.models


revision = '0009_sms_outbox'
down_revision = '0008_site_needs'
branch_labels = None
depends_on = None

# The automatic kinds as they were when this migration was written: each at most once per
# visit. A new automatic kind needs a migration that recreates the index with it.
ONCE = "kind IN ('checked_in', 'almost_turn', 'called', 'no_show', 'left', 'closing')"
UTC = queue_service.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'message',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=True),
        sa.Column('direction', sa.String(length=10), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('phone', sa.String(length=20), nullable=True),
        sa.Column('phone_masked', sa.String(length=8), nullable=True),
        sa.Column('body', sa.Text(), nullable=True),
        sa.Column('segments', sa.Integer(), nullable=False),
        sa.Column('encoding', sa.String(length=5), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', UTC, nullable=True),
        sa.Column('claimed_until', UTC, nullable=True),
        sa.Column('why', sa.String(length=40), nullable=True),
        sa.Column('provider_sid', sa.String(length=64), nullable=True),
        sa.Column('created_at', UTC, nullable=False),
        sa.Column('updated_at', UTC, nullable=False),
        sa.Column('sent_at', UTC, nullable=True),
        sa.ForeignKeyConstraint(['site_id'], ['site.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('provider_sid'),
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index('ix_message_ticket_id', ['ticket_id'], unique=False)
        batch_op.create_index('ix_message_due', ['status', 'next_attempt_at', 'id'], unique=False)
        batch_op.create_index('ix_message_site_created', ['site_id', 'created_at'], unique=False)
        batch_op.create_index(
            'uq_message_ticket_kind',
            ['ticket_id', 'kind'],
            unique=True,
            sqlite_where=sa.text(ONCE),
            postgresql_where=sa.text(ONCE),
        )
    op.create_table(
        'sms_pace',
        sa.Column('number', sa.String(length=20), nullable=False),
        sa.Column('next_at', UTC, nullable=False),
        sa.Column('pace_ms', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('number'),
    )
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sms_sender_name', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('sms_callback_number', sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column('sms_almost_turn_ahead', sa.Integer(), server_default='2', nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.drop_column('sms_almost_turn_ahead')
        batch_op.drop_column('sms_callback_number')
        batch_op.drop_column('sms_sender_name')
    op.drop_table('sms_pace')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('uq_message_ticket_kind')
        batch_op.drop_index('ix_message_site_created')
        batch_op.drop_index('ix_message_due')
        batch_op.drop_index('ix_message_ticket_id')
    op.drop_table('message')
