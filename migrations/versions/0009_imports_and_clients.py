"""labour-market imports and the EUD indicator (issue 14); clients, plans, hand-off codes (issue 13)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

import_run is the import history (and a background run's progress); title_mapping remembers
the balance titles an administrator mapped; eud_choice is the strategy's indicator.
client, client_share, client_plan and plan_step are the caseworkers' records: no CPR
column, and plan steps copy course titles and dates instead of referencing them, so a
plan outlives a catalogue change. handoff_code stores a hash of the code only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('profile', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('pinned', sa.JSON(), nullable=False),
    sa.Column('excluded', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retain_until', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_client_owner_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client'))
    )
    op.create_index(op.f('ix_client_owner_id'), 'client', ['owner_id'])
    op.create_index(op.f('ix_client_retain_until'), 'client', ['retain_until'])
    op.create_table('eud_choice',
    sa.Column('kommunekode', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('share_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_eud_choice_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('kommunekode', 'year', name=op.f('pk_eud_choice'))
    )
    op.create_table('import_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=100), nullable=True),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.CheckConstraint("kind IN ('esco', 'balance', 'positive_lists', 'rates')", name=op.f('ck_import_run_kind')),
    sa.CheckConstraint("status IN ('running', 'previewed', 'applied', 'refused', 'failed')", name=op.f('ck_import_run_status')),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_import_run_actor_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_run'))
    )
    op.create_index(op.f('ix_import_run_started_at'), 'import_run', ['started_at'])
    op.create_table('title_mapping',
    sa.Column('title_key', sa.String(length=300), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('occupation_code', sa.String(length=80), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['user_account.id'], name=op.f('fk_title_mapping_confirmed_by_id_user_account')),
    sa.ForeignKeyConstraint(['occupation_code'], ['occupation.code'], name=op.f('fk_title_mapping_occupation_code_occupation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('title_key', name=op.f('pk_title_mapping'))
    )
    op.create_table('client_plan',
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('target_code', sa.String(length=80), nullable=True),
    sa.Column('route_code', sa.String(length=80), nullable=True),
    sa.Column('next_contact', sa.Date(), nullable=True),
    sa.Column('next_contact_note', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_client_plan_client_id_client'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_client_plan'))
    )
    op.create_table('client_share',
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('shared_by_id', sa.Integer(), nullable=True),
    sa.Column('shared_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_client_share_client_id_client'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shared_by_id'], ['user_account.id'], name=op.f('fk_client_share_shared_by_id_user_account')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_client_share_user_id_user_account')),
    sa.PrimaryKeyConstraint('client_id', 'user_id', name=op.f('pk_client_share'))
    )
    op.create_index(op.f('ix_client_share_user_id'), 'client_share', ['user_id'])
    op.create_table('handoff_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_by_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_handoff_code_client_id_client'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['used_by_id'], ['user_account.id'], name=op.f('fk_handoff_code_used_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_code')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_handoff_code_code_hash'))
    )
    op.create_index(op.f('ix_handoff_code_expires_at'), 'handoff_code', ['expires_at'])
    op.create_table('plan_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('course_code', sa.String(length=80), nullable=False),
    sa.Column('course_title', sa.String(length=300), nullable=False),
    sa.Column('provider_name', sa.String(length=200), nullable=True),
    sa.Column('session_code', sa.String(length=80), nullable=True),
    sa.Column('start', sa.Date(), nullable=True),
    sa.Column('end', sa.Date(), nullable=True),
    sa.Column('scheme', sa.String(length=30), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('deadline_note', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('status_date', sa.Date(), nullable=True),
    sa.CheckConstraint("status IN ('planned', 'applied', 'enrolled', 'completed', 'dropped')", name=op.f('ck_plan_step_status')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_plan_step_client_id_client'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_step'))
    )
    op.create_index(op.f('ix_plan_step_client_id'), 'plan_step', ['client_id'])
    # The indicator's first figure, from Herning Kommune's education strategy (domain.md §8).
    eud_choice = sa.table('eud_choice',
                          sa.column('kommunekode', sa.Integer()),
                          sa.column('year', sa.Integer()),
                          sa.column('share_percent', sa.Numeric(precision=5, scale=2)),
                          sa.column('source', sa.String(length=300)),
                          sa.column('source_url', sa.String(length=500)),
                          sa.column('updated_at', sa.DateTime(timezone=True)))
    op.bulk_insert(eud_choice, [{
        'kommunekode': 657, 'year': 2019, 'share_percent': Decimal('23.2'),
        'source': 'Herning Kommunes uddannelsesstrategi, mål 2 ("Vi vil sikre kvalificeret '
                  'arbejdskraft til fremtidens arbejdsmarked")',
        'source_url': 'https://politik.herning.dk/vores-strategier/strategier/uddannelsesstrategi',
        'updated_at': datetime(2026, 12, 1, tzinfo=UTC)}])



def downgrade() -> None:
    op.drop_index(op.f('ix_plan_step_client_id'), table_name='plan_step')
    op.drop_table('plan_step')
    op.drop_index(op.f('ix_handoff_code_expires_at'), table_name='handoff_code')
    op.drop_table('handoff_code')
    op.drop_index(op.f('ix_client_share_user_id'), table_name='client_share')
    op.drop_table('client_share')
    op.drop_table('client_plan')
    op.drop_table('title_mapping')
    op.drop_index(op.f('ix_import_run_started_at'), table_name='import_run')
    op.drop_table('import_run')
    op.drop_table('eud_choice')
    op.drop_index(op.f('ix_client_retain_until'), table_name='client')
    op.drop_index(op.f('ix_client_owner_id'), table_name='client')
    op.drop_table('client')
