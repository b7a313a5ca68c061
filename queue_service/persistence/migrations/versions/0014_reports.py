"""Reports: the first call of each visit, the hours each site had over time, and shifts by
start

Revision ID: 0014_reports
Revises: 0013_visitors_and_cases
Create Date: 2026-12-04 05:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
import queue_service.models


revision = '0014_reports'
down_revision = '0013_visitors_and_cases'
branch_labels = None
depends_on = None

UTC = queue_service.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_called_at', UTC, nullable=True))
    # A visit's first call is its history's first "call" step.
    op.execute(
        "UPDATE ticket SET first_called_at = (SELECT min(e.at) FROM ticket_event e"
        " WHERE e.ticket_id = ticket.id AND e.action = 'call') WHERE called_at IS NOT NULL"
    )
    op.create_table(
        'site_hours',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('from_at', UTC, nullable=False),
        sa.Column('timezone', sa.String(length=64), nullable=False),
        sa.Column('business_hours', sa.JSON(), nullable=False),
        sa.Column('closures', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['site.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_site_hours_site_from', 'site_hours', ['site_id', 'from_at'])
    # What each site has now is all that is known of its past: in force since it was made.
    op.execute(
        "INSERT INTO site_hours (site_id, from_at, timezone, business_hours, closures)"
        " SELECT id, created_at, timezone, business_hours, closures FROM site"
    )
    op.create_index('ix_duty_shift_site_started', 'duty_shift', ['site_id', 'started_at'])


def downgrade() -> None:
    op.drop_index('ix_duty_shift_site_started', table_name='duty_shift')
    op.drop_index('ix_site_hours_site_from', table_name='site_hours')
    op.drop_table('site_hours')
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_column('first_called_at')
