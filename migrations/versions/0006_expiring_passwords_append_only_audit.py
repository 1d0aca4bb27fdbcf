"""one-time passwords expire; the audit log is append-only, purged only through a gate

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

user_account.password_expires_at: a one-time password (must_change_password) is refused
at login from this moment (accounts.one_time_password_expired). The ones already handed
out get 72 hours (the default of ONE_TIME_PASSWORD_HOURS) from the upgrade.

audit_event is append-only for the application (ASVS 16.4.2): a trigger refuses every
UPDATE, and every DELETE except of an event older than the cutoff of a row in audit_purge.
Only the retention purge (accounts.purge_audit_events) writes such a row, and it deletes it
again in the same transaction, so no other transaction ever sees it. PostgreSQL also refuses
TRUNCATE. A later migration that copies audit_event on SQLite (batch_alter_table with a
recreate) drops its triggers and must create them again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

REFUSED = 'audit_event is append-only: UPDATE and DELETE are refused'
PURGE_ONLY = 'EXISTS (SELECT 1 FROM audit_purge WHERE OLD.at < audit_purge.cutoff)'

POSTGRESQL_UP = (
    f"""CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF {PURGE_ONLY} THEN
                RETURN OLD;
            END IF;
        END IF;
        RAISE EXCEPTION '{REFUSED}';
    END
    $$""",
    'CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event '
    'FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()',
    'CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event '
    'FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()',
)
POSTGRESQL_DOWN = (
    'DROP TRIGGER audit_event_no_truncate ON audit_event',
    'DROP TRIGGER audit_event_append_only ON audit_event',
    'DROP FUNCTION audit_event_append_only()',
)
SQLITE_UP = (
    f"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END",
    f"CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event WHEN NOT {PURGE_ONLY} "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END",
)
SQLITE_DOWN = (
    'DROP TRIGGER audit_event_no_delete',
    'DROP TRIGGER audit_event_no_update',
)


def upgrade() -> None:
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('password_expires_at', sa.DateTime(timezone=True),
                                   nullable=True))
    accounts = sa.table('user_account', sa.column('must_change_password', sa.Boolean()),
                        sa.column('password_expires_at', sa.DateTime(timezone=True)))
    op.execute(accounts.update().where(accounts.c.must_change_password.is_(True))
               .values(password_expires_at=datetime.now(UTC) + timedelta(hours=72)))
    op.create_table('audit_purge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cutoff', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_purge'))
    )
    for statement in _statements(POSTGRESQL_UP, SQLITE_UP):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(POSTGRESQL_DOWN, SQLITE_DOWN):
        op.execute(statement)
    op.drop_table('audit_purge')
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('password_expires_at')


def _statements(postgresql: tuple[str, ...], sqlite: tuple[str, ...]) -> tuple[str, ...]:
    return postgresql if op.get_bind().dialect.name == 'postgresql' else sqlite
