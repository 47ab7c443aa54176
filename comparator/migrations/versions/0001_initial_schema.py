"""initial schema: corpus tables and load history

Revision ID: 0001_initial
Revises: (none)
Create Date: 2026-11-23 08:42:14.742335
"""
from alembic import op
import sqlalchemy as sa


revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('load_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch', sa.String(length=36), nullable=False),
    sa.Column('path', sa.String(), nullable=False),
    sa.Column('regime', sa.String(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('loaded_by', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_load_history'))
    )
    with op.batch_alter_table('load_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_load_history_batch'), ['batch'], unique=False)
        batch_op.create_index(batch_op.f('ix_load_history_path'), ['path'], unique=False)

    op.create_table('source_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('layout', sa.JSON(), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('loaded_by', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_files')),
    sa.UniqueConstraint('path', name=op.f('uq_source_files_path'))
    )
    op.create_table('expectations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_file_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.Column('kind', sa.String(), nullable=True),
    sa.Column('a_regime', sa.String(), nullable=False),
    sa.Column('a_ref', sa.String(), nullable=False),
    sa.Column('b_regime', sa.String(), nullable=False),
    sa.Column('b_ref', sa.String(), nullable=False),
    sa.Column('bound', sa.String(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['source_file_id'], ['source_files.id'], name=op.f('fk_expectations_source_file_id_source_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expectations'))
    )
    with op.batch_alter_table('expectations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expectations_source_file_id'), ['source_file_id'], unique=False)

    op.create_table('regimes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_file_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('signed', sa.Date(), nullable=True),
    sa.Column('in_force', sa.Date(), nullable=True),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['source_file_id'], ['source_files.id'], name=op.f('fk_regimes_source_file_id_source_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regimes')),
    sa.UniqueConstraint('code', name=op.f('uq_regimes_code')),
    sa.UniqueConstraint('source_file_id', name=op.f('uq_regimes_source_file_id'))
    )
    with op.batch_alter_table('regimes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regimes_kind'), ['kind'], unique=False)

    op.create_table('terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_file_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('label', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['source_file_id'], ['source_files.id'], name=op.f('fk_terms_source_file_id_source_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_terms'))
    )
    with op.batch_alter_table('terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_terms_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_terms_source_file_id'), ['source_file_id'], unique=False)

    op.create_table('articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('regime_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['regime_id'], ['regimes.id'], name=op.f('fk_articles_regime_id_regimes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_articles')),
    sa.UniqueConstraint('regime_id', 'ref', name=op.f('uq_articles_regime_id_ref'))
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_articles_regime_id'), ['regime_id'], unique=False)

    op.create_table('dispute_settlements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('regime_id', sa.Integer(), nullable=False),
    sa.Column('applies', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['regime_id'], ['regimes.id'], name=op.f('fk_dispute_settlements_regime_id_regimes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispute_settlements')),
    sa.UniqueConstraint('regime_id', name=op.f('uq_dispute_settlements_regime_id'))
    )
    op.create_table('expectation_assumptions',
    sa.Column('expectation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('regime', sa.String(), nullable=False),
    sa.Column('country', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['expectation_id'], ['expectations.id'], name=op.f('fk_expectation_assumptions_expectation_id_expectations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('expectation_id', 'position', name=op.f('pk_expectation_assumptions'))
    )
    op.create_table('regime_jurisdictions',
    sa.Column('regime_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['regime_id'], ['regimes.id'], name=op.f('fk_regime_jurisdictions_regime_id_regimes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('regime_id', 'position', name=op.f('pk_regime_jurisdictions'))
    )
    with op.batch_alter_table('regime_jurisdictions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regime_jurisdictions_code'), ['code'], unique=False)

    op.create_table('regime_parties',
    sa.Column('regime_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(), nullable=False),
    sa.Column('joined', sa.Date(), nullable=True),
    sa.Column('left', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['regime_id'], ['regimes.id'], name=op.f('fk_regime_parties_regime_id_regimes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('regime_id', 'position', name=op.f('pk_regime_parties'))
    )
    with op.batch_alter_table('regime_parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regime_parties_country'), ['country'], unique=False)

    op.create_table('term_links',
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('value', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], name=op.f('fk_term_links_term_id_terms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('term_id', 'field', 'position', name=op.f('pk_term_links'))
    )
    with op.batch_alter_table('term_links', schema=None) as batch_op:
        batch_op.create_index('ix_term_links_field_value', ['field', 'value'], unique=False)

    op.create_table('deferrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dispute_settlement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('until_date', sa.Date(), nullable=True),
    sa.Column('until_text', sa.Text(), nullable=True),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['dispute_settlement_id'], ['dispute_settlements.id'], name=op.f('fk_deferrals_dispute_settlement_id_dispute_settlements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deferrals'))
    )
    with op.batch_alter_table('deferrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deferrals_dispute_settlement_id'), ['dispute_settlement_id'], unique=False)

    op.create_table('definitions',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('translation', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_definitions_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_definitions'))
    )
    with op.batch_alter_table('definitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_definitions_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_definitions_term'), ['term'], unique=False)

    op.create_table('dispute_settlement_excepted',
    sa.Column('dispute_settlement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['dispute_settlement_id'], ['dispute_settlements.id'], name=op.f('fk_dispute_settlement_excepted_dispute_settlement_id_dispute_settlements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('dispute_settlement_id', 'position', name=op.f('pk_dispute_settlement_excepted'))
    )
    op.create_table('exceptions',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('regime_id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('in_force', sa.Date(), nullable=True),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('replaced_by', sa.String(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('translation', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_exceptions_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['regime_id'], ['regimes.id'], name=op.f('fk_exceptions_regime_id_regimes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exceptions'))
    )
    with op.batch_alter_table('exceptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exceptions_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exceptions_kind'), ['kind'], unique=False)

    op.create_table('provisions',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('regime_id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(), nullable=False),
    sa.Column('modality', sa.String(), nullable=True),
    sa.Column('stance', sa.String(), nullable=True),
    sa.Column('action', sa.String(), nullable=True),
    sa.Column('object_word', sa.String(), nullable=False),
    sa.Column('in_force', sa.Date(), nullable=True),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('replaced_by', sa.String(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('translation', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_provisions_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['regime_id'], ['regimes.id'], name=op.f('fk_provisions_regime_id_regimes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provisions'))
    )
    with op.batch_alter_table('provisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provisions_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_provisions_article_id'), ['article_id'], unique=False)
        batch_op.create_index('ix_provisions_regime_id_ref', ['regime_id', 'ref'], unique=False)

    op.create_table('deferral_items',
    sa.Column('deferral_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('value', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['deferral_id'], ['deferrals.id'], name=op.f('fk_deferral_items_deferral_id_deferrals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('deferral_id', 'field', 'position', name=op.f('pk_deferral_items'))
    )
    op.create_table('exception_items',
    sa.Column('exception_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['exception_id'], ['exceptions.id'], name=op.f('fk_exception_items_exception_id_exceptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('exception_id', 'field', 'position', name=op.f('pk_exception_items'))
    )
    with op.batch_alter_table('exception_items', schema=None) as batch_op:
        batch_op.create_index('ix_exception_items_field_value', ['field', 'value'], unique=False)

    op.create_table('provision_items',
    sa.Column('provision_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['provision_id'], ['provisions.id'], name=op.f('fk_provision_items_provision_id_provisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('provision_id', 'field', 'position', name=op.f('pk_provision_items'))
    )
    with op.batch_alter_table('provision_items', schema=None) as batch_op:
        batch_op.create_index('ix_provision_items_field_value', ['field', 'value'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('provision_items', schema=None) as batch_op:
        batch_op.drop_index('ix_provision_items_field_value')

    op.drop_table('provision_items')
    with op.batch_alter_table('exception_items', schema=None) as batch_op:
        batch_op.drop_index('ix_exception_items_field_value')

    op.drop_table('exception_items')
    op.drop_table('deferral_items')
    with op.batch_alter_table('provisions', schema=None) as batch_op:
        batch_op.drop_index('ix_provisions_regime_id_ref')
        batch_op.drop_index(batch_op.f('ix_provisions_article_id'))
        batch_op.drop_index(batch_op.f('ix_provisions_action'))

    op.drop_table('provisions')
    with op.batch_alter_table('exceptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exceptions_kind'))
        batch_op.drop_index(batch_op.f('ix_exceptions_article_id'))

    op.drop_table('exceptions')
    op.drop_table('dispute_settlement_excepted')
    with op.batch_alter_table('definitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_definitions_term'))
        batch_op.drop_index(batch_op.f('ix_definitions_article_id'))

    op.drop_table('definitions')
    with op.batch_alter_table('deferrals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deferrals_dispute_settlement_id'))

    op.drop_table('deferrals')
    with op.batch_alter_table('term_links', schema=None) as batch_op:
        batch_op.drop_index('ix_term_links_field_value')

    op.drop_table('term_links')
    with op.batch_alter_table('regime_parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regime_parties_country'))

    op.drop_table('regime_parties')
    with op.batch_alter_table('regime_jurisdictions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regime_jurisdictions_code'))

    op.drop_table('regime_jurisdictions')
    op.drop_table('expectation_assumptions')
    op.drop_table('dispute_settlements')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_regime_id'))

    op.drop_table('articles')
    with op.batch_alter_table('terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_terms_source_file_id'))
        batch_op.drop_index(batch_op.f('ix_terms_name'))

    op.drop_table('terms')
    with op.batch_alter_table('regimes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regimes_kind'))

    op.drop_table('regimes')
    with op.batch_alter_table('expectations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expectations_source_file_id'))

    op.drop_table('expectations')
    op.drop_table('source_files')
    with op.batch_alter_table('load_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_load_history_path'))
        batch_op.drop_index(batch_op.f('ix_load_history_batch'))

    op.drop_table('load_history')
