"""one-time set-password links

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
import queue_service.models


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Invitations and password resets: only the hash of each link's token is kept.
    op.create_table(
        'set_password_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('purpose', sa.String(length=10), nullable=False),
        sa.Column('created_at', queue_service.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', queue_service.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('used_at', queue_service.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index(op.f('ix_set_password_link_staff_id'), 'set_password_link', ['staff_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_set_password_link_staff_id'), table_name='set_password_link')
    op.drop_table('set_password_link')
