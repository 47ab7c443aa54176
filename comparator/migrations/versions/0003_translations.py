"""translations: the English beside a non-English quote, and a regime's languages

Revision ID: 0003_translations
Revises: 0002_term_labels
Create Date: 2026-12-02 14:20:00

Provisions, exceptions and definitions gain ``translation_text`` (copied from a TRANSLATION
source), ``translation_source`` (who made it) and ``gloss`` (the encoder's English summary);
regimes gain ``language`` (ISO 639-1, default ``en``) and ``authentic`` (comma-separated codes;
empty = the regime's language).
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_translations'
down_revision = '0002_term_labels'
branch_labels = None
depends_on = None

_ITEM_TABLES = ('provisions', 'exceptions', 'definitions')


def upgrade() -> None:
    with op.batch_alter_table('regimes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default='en'))
        batch_op.add_column(sa.Column('authentic', sa.String(), nullable=True))
    for table in _ITEM_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('translation_text', sa.Text(), nullable=True))
            batch_op.add_column(sa.Column('translation_source', sa.Text(), nullable=True))
            batch_op.add_column(sa.Column('gloss', sa.Text(), nullable=True))


def downgrade() -> None:
    for table in reversed(_ITEM_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('gloss')
            batch_op.drop_column('translation_source')
            batch_op.drop_column('translation_text')
    with op.batch_alter_table('regimes', schema=None) as batch_op:
        batch_op.drop_column('authentic')
        batch_op.drop_column('language')
