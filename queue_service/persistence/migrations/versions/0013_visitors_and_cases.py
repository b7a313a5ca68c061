"""Returning visitors (keyed hashes), the repeat-visit rule, and critical-need cases

Revision ID: 0013_visitors_and_cases
Revises: 0012_urgent_escalation
Create Date: 2026-12-04 01:40:00.000000
"""

from alembic import op
import sqlalchemy as sa
import queue_service.models


revision = '0013_visitors_and_cases'
down_revision = '0012_urgent_escalation'
branch_labels = None
depends_on = None

UTC = queue_service.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('visitor', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_visit_at', UTC, nullable=True))
    op.create_table(
        'visitor_key',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('visitor_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTC, nullable=False),
        sa.ForeignKeyConstraint(['visitor_id'], ['visitor.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key'),
    )
    op.create_index('ix_visitor_key_visitor_id', 'visitor_key', ['visitor_id'])
    op.create_index('ix_visitor_key_ticket_id', 'visitor_key', ['ticket_id'])
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('repeat_visits', sa.Integer(), server_default='3', nullable=False)
        )
        batch_op.add_column(
            sa.Column('repeat_urgent_visits', sa.Integer(), server_default='2', nullable=False)
        )
        batch_op.add_column(
            sa.Column('repeat_window_days', sa.Integer(), server_default='30', nullable=False)
        )
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('return_code', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('linked_from_visitor_id', sa.Integer(), nullable=True))
        batch_op.create_index(
            'ix_ticket_visitor_day', ['visitor_id', 'service_day', 'site_id', 'urgent']
        )
    op.create_table(
        'critical_need_case',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('visitor_id', sa.Integer(), nullable=True),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('assigned_staff_id', sa.Integer(), nullable=True),
        sa.Column('opened_by_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('needs', sa.JSON(), nullable=False),
        sa.Column('opened_on', sa.Date(), nullable=False),
        sa.Column('target_end_on', sa.Date(), nullable=False),
        sa.Column('next_review_on', sa.Date(), nullable=True),
        sa.Column('closed_on', sa.Date(), nullable=True),
        sa.Column('destination', sa.String(length=30), nullable=True),
        sa.Column('close_note', sa.Text(), nullable=True),
        sa.Column('consent_shared_with', sa.String(length=200), nullable=True),
        sa.Column('consent_at', UTC, nullable=True),
        sa.Column('consent_by_id', sa.Integer(), nullable=True),
        sa.Column('opened_at', UTC, nullable=False),
        sa.Column('closed_at', UTC, nullable=True),
        sa.Column('updated_at', UTC, nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['visitor_id'], ['visitor.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['site_id'], ['site.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['assigned_staff_id'], ['staff.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['opened_by_id'], ['staff.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['consent_by_id'], ['staff.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_critical_need_case_visitor_id', 'critical_need_case', ['visitor_id'])
    op.create_index('ix_case_site_status', 'critical_need_case', ['site_id', 'status'])
    op.create_index(
        'ix_case_assigned_status', 'critical_need_case', ['assigned_staff_id', 'status']
    )
    op.create_index(
        'uq_case_open_per_visitor_site', 'critical_need_case', ['visitor_id', 'site_id'],
        unique=True, sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_table(
        'case_goal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.String(length=300), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('created_at', UTC, nullable=False),
        sa.Column('updated_at', UTC, nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['critical_need_case.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_case_goal_case_id', 'case_goal', ['case_id'])
    op.create_table(
        'case_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('at', UTC, nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('private', sa.Boolean(), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['critical_need_case.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_case_event_case_id', 'case_event', ['case_id'])


def downgrade() -> None:
    op.drop_table('case_event')
    op.drop_table('case_goal')
    op.drop_table('critical_need_case')
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_visitor_day')
        batch_op.drop_column('linked_from_visitor_id')
        batch_op.drop_column('return_code')
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.drop_column('repeat_window_days')
        batch_op.drop_column('repeat_urgent_visits')
        batch_op.drop_column('repeat_visits')
    op.drop_table('visitor_key')
    with op.batch_alter_table('visitor', schema=None) as batch_op:
        batch_op.drop_column('last_visit_at')
