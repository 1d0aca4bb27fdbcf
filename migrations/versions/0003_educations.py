"""specific educations, the occupations they qualify for, regulated occupations

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('skill', 'knowledge', 'certificate')"
NEW_KINDS = "kind IN ('skill', 'knowledge', 'certificate', 'transversal')"


def upgrade() -> None:
    op.create_table('education',
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('title_da', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=40), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=True),
    sa.Column('aliases_da', sa.JSON(), nullable=False),
    sa.Column('aliases_en', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.Column('source_url', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['level'], ['education_level.code'], name=op.f('fk_education_level_education_level')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_education'))
    )
    op.create_table('education_occupation',
    sa.Column('education_code', sa.String(length=80), nullable=False),
    sa.Column('occupation_code', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['education_code'], ['education.code'], name=op.f('fk_education_occupation_education_code_education')),
    sa.ForeignKeyConstraint(['occupation_code'], ['occupation.code'], name=op.f('fk_education_occupation_occupation_code_occupation')),
    sa.PrimaryKeyConstraint('education_code', 'occupation_code', name=op.f('pk_education_occupation'))
    )
    op.create_index(op.f('ix_education_occupation_occupation_code'), 'education_occupation', ['occupation_code'], unique=False)
    with op.batch_alter_table('occupation') as batch:
        batch.add_column(sa.Column('regulated', sa.Boolean(), server_default='0', nullable=False))
    with op.batch_alter_table('course') as batch:
        batch.add_column(sa.Column('education_code', sa.String(length=80), nullable=True))
        batch.create_foreign_key(op.f('fk_course_education_code_education'), 'education', ['education_code'], ['code'])
    with op.batch_alter_table('skill') as batch:
        batch.drop_constraint(op.f('ck_skill_kind'), type_='check')
        batch.create_check_constraint(op.f('ck_skill_kind'), NEW_KINDS)


def downgrade() -> None:
    with op.batch_alter_table('skill') as batch:
        batch.drop_constraint(op.f('ck_skill_kind'), type_='check')
        batch.create_check_constraint(op.f('ck_skill_kind'), OLD_KINDS)
    with op.batch_alter_table('course') as batch:
        batch.drop_constraint(op.f('fk_course_education_code_education'), type_='foreignkey')
        batch.drop_column('education_code')
    with op.batch_alter_table('occupation') as batch:
        batch.drop_column('regulated')
    op.drop_index(op.f('ix_education_occupation_occupation_code'), table_name='education_occupation')
    op.drop_table('education_occupation')
    op.drop_table('education')
