"""retention period per site

Revision ID: 0007_retention
Revises: 0006
Create Date: 2026-12-02 14:50:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0007_retention'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing sites get the default period; the purge applies it from its first run.
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_days', sa.Integer(), server_default='30', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.drop_column('retention_days')
