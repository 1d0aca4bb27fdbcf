"""funding rules, rates and areas with validity dates; SVU; lists keyed on official courses

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

OLD_SCHEMES = ("scheme IN ('seks_uger', 'regional_pulje', 'veu', 'befordring', 'amu_fee', "
               "'uddannelsesloeft', 'voksenlaerling')")
NEW_SCHEMES = ("scheme IN ('seks_uger', 'regional_pulje', 'veu', 'befordring', 'amu_fee', "
               "'uddannelsesloeft', 'voksenlaerling', 'svu')")


def upgrade() -> None:
    op.create_table('funding_rule',
    sa.Column('scheme', sa.String(length=30), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('law', sa.String(length=300), nullable=True),
    sa.Column('source_url', sa.String(length=500), nullable=False),
    sa.Column('checked', sa.Date(), nullable=True),
    sa.CheckConstraint(NEW_SCHEMES, name=op.f('ck_funding_rule_scheme')),
    sa.PrimaryKeyConstraint('scheme', 'valid_from', name=op.f('pk_funding_rule'))
    )
    with op.batch_alter_table('rar_area') as batch:
        batch.add_column(sa.Column('valid_from', sa.Date(), nullable=True))
        batch.add_column(sa.Column('valid_to', sa.Date(), nullable=True))
        batch.add_column(sa.Column('source_url', sa.String(length=500), nullable=True))
    with op.batch_alter_table('funding_rate') as batch:
        batch.add_column(sa.Column('valid_from', sa.Date(), nullable=True))
        batch.add_column(sa.Column('valid_to', sa.Date(), nullable=True))
        batch.add_column(sa.Column('checked', sa.Date(), nullable=True))
        batch.drop_constraint(op.f('ck_funding_rate_scheme'), type_='check')
        batch.create_check_constraint(op.f('ck_funding_rate_scheme'), NEW_SCHEMES)
    with op.batch_alter_table('positive_list_entry') as batch:
        batch.add_column(sa.Column('official_code', sa.String(length=40), nullable=True))
        batch.alter_column('course_code', existing_type=sa.String(length=80), nullable=True)
        batch.drop_constraint(op.f('uq_positive_list_entry_list'), type_='unique')
        batch.create_unique_constraint(op.f('uq_positive_list_entry_list'), [
            'list', 'course_code', 'official_code', 'rar_code', 'valid_from'])
        batch.create_check_constraint(op.f('ck_positive_list_entry_course'),
                                      'course_code IS NOT NULL OR official_code IS NOT NULL')
        batch.create_index(batch.f('ix_positive_list_entry_official_code'), ['official_code'],
                           unique=False)


def downgrade() -> None:
    op.execute("DELETE FROM positive_list_entry WHERE course_code IS NULL")
    op.execute("DELETE FROM funding_rate WHERE scheme = 'svu'")
    with op.batch_alter_table('positive_list_entry') as batch:
        batch.drop_index(batch.f('ix_positive_list_entry_official_code'))
        batch.drop_constraint(op.f('ck_positive_list_entry_course'), type_='check')
        batch.drop_constraint(op.f('uq_positive_list_entry_list'), type_='unique')
        batch.create_unique_constraint(op.f('uq_positive_list_entry_list'), [
            'list', 'course_code', 'rar_code', 'valid_from'])
        batch.alter_column('course_code', existing_type=sa.String(length=80), nullable=False)
        batch.drop_column('official_code')
    with op.batch_alter_table('funding_rate') as batch:
        batch.drop_constraint(op.f('ck_funding_rate_scheme'), type_='check')
        batch.create_check_constraint(op.f('ck_funding_rate_scheme'), OLD_SCHEMES)
        batch.drop_column('checked')
        batch.drop_column('valid_to')
        batch.drop_column('valid_from')
    op.drop_table('funding_rule')
    with op.batch_alter_table('rar_area') as batch:
        batch.drop_column('source_url')
        batch.drop_column('valid_to')
        batch.drop_column('valid_from')
