"""Reports: each site-day's figures kept once the day has settled

Revision ID: 0015_settled_days
Revises: 0014_reports
Create Date: 2026-12-04 19:45:00.000000
"""

from alembic import op
import sqlalchemy as sa
import queue_service.models


revision = '0015_settled_days'
down_revision = '0014_reports'
branch_labels = None
depends_on = None

UTC = queue_service.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    # Empty at first: each day is counted, and kept, the first time a report asks for it.
    op.create_table(
        'settled_day',
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.Column('counted_at', UTC, nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['site.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('site_id', 'day'),
    )


def downgrade() -> None:
    op.drop_table('settled_day')
