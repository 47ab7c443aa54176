"""term labels in Chinese and Spanish: terms.label_zh, terms.label_es

Revision ID: 0002_term_labels
Revises: 0001_initial
Create Date: 2026-12-02 14:00:00

``terms.label`` already holds the (English) label; docs/language.md section 7 makes it
sentence-ready. The two optional translations sit beside it, nullable, so existing
databases upgrade in place and a reload fills them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_term_labels'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('terms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('label_zh', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('label_es', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('terms', schema=None) as batch_op:
        batch_op.drop_column('label_es')
        batch_op.drop_column('label_zh')
