"""providers keep their own listings: versions, ownership, archive, confirmation, audit subject

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

course and course_session get `version` (optimistic locking: a save based on an old
version is refused with a conflict page), `provider_owned` (a folder load keeps such rows,
docs/catalogue-format.md) and `updated_at`; course also `archived_at` (archived courses
leave matching, their rows stay) and `confirmed_at` (the provider's "still correct");
course_session also `time_of_day`. audit_event gets `subject` ("provider/course") for the
admin's filter. audit_event is altered with a plain ADD COLUMN, never a batch copy, so
the append-only triggers of 0006 stay in place on SQLite.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

SCHEDULES = ('day', 'evening', 'weekend', 'self_paced')


def _listing_columns() -> list[sa.Column[object]]:
    return [
        sa.Column('version', sa.Integer(), nullable=False, server_default=sa.text('1')),
        sa.Column('provider_owned', sa.Boolean(), nullable=False, server_default='0'),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table('course') as batch:
        for column in _listing_columns():
            batch.add_column(column)
        batch.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('course_session') as batch:
        for column in _listing_columns():
            batch.add_column(column)
        batch.add_column(sa.Column('time_of_day', sa.String(length=20), nullable=True))
        batch.create_check_constraint(
            'time_of_day', 'time_of_day IN (' + ', '.join(repr(s) for s in SCHEDULES) + ')')
    op.add_column('audit_event', sa.Column('subject', sa.String(length=200), nullable=True))
    op.create_index(op.f('ix_audit_event_subject'), 'audit_event', ['subject'])


def downgrade() -> None:
    op.drop_index(op.f('ix_audit_event_subject'), table_name='audit_event')
    # A plain DROP COLUMN (SQLite 3.35+ has it), not a batch copy: the triggers stay.
    op.drop_column('audit_event', 'subject')
    with op.batch_alter_table('course_session') as batch:
        batch.drop_constraint('time_of_day', type_='check')
        for name in ('time_of_day', 'updated_at', 'provider_owned', 'version'):
            batch.drop_column(name)
    with op.batch_alter_table('course') as batch:
        for name in ('confirmed_at', 'archived_at', 'updated_at', 'provider_owned', 'version'):
            batch.drop_column(name)
