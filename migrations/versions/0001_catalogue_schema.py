"""catalogue schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catalog_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('has_demo', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_state'))
    )
    op.create_table('education_level',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_da', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('skill_status', sa.String(length=20), nullable=False),
    sa.Column('dk_nqf', sa.Integer(), nullable=True),
    sa.CheckConstraint("skill_status IN ('ufaglaert', 'faglaert', 'videregaaende')", name=op.f('ck_education_level_skill_status')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_education_level')),
    sa.UniqueConstraint('rank', name=op.f('uq_education_level_rank'))
    )
    op.create_table('funding_rate',
    sa.Column('scheme', sa.String(length=30), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('unit', sa.String(length=30), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=True),
    sa.CheckConstraint("scheme IN ('seks_uger', 'regional_pulje', 'veu', 'befordring', 'amu_fee', 'uddannelsesloeft', 'voksenlaerling')", name=op.f('ck_funding_rate_scheme')),
    sa.PrimaryKeyConstraint('scheme', 'year', 'unit', name=op.f('pk_funding_rate'))
    )
    op.create_table('municipality',
    sa.Column('kommunekode', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('kommunekode', name=op.f('pk_municipality'))
    )
    op.create_table('rar_area',
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_rar_area'))
    )
    op.create_table('skill',
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('label_da', sa.String(length=200), nullable=False),
    sa.Column('label_en', sa.String(length=200), nullable=True),
    sa.Column('aliases_da', sa.JSON(), nullable=False),
    sa.Column('aliases_en', sa.JSON(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=True),
    sa.Column('esco_uri', sa.String(length=300), nullable=True),
    sa.CheckConstraint("kind IN ('skill', 'knowledge', 'certificate')", name=op.f('ck_skill_kind')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_skill'))
    )
    op.create_table('municipality_rar',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kommunekode', sa.Integer(), nullable=False),
    sa.Column('rar_code', sa.String(length=10), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['kommunekode'], ['municipality.kommunekode'], name=op.f('fk_municipality_rar_kommunekode_municipality')),
    sa.ForeignKeyConstraint(['rar_code'], ['rar_area.code'], name=op.f('fk_municipality_rar_rar_code_rar_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_municipality_rar')),
    sa.UniqueConstraint('kommunekode', 'rar_code', 'valid_from', name=op.f('uq_municipality_rar_kommunekode'))
    )
    with op.batch_alter_table('municipality_rar', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_municipality_rar_kommunekode'), ['kommunekode'], unique=False)

    op.create_table('occupation',
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('title_da', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=True),
    sa.Column('aliases_da', sa.JSON(), nullable=False),
    sa.Column('aliases_en', sa.JSON(), nullable=False),
    sa.Column('isco08', sa.String(length=4), nullable=True),
    sa.Column('disco08', sa.String(length=6), nullable=True),
    sa.Column('esco_uri', sa.String(length=300), nullable=True),
    sa.Column('min_education_level', sa.String(length=40), nullable=True),
    sa.Column('description_da', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['min_education_level'], ['education_level.code'], name=op.f('fk_occupation_min_education_level_education_level')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_occupation'))
    )
    op.create_table('postcode',
    sa.Column('postcode', sa.String(length=4), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('lat', sa.Double(), nullable=False),
    sa.Column('lon', sa.Double(), nullable=False),
    sa.Column('kommunekode', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['kommunekode'], ['municipality.kommunekode'], name=op.f('fk_postcode_kommunekode_municipality')),
    sa.PrimaryKeyConstraint('postcode', name=op.f('pk_postcode'))
    )
    op.create_table('rar_adjacency',
    sa.Column('rar_code', sa.String(length=10), nullable=False),
    sa.Column('adjacent_rar_code', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['adjacent_rar_code'], ['rar_area.code'], name=op.f('fk_rar_adjacency_adjacent_rar_code_rar_area')),
    sa.ForeignKeyConstraint(['rar_code'], ['rar_area.code'], name=op.f('fk_rar_adjacency_rar_code_rar_area')),
    sa.PrimaryKeyConstraint('rar_code', 'adjacent_rar_code', name=op.f('pk_rar_adjacency'))
    )
    op.create_table('occupation_skill',
    sa.Column('occupation_code', sa.String(length=80), nullable=False),
    sa.Column('skill_code', sa.String(length=80), nullable=False),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.CheckConstraint("relation IN ('essential', 'optional')", name=op.f('ck_occupation_skill_relation')),
    sa.ForeignKeyConstraint(['occupation_code'], ['occupation.code'], name=op.f('fk_occupation_skill_occupation_code_occupation')),
    sa.ForeignKeyConstraint(['skill_code'], ['skill.code'], name=op.f('fk_occupation_skill_skill_code_skill')),
    sa.PrimaryKeyConstraint('occupation_code', 'skill_code', name=op.f('pk_occupation_skill'))
    )
    with op.batch_alter_table('occupation_skill', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occupation_skill_skill_code'), ['skill_code'], unique=False)

    op.create_table('provider',
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('postcode', sa.String(length=4), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['postcode'], ['postcode.postcode'], name=op.f('fk_provider_postcode_postcode')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_provider'))
    )
    op.create_table('shortage',
    sa.Column('occupation_code', sa.String(length=80), nullable=False),
    sa.Column('rar_code', sa.String(length=10), nullable=False),
    sa.Column('period', sa.String(length=6), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.Column('source_url', sa.String(length=500), nullable=True),
    sa.CheckConstraint("category IN ('omfattende_mangel', 'mangel', 'paradoks', 'gode', 'mindre_gode')", name=op.f('ck_shortage_category')),
    sa.CheckConstraint("period LIKE '____H_'", name=op.f('ck_shortage_period')),
    sa.ForeignKeyConstraint(['occupation_code'], ['occupation.code'], name=op.f('fk_shortage_occupation_code_occupation')),
    sa.ForeignKeyConstraint(['rar_code'], ['rar_area.code'], name=op.f('fk_shortage_rar_code_rar_area')),
    sa.PrimaryKeyConstraint('occupation_code', 'rar_code', 'period', name=op.f('pk_shortage'))
    )
    op.create_table('course',
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title_da', sa.String(length=300), nullable=False),
    sa.Column('provider_code', sa.String(length=80), nullable=False),
    sa.Column('duration_days', sa.Numeric(precision=7, scale=1), nullable=False),
    sa.Column('official_code', sa.String(length=40), nullable=True),
    sa.Column('title_en', sa.String(length=300), nullable=True),
    sa.Column('description_da', sa.Text(), nullable=True),
    sa.Column('hours', sa.Numeric(precision=7, scale=1), nullable=True),
    sa.Column('price_dkk', sa.Integer(), nullable=True),
    sa.Column('fee_target_group_dkk', sa.Integer(), nullable=True),
    sa.Column('min_education_level', sa.String(length=40), nullable=True),
    sa.Column('language', sa.String(length=10), nullable=True),
    sa.Column('delivery', sa.String(length=20), nullable=True),
    sa.Column('schedule', sa.String(length=20), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.CheckConstraint("kind IN ('amu', 'akademi', 'diplom', 'eud', 'euv', 'voksenlaerling', 'ikv', 'other')", name=op.f('ck_course_kind')),
    sa.CheckConstraint('duration_days > 0', name=op.f('ck_course_duration_days')),
    sa.ForeignKeyConstraint(['min_education_level'], ['education_level.code'], name=op.f('fk_course_min_education_level_education_level')),
    sa.ForeignKeyConstraint(['provider_code'], ['provider.code'], name=op.f('fk_course_provider_code_provider')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_course'))
    )
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_provider_code'), ['provider_code'], unique=False)

    op.create_table('course_occupation',
    sa.Column('course_code', sa.String(length=80), nullable=False),
    sa.Column('occupation_code', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['course_code'], ['course.code'], name=op.f('fk_course_occupation_course_code_course')),
    sa.ForeignKeyConstraint(['occupation_code'], ['occupation.code'], name=op.f('fk_course_occupation_occupation_code_occupation')),
    sa.PrimaryKeyConstraint('course_code', 'occupation_code', name=op.f('pk_course_occupation'))
    )
    with op.batch_alter_table('course_occupation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_occupation_occupation_code'), ['occupation_code'], unique=False)

    op.create_table('course_prerequisite',
    sa.Column('course_code', sa.String(length=80), nullable=False),
    sa.Column('skill_code', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['course_code'], ['course.code'], name=op.f('fk_course_prerequisite_course_code_course')),
    sa.ForeignKeyConstraint(['skill_code'], ['skill.code'], name=op.f('fk_course_prerequisite_skill_code_skill')),
    sa.PrimaryKeyConstraint('course_code', 'skill_code', name=op.f('pk_course_prerequisite'))
    )
    op.create_table('course_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_code', sa.String(length=80), nullable=False),
    sa.Column('session_code', sa.String(length=80), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('postcode', sa.String(length=4), nullable=True),
    sa.Column('seats', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.CheckConstraint("status IN ('open', 'full', 'cancelled')", name=op.f('ck_course_session_status')),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_course_session_dates')),
    sa.ForeignKeyConstraint(['course_code'], ['course.code'], name=op.f('fk_course_session_course_code_course')),
    sa.ForeignKeyConstraint(['postcode'], ['postcode.postcode'], name=op.f('fk_course_session_postcode_postcode')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_session')),
    sa.UniqueConstraint('course_code', 'session_code', name=op.f('uq_course_session_course_code'))
    )
    with op.batch_alter_table('course_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_session_start_date'), ['start_date'], unique=False)

    op.create_table('course_skill',
    sa.Column('course_code', sa.String(length=80), nullable=False),
    sa.Column('skill_code', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['course_code'], ['course.code'], name=op.f('fk_course_skill_course_code_course')),
    sa.ForeignKeyConstraint(['skill_code'], ['skill.code'], name=op.f('fk_course_skill_skill_code_skill')),
    sa.PrimaryKeyConstraint('course_code', 'skill_code', name=op.f('pk_course_skill'))
    )
    with op.batch_alter_table('course_skill', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_skill_skill_code'), ['skill_code'], unique=False)

    op.create_table('positive_list_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list', sa.String(length=30), nullable=False),
    sa.Column('course_code', sa.String(length=80), nullable=False),
    sa.Column('rar_code', sa.String(length=10), nullable=True),
    sa.Column('erhvervsgruppe', sa.String(length=200), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('from_day_one', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.CheckConstraint("list IN ('seks_uger', 'regional_pulje', 'uddannelsesloeft', 'voksenlaerling')", name=op.f('ck_positive_list_entry_list')),
    sa.ForeignKeyConstraint(['course_code'], ['course.code'], name=op.f('fk_positive_list_entry_course_code_course')),
    sa.ForeignKeyConstraint(['rar_code'], ['rar_area.code'], name=op.f('fk_positive_list_entry_rar_code_rar_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_positive_list_entry')),
    sa.UniqueConstraint('list', 'course_code', 'rar_code', 'valid_from', name=op.f('uq_positive_list_entry_list'))
    )
    with op.batch_alter_table('positive_list_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_positive_list_entry_course_code'), ['course_code'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('positive_list_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_positive_list_entry_course_code'))

    op.drop_table('positive_list_entry')
    with op.batch_alter_table('course_skill', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_skill_skill_code'))

    op.drop_table('course_skill')
    with op.batch_alter_table('course_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_session_start_date'))

    op.drop_table('course_session')
    op.drop_table('course_prerequisite')
    with op.batch_alter_table('course_occupation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_occupation_occupation_code'))

    op.drop_table('course_occupation')
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_provider_code'))

    op.drop_table('course')
    op.drop_table('shortage')
    op.drop_table('provider')
    with op.batch_alter_table('occupation_skill', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_occupation_skill_skill_code'))

    op.drop_table('occupation_skill')
    op.drop_table('rar_adjacency')
    op.drop_table('postcode')
    op.drop_table('occupation')
    with op.batch_alter_table('municipality_rar', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_municipality_rar_kommunekode'))

    op.drop_table('municipality_rar')
    op.drop_table('skill')
    op.drop_table('rar_area')
    op.drop_table('municipality')
    op.drop_table('funding_rate')
    op.drop_table('education_level')
    op.drop_table('catalog_state')
