"""queue core: sites, staff, duty, tickets

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 20:40:12.139630
"""

from alembic import op
import sqlalchemy as sa
import queue_service.models


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('site',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('business_hours', sa.JSON(), nullable=False),
    sa.Column('need_categories', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('created_at', queue_service.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', queue_service.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email')
    )
    op.create_table('visitor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', queue_service.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('daily_counter',
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('service_day', sa.Date(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('site_id', 'service_day')
    )
    op.create_table('duty_shift',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('desk', sa.String(length=20), nullable=True),
    sa.Column('started_at', queue_service.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', queue_service.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('duty_shift', schema=None) as batch_op:
        batch_op.create_index('ix_duty_shift_site_open', ['site_id', 'ended_at'], unique=False)
        batch_op.create_index('uq_duty_shift_open', ['staff_id'], unique=True, sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))

    op.create_table('staff_site',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_id', 'site_id')
    )
    op.create_table('staff_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', queue_service.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', queue_service.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', queue_service.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('staff_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_token_staff_id'), ['staff_id'], unique=False)

    op.create_table('ticket',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('visitor_id', sa.Integer(), nullable=True),
    sa.Column('token', sa.String(length=43), nullable=False),
    sa.Column('service_day', sa.Date(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('needs', sa.JSON(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('sms_opt_in', sa.Boolean(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('request_fingerprint', sa.String(length=64), nullable=True),
    sa.Column('call_key', sa.String(length=200), nullable=True),
    sa.Column('created_at', queue_service.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('queued_at', queue_service.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('called_at', queue_service.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('started_at', queue_service.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', queue_service.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('no_show_at', queue_service.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', queue_service.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('left_at', queue_service.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', queue_service.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_staff_id', sa.Integer(), nullable=True),
    sa.Column('desk', sa.String(length=20), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('outcome_detail', sa.String(length=500), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_staff_id'], ['staff.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['staff.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['visitor_id'], ['visitor.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('site_id', 'service_day', 'idempotency_key', name='uq_ticket_site_day_idempotency_key'),
    sa.UniqueConstraint('site_id', 'service_day', 'number', name='uq_ticket_site_day_number'),
    sa.UniqueConstraint('token')
    )
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.create_index('ix_ticket_queue', ['site_id', 'status', sa.text('urgent DESC'), 'queued_at', 'id'], unique=False)
        batch_op.create_index('ix_ticket_site_completed', ['site_id', 'completed_at'], unique=False)

    op.create_table('ticket_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=12), nullable=True),
    sa.Column('to_status', sa.String(length=12), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('at', queue_service.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_event_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('ticket_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('at', queue_service.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ticket_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_note_ticket_id'), ['ticket_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ticket_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_note_ticket_id'))

    op.drop_table('ticket_note')
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_event_ticket_id'))

    op.drop_table('ticket_event')
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_site_completed')
        batch_op.drop_index('ix_ticket_queue')

    op.drop_table('ticket')
    with op.batch_alter_table('staff_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_token_staff_id'))

    op.drop_table('staff_token')
    op.drop_table('staff_site')
    with op.batch_alter_table('duty_shift', schema=None) as batch_op:
        batch_op.drop_index('uq_duty_shift_open', sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))
        batch_op.drop_index('ix_duty_shift_site_open')

    op.drop_table('duty_shift')
    op.drop_table('daily_counter')
    op.drop_table('visitor')
    op.drop_table('staff')
    op.drop_table('site')
