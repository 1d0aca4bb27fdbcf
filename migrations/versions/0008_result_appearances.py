"""anonymous counts of the result pages a course or an occupation appeared on, per day

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05

result_appearance holds (kind, code, day, count) and nothing else: no answers, no address,
no session. Providers see their own courses' counts of the last 30 days.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'result_appearance',
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('code', sa.String(length=80), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'code', 'day', name=op.f('pk_result_appearance')),
    )


def downgrade() -> None:
    op.drop_table('result_appearance')
