"""need categories with labels and retirement

Revision ID: 0008_site_needs
Revises: 0007_retention
Create Date: 2026-12-02 15:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0008_site_needs'
down_revision = '0007_retention'
branch_labels = None
depends_on = None

site = sa.table(
    'site',
    sa.column('id', sa.Integer()),
    sa.column('need_categories', sa.JSON()),
    sa.column('needs', sa.JSON()),
)


# The eight needs the catalogs translate, as they were when this migration was written.
DEFAULT_NEEDS = ('housing', 'food', 'benefits', 'health', 'legal', 'transport', 'talk', 'other')


def _words(slug: str) -> str:
    return slug.replace('-', ' ').capitalize()


def upgrade() -> None:
    # A list of slugs becomes a list of {slug, labels, retired}, in the same order. A site's
    # own need (only ever set in the database by hand) keeps the English words the kiosk
    # made of its slug; the settings page then asks for the other languages before saving.
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs', sa.JSON(), nullable=True))
    conn = op.get_bind()
    for row in conn.execute(sa.select(site.c.id, site.c.need_categories)).all():
        needs = [
            {'slug': s, 'labels': {} if s in DEFAULT_NEEDS else {'en': _words(s)}, 'retired': False}
            for s in row.need_categories or []
        ]
        conn.execute(site.update().where(site.c.id == row.id).values(needs=needs))
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.alter_column('needs', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('need_categories')


def downgrade() -> None:
    # Labels and retirement have nowhere to go: the offered slugs are kept, in order.
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.add_column(sa.Column('need_categories', sa.JSON(), nullable=True))
    conn = op.get_bind()
    for row in conn.execute(sa.select(site.c.id, site.c.needs)).all():
        slugs = [n['slug'] for n in row.needs or [] if not n.get('retired')]
        conn.execute(site.update().where(site.c.id == row.id).values(need_categories=slugs))
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.alter_column('need_categories', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('needs')
